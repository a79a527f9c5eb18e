import type { FastifyReply } from 'fastify';
import { toApiError } from './error-response';

/**
 * The project's error shape for routes that answer outside Nest (the verification hot path, the
 * queue dashboard), built by the same toApiError as the filter, so redacted the same way.
 */
export function sendApiError(reply: FastifyReply, error: unknown): FastifyReply {
  const { status, code, message, details, headers } = toApiError(error);
  reply.errorCode = code; // for the 429 metric's bucket
  return reply
    .status(status)
    .headers(headers)
    .type('application/json; charset=utf-8')
    .send({ error: details === undefined ? { code, message } : { code, message, details } });
}
