import { call, startLedgerServer } from './support/ledger-server';
import { REFUSED_PORT } from './support/refused-port';

/** REDIS_URL set but nothing listening: the API still serves, and says 503 where it needs the queue. */
describe('reminders with Redis unreachable', () => {
  it('answers 503 for the dead-letter listing, keeps /metrics and the rest of the API up', async () => {
    const server = await startLedgerServer({ env: { REDIS_URL: `redis://127.0.0.1:${REFUSED_PORT}`, LOG_LEVEL: 'silent' } });
    try {
      const started = Date.now();
      const listed = await call(server, 'GET', '/v1/reminders?status=failed', { token: server.rootToken });
      expect(listed.status).toBe(503);
      expect(listed.body.error.code).toBe('reminder_queue_unavailable');
      expect(listed.headers.get('retry-after')).toBe('5');
      expect(Date.now() - started).toBeLessThan(5000);
      const ready = await call(server, 'GET', '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.error.details.error.reminders).toMatchObject({ status: 'down', redis: 'down' });
      const metrics = await fetch(`${server.url}/metrics`);
      expect(metrics.status).toBe(200);
      const created = await call(server, 'POST', '/v1/projects/shop/tokens', { token: server.rootToken, body: { name: 'x', scopes: [] } });
      expect(created.status).toBe(201);
    } finally {
      await server.close();
    }
  });
});
