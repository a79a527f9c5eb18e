import { createHook } from 'node:async_hooks';
import { REDIS_DISCONNECT_TIMEOUT_MS } from '@ledger/config';
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

  it('closes without leaving a timer behind that would keep the process alive', async () => {
    const timers = new Map<number, NodeJS.Timeout>();
    const hook = createHook({
      init: (id, type, _trigger, resource) => void (type === 'Timeout' && timers.set(id, resource as NodeJS.Timeout)),
      destroy: (id) => void timers.delete(id),
    }).enable();
    let settle: NodeJS.Timeout | undefined;
    try {
      const server = await startLedgerServer({ env: { REDIS_URL: `redis://127.0.0.1:${REFUSED_PORT}`, LOG_LEVEL: 'silent' } });
      await call(server, 'GET', '/v1/reminders?status=failed', { token: server.rootToken });
      await server.close();
      // ioredis arms a timer on each client closed while Redis is unreachable (disconnectTimeout).
      await new Promise((resolve) => (settle = setTimeout(resolve, REDIS_DISCONNECT_TIMEOUT_MS + 200)));
    } finally {
      hook.disable();
    }
    // Each still armed, by its delay in ms (a readable failure).
    const armed = [...timers.values()]
      .filter((timer) => timer !== settle && timer.hasRef())
      .map((timer) => (timer as unknown as { _idleTimeout: number })._idleTimeout);
    expect(armed).toEqual([]);
  });
});
