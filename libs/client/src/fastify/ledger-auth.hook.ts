import { authorizeRequest } from '../authorize-request';
import type { TokenVerifier, VerifiedToken, VerifyRequirement } from '../verified-token';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by ledgerAuthHook: the verified token. */
    ledgerToken?: VerifiedToken;
  }
}

/** The parts of Fastify's request and reply used here (no dependency on fastify itself). */
interface Request {
  headers: Record<string, string | string[] | undefined>;
  ledgerToken?: VerifiedToken;
}
interface Reply {
  code(status: number): Reply;
  headers(values: Record<string, string>): Reply;
  send(body: unknown): unknown;
}

/**
 * A Fastify preHandler hook: refuses the request (401, 403 or 503, in the ledger's error shape)
 * unless it carries a token holding every scope; otherwise puts it on `request.ledgerToken`.
 *   app.get('/orders', { preHandler: ledgerAuthHook(verifier, { scopes: ['orders:read'] }) }, handler)
 */
export function ledgerAuthHook(verifier: TokenVerifier, requirement: VerifyRequirement = {}) {
  return async (request: Request, reply: Reply): Promise<unknown> => {
    const result = await authorizeRequest(verifier, request.headers, requirement);
    // Fastify: an async hook that answers returns the reply, so that the route is not run.
    if (!result.allowed) return reply.code(result.refusal.status).headers(result.refusal.headers).send(result.refusal.body);
    request.ledgerToken = result.token;
    return undefined;
  };
}
