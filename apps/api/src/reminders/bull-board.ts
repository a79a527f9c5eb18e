import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TokenIndex, tokenStatus } from '@ledger/projections';
import { hashTokenValue, isRootCaller, parseTokenValue } from '@ledger/token-domain';
import { presentedToken } from '../credentials/presented-token';
import { sendApiError } from '../http/send-api-error';

export const BOARD_PATH = '/admin/queues';

/** Reading the board: its page, assets and JSON. Anything else would change the queue. */
const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * Bull Board over the reminder queue at /admin/queues: root only, and read-only. The queue holds
 * every project's reminder jobs (so a project's admin must not see it), and a pause, clean, retry
 * or added job there would bypass the API and the ledger (changes that matter go through
 * `/v1/reminders/...`, recorded). Read-only twice: the adapter's readOnlyMode, and a refusal of
 * every method but GET/HEAD here, whatever routes a later Bull Board adds.
 * Browsers cannot send a bearer header on navigation, so HTTP Basic with the token as the
 * password works too (the user name is ignored).
 */
export async function mountBullBoard(fastify: FastifyInstance, queue: Queue, index: TokenIndex): Promise<void> {
  // Imported here, on first use (a require() once compiled to CommonJS): the dashboard (about 11 MB) is loaded only with REDIS_URL.
  const { createBullBoard } = await import('@bull-board/api');
  const { BullMQAdapter } = await import('@bull-board/api/bullMQAdapter');
  const { FastifyAdapter } = await import('@bull-board/fastify');
  const board = new FastifyAdapter();
  createBullBoard({
    queues: [new BullMQAdapter(queue, { readOnlyMode: true })],
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'Token Ledger reminders' } },
  });
  board.setBasePath(BOARD_PATH);
  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', async (request, reply) => authorize(request, reply, index));
      // Whatever the board throws answers in the API's shape, redacted, not Fastify's default.
      scope.setErrorHandler((error, _request, reply) => sendApiError(reply, error));
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
      .send({ error: { code: 'invalid_token', message: 'the queue dashboard needs the root token' } });
    return;
  }
  if (!isRootCaller(token)) {
    await reply
      .code(403)
      .send({ error: { code: 'insufficient_scope', message: 'the queue dashboard needs the root token', details: { requiredScope: 'root' } } });
    return;
  }
  if (!READ_METHODS.has(request.method)) {
    await reply
      .code(405)
      .header('allow', 'GET, HEAD')
      .send({ error: { code: 'read_only', message: 'the queue dashboard is read-only; change reminders through /v1/reminders' } });
  }
}

function basicPassword(authorization: string | undefined): string | null {
  const match = authorization && /^Basic\s+(\S+)\s*$/i.exec(authorization);
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) : null;
}
