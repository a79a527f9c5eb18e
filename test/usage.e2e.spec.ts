import { UsageFlusher } from '../apps/api/src/verification/usage/usage-flusher';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

const create = async (server: LedgerServer, rootToken: string, name: string) => {
  const res = await call(server, 'POST', '/v1/projects/shop/tokens', { token: rootToken, body: { name, scopes: ['tokens:read', 'orders:read'] } });
  expect(res.status).toBe(201);
  return res.body as { token: { id: string }; value: string };
};
const usedEvents = async (server: LedgerServer, rootToken: string, tokenId: string) => {
  const res = await call(server, 'GET', `/v1/projects/shop/tokens/${tokenId}/events`, { token: rootToken });
  return (res.body.items as Array<{ type: string; data: any }>).filter((e) => e.type === 'TokenUsed');
};

/** Uses are counted in memory and recorded as one TokenUsed per token per flush window. */
describe('usage: last used and use count', () => {
  it('N uses in one window → one TokenUsed with count N; admin API use counts; list orders by lastUsedAt', async () => {
    const server = await startLedgerServer(); // USAGE_FLUSH_INTERVAL 60 s: nothing flushes by itself here
    try {
      const busy = await create(server, server.rootToken, 'busy');
      const idle = await create(server, server.rootToken, 'idle');
      const quiet = await create(server, server.rootToken, 'quiet');
      const started = Date.now();
      for (let i = 0; i < 25; i++) {
        const res = await call(server, 'POST', '/v1/tokens/verify', { body: { token: busy.value }, headers: { 'user-agent': `svc/${i}` } });
        expect(res.body.valid).toBe(true);
      }
      expect((await call(server, 'GET', `/v1/projects/shop/tokens/${busy.token.id}`, { token: busy.value })).status).toBe(200);
      expect((await call(server, 'GET', '/v1/auth/check', { token: quiet.value })).status).toBe(200);
      // Failed verifications are not uses.
      expect((await call(server, 'POST', '/v1/tokens/verify', { body: { token: idle.value, scopes: ['orders:write'] } })).body.valid).toBe(false);
      expect(await usedEvents(server, server.rootToken, busy.token.id)).toEqual([]);

      await server.app.get(UsageFlusher).flush();

      const [used, ...more] = await usedEvents(server, server.rootToken, busy.token.id);
      expect(more).toEqual([]);
      expect(used.data).toMatchObject({ tokenId: busy.token.id, projectId: 'shop', count: 26, lastIp: '127.0.0.1' });
      expect(used.data.lastUserAgent).toMatch(/^node|undici/); // the admin call came last, from fetch
      expect(Date.parse(used.data.firstUsedAt)).toBeGreaterThanOrEqual(started - 5);
      expect(Date.parse(used.data.lastUsedAt)).toBeGreaterThanOrEqual(Date.parse(used.data.firstUsedAt));
      expect(await usedEvents(server, server.rootToken, idle.token.id)).toEqual([]);

      const view = await call(server, 'GET', `/v1/projects/shop/tokens/${busy.token.id}`, { token: server.rootToken });
      expect(view.body).toMatchObject({ useCount: 26, lastUsedAt: used.data.lastUsedAt });
      const list = await call(server, 'GET', '/v1/projects/shop/tokens?order=lastUsedAt&direction=DESC', { token: server.rootToken });
      expect(list.body.items.map((t: { name: string }) => t.name).slice(0, 2)).toEqual(['quiet', 'busy']); // quiet was used last
      expect(list.body.items.find((t: { name: string }) => t.name === 'idle')).toMatchObject({ useCount: 0, lastUsedAt: null });
    } finally {
      await server.close();
    }
  });

  it('flushes on graceful shutdown: the uses survive a restart', async () => {
    const first = await startLedgerServer();
    const rootToken = first.rootToken;
    const token = await create(first, rootToken, 'svc');
    for (let i = 0; i < 7; i++) await call(first, 'POST', '/v1/tokens/verify', { body: { token: token.value } });
    await first.stop();
    const second = await startLedgerServer({ dataDir: first.dataDir });
    try {
      const used = await usedEvents(second, rootToken, token.token.id);
      // The admin calls above were made with the root token, not this one: 7 verifies only.
      expect(used.map((e) => e.data.count)).toEqual([7]);
    } finally {
      await second.close();
    }
  });

  it('flushes in the background every USAGE_FLUSH_INTERVAL', async () => {
    const server = await startLedgerServer({ env: { USAGE_FLUSH_INTERVAL: '1s' } });
    try {
      const token = await create(server, server.rootToken, 'svc');
      for (let i = 0; i < 3; i++) await call(server, 'POST', '/v1/tokens/verify', { body: { token: token.value } });
      const deadline = Date.now() + 5000;
      let useCount = 0;
      while (useCount < 3 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        useCount = (await call(server, 'GET', `/v1/projects/shop/tokens/${token.token.id}`, { token: server.rootToken })).body.useCount;
      }
      expect(useCount).toBe(3);
    } finally {
      await server.close();
    }
  });
});
