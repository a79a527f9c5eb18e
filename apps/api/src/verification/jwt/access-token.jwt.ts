import type { KeyObject } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { SIGNING_ALGORITHM } from '@ledger/tokens';

/** RFC 9068 §2.1: the `typ` header of a JWT access token. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** The claims of a ledger access token (RFC 9068 §2.2, plus `project`). */
export interface AccessTokenClaims {
  iss: string;
  /** Owner id for a personal token, else the token id. */
  sub: string;
  /** The project: the resource servers the token is for. */
  aud: string;
  /** The ledger token it was exchanged for. */
  client_id: string;
  project: string;
  scope: string;
  jti: string;
  iat: number;
  exp: number;
}

export function signAccessToken(claims: AccessTokenClaims, signer: { kid: string; key: KeyObject }): Promise<string> {
  const { iss, sub, aud, jti, iat, exp, ...rest } = claims;
  return new SignJWT(rest)
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, typ: ACCESS_TOKEN_TYPE, kid: signer.kid })
    .setIssuer(iss)
    .setSubject(sub)
    .setAudience(aud)
    .setJti(jti)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(signer.key);
}

/** Cheap dispatch on the hot path: ledger values start `tl`, a JWT's base64url JSON header `eyJ`. */
export const looksLikeJwt = (value: string): boolean => value.charCodeAt(0) === 101 && value.startsWith('eyJ');

export type JwtCheck = { ok: true; claims: AccessTokenClaims; kid: string } | { ok: false; expired: boolean };

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/**
 * Verifies signature (ES256 only: `alg: none` and HS256 are refused before any key is used),
 * `typ`, issuer, the key id (a key of the ring still verifying) and `exp`, then the claims' shapes.
 */
export async function checkAccessToken(value: string, keyFor: (kid: string) => KeyObject | undefined, issuer: string, now: Date): Promise<JwtCheck> {
  try {
    const { payload, protectedHeader } = await jwtVerify(
      value,
      (header) => {
        const key = typeof header.kid === 'string' ? keyFor(header.kid) : undefined;
        if (!key) throw new errors.JWKSNoMatchingKey();
        return key;
      },
      { issuer, algorithms: [SIGNING_ALGORITHM], typ: ACCESS_TOKEN_TYPE, currentDate: now, requiredClaims: ['sub', 'jti', 'iat', 'exp'] },
    );
    const { sub, aud, client_id, project, scope, jti, iat, exp } = payload as Record<string, unknown>;
    if (![sub, aud, client_id, project, jti].every(isString) || typeof scope !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') {
      return { ok: false, expired: false };
    }
    return { ok: true, claims: { iss: issuer, sub, aud, client_id, project, scope, jti, iat, exp } as AccessTokenClaims, kid: protectedHeader.kid as string };
  } catch (error) {
    return { ok: false, expired: error instanceof errors.JWTExpired };
  }
}
