import type { FastifyRequest } from 'fastify';
import type { CommandContext } from '@ledger/event-store';
import { redactTokenValues } from '@ledger/token-domain';
import type { Caller } from '../credentials/caller';

/**
 * A header as it goes into event metadata, which is immutable and exported: a token value a
 * client pasted into it (a User-Agent, a correlation id) is redacted, never recorded.
 */
const header = (request: FastifyRequest, name: string): string | null => {
  const value = request.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first ? redactTokenValues(first.slice(0, 256)) : null;
};

/** Who asked and from where, for the metadata of the events a request causes. */
export function commandContext(request: FastifyRequest, caller: Caller): CommandContext {
  return {
    actor: { type: 'token', id: caller.tokenId },
    requestId: request.id,
    ip: request.ip ?? null,
    userAgent: header(request, 'user-agent'),
    correlationId: header(request, 'x-correlation-id') ?? request.id,
    causationId: request.id,
  };
}
