import { hashTokenValue, parseTokenValue } from '@ledger/token-domain';
import type { IndexedToken } from './token-index';
import { tokenStatus } from './token-list.projection';

/** Why a presented token does not pass (docs/verification.md, "Verification", the verify codes). */
export type VerifyFailureCode = 'malformed' | 'not_found' | 'revoked' | 'expired' | 'insufficient_scope' | 'wrong_project';

/**
 * Values the ledger never issued: what guessing produces, so they count toward the brute-force
 * bucket. A revoked or expired token was issued (a stale configuration, not a guess) and is not
 * counted: blocking a client for it would punish the wrong thing.
 */
export const CREDENTIAL_FAILURES: ReadonlySet<VerifyFailureCode> = new Set(['malformed', 'not_found']);

/** The short-lived access token presented in place of its parent (whose id, project and owner `token` holds). */
export interface AccessTokenFacts {
  jti: string;
  issuedAt: string;
  expiresAt: string;
}

export type Verification =
  { valid: true; token: IndexedToken; accessToken?: AccessTokenFacts } | { valid: false; code: VerifyFailureCode; token?: IndexedToken };

export interface VerifyRequirements {
  /** Every one of these must be held (plain names: `admin` implies nothing here). */
  scopes?: readonly string[];
  projectId?: string;
}

/**
 * Checks a presented value against the index as of `now`. A malformed value is refused before
 * any hashing or lookup; expiry is judged from expiresAt (a rotated token's grace end), never
 * from whether TokenExpired was recorded yet. A token of another project is reported as
 * wrong_project before its scopes are looked at. `find` is asked for what `keyOf` makes of the
 * value: its hex secret hash unless told otherwise (the index takes the raw digest, see
 * tokenValueDigest).
 */
export function verifyTokenValue(
  value: string,
  find: (key: string) => IndexedToken | undefined,
  requirements: VerifyRequirements,
  now: Date,
  keyOf: (value: string) => string = hashTokenValue,
): Verification {
  if (!parseTokenValue(value)) return { valid: false, code: 'malformed' };
  const token = find(keyOf(value));
  if (!token) return { valid: false, code: 'not_found' };
  const status = tokenStatus(token, now);
  if (status !== 'active') return { valid: false, code: status, token };
  if (requirements.projectId !== undefined && requirements.projectId !== token.projectId) {
    return { valid: false, code: 'wrong_project', token };
  }
  const scopes = requirements.scopes;
  if (scopes) {
    for (const scope of scopes) if (!token.scopes.includes(scope)) return { valid: false, code: 'insufficient_scope', token };
  }
  return { valid: true, token };
}
