import { DURATION_FORMAT_HINT, parseDuration } from '@ledger/token-domain';

/** Bad configuration: the start stops with this one line, naming the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

export function durationMs(variable: string, value: string | undefined, fallback: string): number {
  const seconds = parseDuration(value || fallback);
  if (seconds === null) throw new ConfigError(variable, `must be ${DURATION_FORMAT_HINT} (got "${value}")`);
  return seconds * 1000;
}

/** Optional `redis://` or `rediss://` URL; unset means no Redis (reminders and rate limits in process). */
export function redisUrl(value: string | undefined): string | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('REDIS_URL', 'must be a redis:// or rediss:// URL');
  }
  // The URL may carry a password: never echo it.
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new ConfigError('REDIS_URL', 'must be a redis:// or rediss:// URL');
  return value;
}

/**
 * ioredis's `disconnectTimeout` for every Redis client the ledger opens. Closing a client while
 * Redis is unreachable arms this timer even though its socket is already gone (ioredis 5), and
 * the timer keeps the process alive until it fires: 2 s with ioredis's default, which held a
 * closed ledger's process (a test worker, an app embedding the ledger) for that long. A healthy
 * socket closes within milliseconds; a half-open one is destroyed after this.
 */
export const REDIS_DISCONNECT_TIMEOUT_MS = 100;
