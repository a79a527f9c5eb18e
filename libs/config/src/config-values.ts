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
