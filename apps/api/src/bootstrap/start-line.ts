import type { AddressInfo } from 'node:net';
import type { LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Nest's start-up chatter, one line per module and per route: debug, not the default info. */
const CHATTY_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** Nest's logger, with the per-route "Mapped {…} route" lines (and their like) moved to debug. */
export function withQuietStartup(logger: LoggerService): LoggerService {
  const debug = (message: unknown, ...rest: unknown[]): void => void logger.debug?.(message, ...rest);
  return {
    log: (message: unknown, ...rest: unknown[]): void => {
      if (CHATTY_CONTEXTS.has(String(rest.at(-1)))) debug(message, ...rest);
      else logger.log(message, ...rest);
    },
    error: (message: unknown, ...rest: unknown[]): void => {
      logger.error(message, ...rest);
    },
    warn: (message: unknown, ...rest: unknown[]): void => {
      logger.warn(message, ...rest);
    },
    debug,
    verbose: (message: unknown, ...rest: unknown[]): void => void logger.verbose?.(message, ...rest),
    fatal: (message: unknown, ...rest: unknown[]): void => {
      (logger.fatal ?? logger.error).call(logger, message, ...rest);
    },
  };
}

/** The base URL a person can open: an unspecified address (all interfaces) is shown as localhost. */
export function listeningUrl(address: AddressInfo): string {
  const host = address.address === '0.0.0.0' || address.address === '::' ? 'localhost' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * The one human-readable line printed when the service is ready (besides the JSON logs): where it
 * listens, its console (when this build serves one) and its API docs.
 */
export function startLine(app: NestFastifyApplication): string {
  const url = listeningUrl(app.getHttpServer().address() as AddressInfo);
  const fastify = app.getHttpAdapter().getInstance();
  const hasConsole = ['/console', '/console/'].some((path) => fastify.hasRoute({ method: 'GET', url: path }));
  return `Token Ledger listening on ${url} — ${hasConsole ? `console ${url}/console/, ` : ''}API docs ${url}/docs`;
}
