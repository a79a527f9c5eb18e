import pino, { type DestinationStream, type Logger } from 'pino';
import type { FastifyInstance, FastifyReply, FastifyRequest, onResponseHookHandler } from 'fastify';
import type { LedgerConfig } from '@ledger/config';
import { REDACTED, redactTokenValues } from '@ledger/token-domain';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false` on a route that must not be access-logged (the verification hot path). */
    accessLog?: boolean;
  }
}

/** Route options for a route the access log skips. */
export const NOT_ACCESS_LOGGED = { config: { accessLog: false } } as const;

/** Headers that carry a credential of any kind (a Basic password too): logged as `[redacted]` whatever they hold. */
export const CREDENTIAL_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-forwarded-authorization',
  'auth-token',
  'x-api-key',
  'x-auth-token',
  'cookie',
  'set-cookie',
]);

/** Query parameters that carry a credential by name, whatever it looks like. */
const CREDENTIAL_PARAMS = /([?&](?:token|access_token|refresh_token|id_token|api_key|apikey|api-key|key|secret|client_secret|password|auth)=)[^&#]*/gi;

/** A URL as logged: credential parameters and anything token-shaped (in the path too) redacted. */
export function redactUrl(url: string): string {
  return redactTokenValues(url.replace(CREDENTIAL_PARAMS, `$1${REDACTED}`));
}

/** A copy of the headers as logged: credential headers redacted by name, token-shaped values by pattern. */
export function redactHeaders(headers: Record<string, string | string[] | number | undefined>): Record<string, unknown> {
  const logged: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (CREDENTIAL_HEADERS.has(name.toLowerCase())) logged[name] = REDACTED;
    else if (typeof value === 'string') logged[name] = redactTokenValues(value);
    else if (Array.isArray(value)) logged[name] = value.map(redactTokenValues);
    else logged[name] = value;
  }
  return logged;
}

/**
 * The one pino instance of an application: Nest's logger (nestjs-pino) and the access log.
 * Every line it writes is scrubbed of token-shaped text last, whatever logged it: an error
 * message or a library's object may hold a value no field list foresaw.
 */
export function createLedgerLogger(config: LedgerConfig, destination?: DestinationStream): Logger {
  return pino({ level: config.logLevel, hooks: { streamWrite: redactTokenValues } }, destination ?? pino.destination({ dest: 1, sync: false }));
}

/**
 * One `request completed` line per request, from a Fastify hook rather than nestjs-pino's
 * pino-http middleware: that middleware ran through @fastify/middie on every request and its
 * AsyncLocalStorage put an async hook on every promise of the process.
 * A callback hook (no promise), given to each route as it is registered (onRoute) unless the
 * route opts out by config (the hot path) or is a /health probe: the opt-out is decided once, not
 * per request through request.routeOptions (a new object on every read). Answers no route holds
 * (404s, unparsable URLs) are logged by a global hook that looks only at `is404`.
 * Must run before the routes are added (Nest adds its own at init).
 */
export function registerAccessLog(fastify: FastifyInstance, logger: Logger): void {
  const log = (request: FastifyRequest, reply: FastifyReply) => {
    const status = reply.statusCode;
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    logger[level](
      {
        // Fastify's id (see request-id.ts), the one sent back as X-Request-Id.
        req: { id: request.id, method: request.method, url: redactUrl(request.url), headers: redactHeaders(request.headers), remoteAddress: request.ip },
        res: { statusCode: status, headers: redactHeaders(reply.getHeaders()) },
        responseTime: reply.elapsedTime,
      },
      'request completed',
    );
  };
  const logRouted: onResponseHookHandler = (request, reply, done) => {
    log(request, reply);
    done();
  };
  fastify.addHook('onRoute', (route) => {
    if (route.config?.accessLog === false || route.url.startsWith('/health')) return;
    const existing = route.onResponse === undefined ? [] : Array.isArray(route.onResponse) ? route.onResponse : [route.onResponse];
    route.onResponse = [...existing, logRouted];
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    if (request.is404 && !request.url.startsWith('/health')) log(request, reply);
    done();
  });
}

/** Nest token of the application's pino instance (app.factory.ts hangs the access log on it). */
export const LEDGER_LOGGER = Symbol('LEDGER_LOGGER');
