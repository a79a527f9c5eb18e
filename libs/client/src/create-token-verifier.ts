import { byTokenShape } from './by-token-shape';
import { JwksVerifier, type JwksVerifierOptions } from './jwks-verifier';
import { LedgerVerifier, type LedgerVerifierOptions } from './ledger-verifier';
import type { TokenVerifier } from './verified-token';

export interface TokenVerifierOptions extends LedgerVerifierOptions {
  /**
   * Verify the ledger's JWT access tokens offline against its JWKS (by default at
   * `<baseUrl>/.well-known/jwks.json`). Without it they are sent to the ledger like any token,
   * which checks them online (and sees a revoke at once).
   */
  accessTokens?: Omit<JwksVerifierOptions, 'jwksUri'> & { jwksUri?: string };
}

/** Ledger tokens are asked of the ledger; access tokens (JWT) are checked offline when `accessTokens` is set. */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const opaque = new LedgerVerifier(options);
  if (!options.accessTokens) return opaque;
  const jwksUri = options.accessTokens.jwksUri ?? `${options.baseUrl.replace(/\/+$/, '')}/.well-known/jwks.json`;
  return byTokenShape({ opaque, jwt: new JwksVerifier({ ...options.accessTokens, jwksUri }) });
}
