import pino, { type DestinationStream, type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import type { LedgerConfig } from '@ledger/config';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false` on a route that must not be access-logged (the verification hot path). */
    accessLog?: boolean;
  }
}

/** Route options for a route the access log skips. */
export const NOT_ACCESS_LOGGED = { config: { accessLog: false } } as const;

/** Every place a credential can travel in a request; logs show `[redacted]` instead. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["auth-token"]',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

/** The one pino instance of an application: Nest's logger (nestjs-pino) and the access log. */
export function createLedgerLogger(config: LedgerConfig, destination?: DestinationStream): Logger {
  return pino(
    { level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/**
 * One `request completed` line per request, from a Fastify hook rather than nestjs-pino's
 * pino-http middleware: that middleware ran through @fastify/middie on every request and its
 * AsyncLocalStorage put an async hook on every promise of the process (README "Benchmarks").
 * A callback hook (no promise); the hot path opts out by route config, /health* by path.
 */
export function registerAccessLog(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    if (request.routeOptions.config.accessLog === false || request.url.startsWith('/health')) return done();
    const status = reply.statusCode;
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    if (logger.isLevelEnabled(level)) {
      logger[level](
        {
          // Fastify's id (see request-id.ts), the one sent back as X-Request-Id.
          req: { id: request.id, method: request.method, url: request.url, headers: request.headers, remoteAddress: request.ip },
          res: { statusCode: status, headers: reply.getHeaders() },
          responseTime: reply.elapsedTime,
        },
        'request completed',
      );
    }
    done();
  });
}

/** Nest token of the application's pino instance (app.factory.ts hangs the access log on it). */
export const LEDGER_LOGGER = Symbol('LEDGER_LOGGER');
