import type { IncomingMessage } from 'node:http';
import pino, { type DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { LedgerConfig } from '@ledger/config';

/** Every place a credential can travel in a request; logs show `[redacted]` instead. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["auth-token"]',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

export function pinoHttpOptions(config: LedgerConfig, destination?: DestinationStream): Options | [Options, DestinationStream] {
  const options: Options = {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // Fastify has already chosen the id (see request-id.ts): log under the same one.
    genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id: string }).id,
    // Middleware sees a mount-relative req.url; originalUrl is the path the client asked for.
    autoLogging: { ignore: (req) => ((req as { originalUrl?: string }).originalUrl ?? req.url ?? '').startsWith('/health') },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
  };
  return [options, destination ?? pino.destination({ dest: 1, sync: false })];
}
