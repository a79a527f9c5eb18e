import { isIP } from 'node:net';
import { ConfigError, durationMs } from './config-values';

/** `limit` requests per `windowMs`, or no limit at all. */
export type RateLimit = { limit: number; windowMs: number } | null;

export interface VerificationConfig {
  /** How often buffered uses are recorded as TokenUsed events (USAGE_FLUSH_INTERVAL). */
  usageFlushIntervalMs: number;
  /** Prefix of every rate-limit key in Redis (several ledgers, or tests, may share one Redis). */
  rateLimitPrefix: string;
  /** Addresses/CIDRs whose X-Forwarded-For / X-Real-IP are believed (handed to Fastify's trustProxy). */
  trustedProxies: string[];
  /** Admin API requests per caller (ADMIN_RATE_LIMIT). */
  adminRateLimit: RateLimit;
  /** Admin API requests per caller's project, all its tokens together (ADMIN_PROJECT_RATE_LIMIT, default ADMIN_RATE_LIMIT). */
  adminProjectRateLimit: RateLimit;
  /** Failed credentials per client IP before it gets 429s for the rest of the window (FAILED_AUTH_LIMIT). */
  failedAuthLimit: RateLimit;
}

// proxy-addr's names (Fastify's trustProxy understands them), spelled out so that the ledger can
// test an address against them itself when it reads X-Real-IP.
// A Map: TRUSTED_PROXIES=constructor must not find Object's constructor as a named range.
const NAMED_RANGES = new Map<string, string[]>([
  ['loopback', ['127.0.0.1/8', '::1/128']],
  ['linklocal', ['169.254.0.0/16', 'fe80::/10']],
  ['uniquelocal', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7']],
]);

export function verificationConfig(env: NodeJS.ProcessEnv): VerificationConfig {
  const usageFlushIntervalMs = durationMs('USAGE_FLUSH_INTERVAL', env.USAGE_FLUSH_INTERVAL, '60s');
  if (usageFlushIntervalMs < 1000 || usageFlushIntervalMs > 3_600_000) {
    throw new ConfigError('USAGE_FLUSH_INTERVAL', `must be between 1s and 1h (got "${env.USAGE_FLUSH_INTERVAL}")`);
  }
  return {
    usageFlushIntervalMs,
    rateLimitPrefix: env.RATE_LIMIT_PREFIX ?? 'ledger:rate-limit:',
    trustedProxies: trustedProxies(env.TRUSTED_PROXIES),
    adminRateLimit: rateLimit('ADMIN_RATE_LIMIT', env.ADMIN_RATE_LIMIT, '1000/10s'),
    // A fresh token must not bring a fresh bucket: the project's tokens share one as well.
    adminProjectRateLimit: rateLimit('ADMIN_PROJECT_RATE_LIMIT', env.ADMIN_PROJECT_RATE_LIMIT || env.ADMIN_RATE_LIMIT, '1000/10s'),
    failedAuthLimit: rateLimit('FAILED_AUTH_LIMIT', env.FAILED_AUTH_LIMIT, '30/1m'),
  };
}

/** Comma-separated addresses, CIDRs or the names loopback, linklocal, uniquelocal; expanded to CIDRs. */
function trustedProxies(value: string | undefined): string[] {
  if (!value || !value.trim()) return [];
  return value.split(',').flatMap((raw) => {
    const entry = raw.trim();
    const named = NAMED_RANGES.get(entry);
    if (named) return named;
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address);
    const maxBits = family === 6 ? 128 : 32;
    const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
    if (!family || !bitsOk || extra !== undefined) {
      throw new ConfigError('TRUSTED_PROXIES', `has "${entry}", which is not an address, a CIDR, loopback, linklocal or uniquelocal`);
    }
    return [entry];
  });
}

/** `<n>/<duration>` (e.g. `1000/10s`, `30/1m`) or `off`. */
function rateLimit(variable: string, value: string | undefined, fallback: string): RateLimit {
  const text = (value || fallback).trim();
  if (text === 'off') return null;
  const match = /^(\d{1,9})\/(.+)$/.exec(text);
  const windowMs = match ? durationMsOrNull(match[2]) : null;
  if (!match || Number(match[1]) < 1 || !windowMs) {
    throw new ConfigError(variable, `must be <requests>/<duration> such as "${fallback}", or "off" (got "${value}")`);
  }
  return { limit: Number(match[1]), windowMs };
}

function durationMsOrNull(text: string): number | null {
  try {
    return durationMs('', text, text) || null;
  } catch {
    return null;
  }
}
