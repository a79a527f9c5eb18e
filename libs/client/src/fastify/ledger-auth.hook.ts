import type { FastifyReply, FastifyRequest } from 'fastify';
import { authorizeRequest } from '../authorize-request';
import type { TokenVerifier, VerifiedToken, VerifyRequirement } from '../verified-token';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by ledgerAuthHook: the verified token. */
    ledgerToken?: VerifiedToken;
  }
}

/**
 * A Fastify preHandler hook: refuses the request (401, 403 or 503, in the ledger's error shape)
 * unless it carries a token holding every scope; otherwise puts it on `request.ledgerToken`.
 *   app.get('/orders', { preHandler: ledgerAuthHook(verifier, { scopes: ['orders:read'] }) }, handler)
 */
export function ledgerAuthHook(verifier: TokenVerifier, requirement: VerifyRequirement = {}) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const result = await authorizeRequest(verifier, request, requirement);
    // Fastify: an async hook that answers returns the reply, so that the route is not run.
    if (!result.allowed) return reply.code(result.refusal.status).headers(result.refusal.headers).send(result.refusal.body);
    request.ledgerToken = result.token;
    return undefined;
  };
}
