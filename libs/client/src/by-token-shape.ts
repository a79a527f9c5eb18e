import type { TokenVerifier, VerifyContext, VerifyRequirement } from './verified-token';

/** header.payload.signature, base64url: a JWT rather than a ledger token (`tl…_…`). */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Sends JWT-shaped tokens to `jwt` (a JwksVerifier, offline) and every other token to `opaque`
 * (LedgerVerifier). Without a `jwt` verifier every token goes to `opaque`: the ledger verifies
 * its access tokens too, online.
 */
export function byTokenShape(verifiers: { opaque: TokenVerifier; jwt?: TokenVerifier }): TokenVerifier {
  return {
    verify: (token: string, requirement?: VerifyRequirement, context?: VerifyContext) =>
      (verifiers.jwt && JWT_SHAPE.test(token) ? verifiers.jwt : verifiers.opaque).verify(token, requirement, context),
  };
}
