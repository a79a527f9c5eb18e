/** What a service learns about a token that verified: put on the request by the guard, middleware and hook. */
export interface VerifiedToken {
  id: string;
  projectId: string;
  /**
   * The ledger token's type; null for a project or integration token's access token verified
   * offline (its claims do not say which; a personal one is known by its owner).
   */
  type: 'project' | 'integration' | 'personal' | 'root' | null;
  scopes: string[];
  /** The person a personal token belongs to; null for the other types. */
  ownerId: string | null;
  expiresAt: string | null;
}

/** Why a token was refused: the ledger's codes, plus `unavailable` when no answer could be had. */
export type RefusalCode = 'malformed' | 'not_found' | 'revoked' | 'expired' | 'insufficient_scope' | 'wrong_project' | 'missing' | 'unavailable';

export type VerifyOutcome = { valid: true; token: VerifiedToken } | { valid: false; code: RefusalCode };

export interface VerifyRequirement {
  /** Every one of them must be held. */
  scopes?: string[];
  /** The token must belong to this project. */
  projectId?: string;
}

/**
 * Anything that can check a presented token. LedgerVerifier asks the ledger over HTTP,
 * JwksVerifier checks the ledger's JWT access tokens offline against its JWKS, and
 * `byTokenShape` (or `createTokenVerifier`) sends each token to the right one.
 */
export interface TokenVerifier {
  verify(token: string, requirement?: VerifyRequirement, context?: VerifyContext): Promise<VerifyOutcome>;
}

export interface VerifyContext {
  /**
   * The address of the end client that presented the token. Sent to the ledger as
   * X-Forwarded-For, which it believes when this service is in its TRUSTED_PROXIES: failed
   * guesses then count against that client, not against this service (docs/verification.md, "Rate limits").
   */
  clientAddress?: string;
}
