import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { RefusalCode, TokenVerifier, VerifiedToken, VerifyOutcome, VerifyRequirement } from './verified-token';

export interface JwksVerifierOptions {
  /** `iss` of the ledger's access tokens: its ACCESS_TOKEN_ISSUER (by default its PUBLIC_URL). */
  issuer: string;
  /** Where its public keys are (default `<issuer>/.well-known/jwks.json`). */
  jwksUri?: string;
  /** A key set is refetched at the latest after this long (default 600 000 ms = 10 min). */
  jwksMaxAgeMs?: number;
  /** A token signed by a key not in the set refetches it, at most this often (default 30 000 ms). */
  jwksCooldownMs?: number;
  /** Per fetch of the key set (default 2000 ms). */
  timeoutMs?: number;
  /** Leeway for `exp` and `iat` against this machine's clock, in seconds (default 0). */
  clockToleranceSec?: number;
}

/** RFC 9068 §2.1 and the ledger's one signing algorithm (docs/access-tokens.md). */
const ACCESS_TOKEN_TYPE = 'at+jwt';
const ALGORITHMS = ['ES256'];

/** Errors that say the token itself is bad; any other failure (no key set to check it against) is no answer. */
const TOKEN_FAULTS = [
  errors.JWSInvalid,
  errors.JWTInvalid,
  errors.JWSSignatureVerificationFailed,
  errors.JWTClaimValidationFailed,
  errors.JOSEAlgNotAllowed,
  errors.JOSENotSupported,
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
];

/**
 * Verifies the ledger's JWT access tokens offline: signature against the ledger's JWKS (fetched
 * once, kept, refetched for an unknown key id), `typ`, issuer, expiry, then the requirement.
 * It cannot see a revoke: a token of a revoked parent is accepted until its `exp`.
 */
export class JwksVerifier implements TokenVerifier {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;
  private readonly issuer: string;
  private readonly clockTolerance: number;

  constructor(options: JwksVerifierOptions) {
    this.issuer = options.issuer;
    this.clockTolerance = options.clockToleranceSec ?? 0;
    const jwksUri = options.jwksUri ?? `${options.issuer.replace(/\/+$/, '')}/.well-known/jwks.json`;
    this.keys = createRemoteJWKSet(new URL(jwksUri), {
      cacheMaxAge: options.jwksMaxAgeMs ?? 600_000,
      cooldownDuration: options.jwksCooldownMs ?? 30_000,
      timeoutDuration: options.timeoutMs ?? 2000,
    });
  }

  async verify(token: string, requirement: VerifyRequirement = {}): Promise<VerifyOutcome> {
    if (!token) return { valid: false, code: 'missing' };
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.issuer,
        typ: ACCESS_TOKEN_TYPE,
        algorithms: ALGORITHMS,
        requiredClaims: ['sub', 'aud', 'jti', 'iat', 'exp'],
        clockTolerance: this.clockTolerance,
      }));
    } catch (error) {
      return { valid: false, code: refusalFor(error) };
    }
    const verified = toVerifiedToken(payload);
    if (!verified) return { valid: false, code: 'malformed' };
    // The ledger's order: another project's token is refused before its scopes are looked at.
    if (requirement.projectId !== undefined && verified.projectId !== requirement.projectId) return { valid: false, code: 'wrong_project' };
    if (!(requirement.scopes ?? []).every((scope) => verified.scopes.includes(scope))) return { valid: false, code: 'insufficient_scope' };
    return { valid: true, token: verified };
  }
}

function refusalFor(error: unknown): RefusalCode {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (TOKEN_FAULTS.some((fault) => error instanceof fault)) return 'malformed';
  // The key set could not be fetched or read: refuse (fail closed), and remember nothing.
  return 'unavailable';
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/**
 * The claims (docs/access-tokens.md) as the token the guard puts on the request. The JWT does not
 * say whether its parent is a project or an integration token: `type` is `personal` when it has
 * an owner (`sub` differs from `client_id`), else null.
 */
function toVerifiedToken(payload: JWTPayload): VerifiedToken | null {
  const { sub, aud, client_id: clientId, project, scope, exp } = payload;
  if (!isText(sub) || !isText(clientId) || !isText(project) || typeof scope !== 'string' || typeof exp !== 'number') return null;
  // aud is the project: a token whose two disagree was not made by the ledger.
  if (aud !== project && !(Array.isArray(aud) && aud.length === 1 && aud[0] === project)) return null;
  const ownerId = sub === clientId ? null : sub;
  return {
    id: clientId,
    projectId: project,
    type: ownerId ? 'personal' : null,
    scopes: scope.split(' ').filter(Boolean),
    ownerId,
    expiresAt: new Date(exp * 1000).toISOString(),
  };
}
