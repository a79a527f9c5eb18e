import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * The caller's X-Request-Id when it is a plain identifier (so it cannot forge log lines),
 * otherwise a new UUID. Kept on the raw request too, for the HTTP logger.
 */
export function requestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  (req as IncomingMessage & { id: string }).id = id;
  return id;
}
