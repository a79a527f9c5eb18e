import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TokenIndex, tokenStatus } from '@ledger/projections';
import { grantsScope, hashTokenValue, parseTokenValue } from '@ledger/token-domain';
import { presentedToken } from '../auth/credentials';

export const BOARD_PATH = '/admin/queues';

/**
 * Bull Board over the reminder queue at /admin/queues, for tokens holding `admin` or `root`.
 * Browsers cannot send a bearer header on navigation, so HTTP Basic with the token as the
 * password works too (the user name is ignored).
 */
export async function mountBullBoard(fastify: FastifyInstance, queue: Queue, index: TokenIndex): Promise<void> {
  // Required here rather than imported: the dashboard (about 11 MB) is loaded only with REDIS_URL.
  const { createBullBoard }: typeof import('@bull-board/api') = require('@bull-board/api');
  const { BullMQAdapter }: typeof import('@bull-board/api/bullMQAdapter') = require('@bull-board/api/bullMQAdapter');
  const { FastifyAdapter }: typeof import('@bull-board/fastify') = require('@bull-board/fastify');
  const board = new FastifyAdapter();
  createBullBoard({ queues: [new BullMQAdapter(queue)], serverAdapter: board, options: { uiConfig: { boardTitle: 'Token Ledger reminders' } } });
  board.setBasePath(BOARD_PATH);
  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', async (request, reply) => authorize(request, reply, index));
      await scope.register(board.registerPlugin());
    },
    { prefix: BOARD_PATH },
  );
}

async function authorize(request: FastifyRequest, reply: FastifyReply, index: TokenIndex): Promise<void> {
  const value = basicPassword(request.headers.authorization) ?? presentedToken(request.headers);
  const token = value && parseTokenValue(value) ? index.find(hashTokenValue(value)) : undefined;
  if (!token || tokenStatus(token, new Date()) !== 'active') {
    await reply
      .code(401)
      .header('www-authenticate', 'Basic realm="token-ledger", charset="UTF-8"')
      .send({ error: { code: 'invalid_token', message: 'the queue dashboard needs a token with scope admin or root' } });
    return;
  }
  if (!grantsScope(token.scopes, 'admin')) {
    await reply.code(403).send({ error: { code: 'insufficient_scope', message: 'the queue dashboard needs scope admin or root', details: { requiredScope: 'admin' } } });
  }
}

function basicPassword(authorization: string | undefined): string | null {
  const match = authorization && /^Basic\s+(\S+)\s*$/i.exec(authorization);
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) : null;
}
