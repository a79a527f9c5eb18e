import { join, resolve } from 'node:path';
import { ConfigError, durationMs } from './config-values';

/** Short-lived access tokens (JWT) and the keys that sign them. */
export interface AccessTokenConfig {
  /** Lifetime of an access token (ACCESS_TOKEN_TTL, default 24h, 5s to 7d); never past its parent token's end. */
  ttlSeconds: number;
  /** `iss` of every access token and the RFC 8414 issuer (ACCESS_TOKEN_ISSUER, default PUBLIC_URL). */
  issuer: string;
  /** The address clients reach the ledger at (PUBLIC_URL); null: discovery names its endpoints under the issuer (never a request's Host). */
  publicUrl: string | null;
  /** The private signing keys (SIGNING_KEY_FILE, default signing-keys.json in the data directory, mode 0600). */
  signingKeyFile: string;
}

// Short enough for tests of expiry and key retirement; a real deployment wants minutes at least.
const MIN_TTL_MS = 5_000;
// Revoking the parent ends an access token at the ledger at once, but offline verifiers only at
// its `exp`: a week bounds that window.
const MAX_TTL_MS = 7 * 86_400_000;

export const SIGNING_KEY_FILE = 'signing-keys.json';

export function accessTokenConfig(env: NodeJS.ProcessEnv, dataDir: string, port: number): AccessTokenConfig {
  const ttlMs = durationMs('ACCESS_TOKEN_TTL', env.ACCESS_TOKEN_TTL, '24h');
  if (ttlMs < MIN_TTL_MS || ttlMs > MAX_TTL_MS) throw new ConfigError('ACCESS_TOKEN_TTL', `must be between 5s and 7d (got "${env.ACCESS_TOKEN_TTL}")`);
  const publicUrl = httpUrl('PUBLIC_URL', env.PUBLIC_URL);
  const issuer = httpUrl('ACCESS_TOKEN_ISSUER', env.ACCESS_TOKEN_ISSUER) ?? publicUrl ?? `http://localhost:${port}`;
  return {
    ttlSeconds: ttlMs / 1000,
    issuer,
    publicUrl,
    signingKeyFile: env.SIGNING_KEY_FILE ? resolve(env.SIGNING_KEY_FILE) : join(dataDir, SIGNING_KEY_FILE),
  };
}

/** An http(s) URL without a trailing slash, or null when unset. */
function httpUrl(variable: string, value: string | undefined): string | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(variable, `must be an http:// or https:// URL (got "${value}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(variable, `must be an http:// or https:// URL (got "${value}")`);
  return value.replace(/\/+$/, '');
}
