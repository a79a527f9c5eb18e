import { ConfigError, durationMs } from './config-values';

/** Limits of the HTTP server and of its shutdown (HTTP_*, SHUTDOWN_DRAIN). */
export interface HttpConfig {
  /** A request's headers and body must have arrived within this, or the socket gets a 408 and is closed. */
  requestTimeoutMs: number;
  /** A socket with no byte in or out for this long is closed (a client that stopped reading). */
  idleTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (above the idle timeout of a proxy in front). */
  keepAliveTimeoutMs: number;
  /** Connections held at once; further ones are closed at accept (keep it below `ulimit -n`). */
  maxConnections: number;
  /** After SIGTERM: readiness answers 503 for this long before the port closes. */
  shutdownDrainMs: number;
}

export function httpConfig(env: NodeJS.ProcessEnv): HttpConfig {
  return {
    requestTimeoutMs: between('HTTP_REQUEST_TIMEOUT', env.HTTP_REQUEST_TIMEOUT, '30s', 1, 3600),
    idleTimeoutMs: between('HTTP_IDLE_TIMEOUT', env.HTTP_IDLE_TIMEOUT, '2m', 1, 3600),
    keepAliveTimeoutMs: between('HTTP_KEEP_ALIVE_TIMEOUT', env.HTTP_KEEP_ALIVE_TIMEOUT, '72s', 1, 3600),
    maxConnections: maxConnections(env.HTTP_MAX_CONNECTIONS),
    shutdownDrainMs: between('SHUTDOWN_DRAIN', env.SHUTDOWN_DRAIN, '5s', 0, 600),
  };
}

function between(variable: string, value: string | undefined, fallback: string, minSeconds: number, maxSeconds: number): number {
  const ms = durationMs(variable, value, fallback);
  if (ms < minSeconds * 1000 || ms > maxSeconds * 1000) {
    throw new ConfigError(variable, `must be between ${minSeconds}s and ${maxSeconds}s (got "${value}")`);
  }
  return ms;
}

function maxConnections(value: string | undefined): number {
  if (value === undefined || value === '') return 1000;
  if (!/^\d{1,7}$/.test(value) || Number(value) < 1) throw new ConfigError('HTTP_MAX_CONNECTIONS', `must be a whole number from 1 (got "${value}")`);
  return Number(value);
}
