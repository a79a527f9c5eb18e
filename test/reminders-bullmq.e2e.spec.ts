import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { deleteRedisPrefix, redisConnection, REMINDER_QUEUE } from '@ledger/reminders';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';
import { createToken, reminderBehaviour, remindersSent, REMINDER_TEST_ENV, until } from './support/reminder-behaviour';
import { startWebhookReceiver, testWebhookSecret, type WebhookReceiver } from './support/webhook-receiver';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The API with REDIS_URL set and the worker as its own process, on one events.sqlite. */
async function startWithWorker(env: NodeJS.ProcessEnv) {
  const prefix = `test-ledger-${randomBytes(6).toString('hex')}`;
  const fullEnv = { ...env, REDIS_URL, REMINDER_QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' };
  const server = await startLedgerServer({ env: fullEnv });
  const workerEnv = { ...fullEnv, LEDGER_DATA_DIR: server.dataDir, LOG_LEVEL: 'info' };
  let worker: WorkerProcess;
  try {
    worker = await startWorkerProcess(workerEnv);
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    server,
    prefix,
    worker: () => worker,
    deliveryLog: () => worker.output(),
    restartWorker: async () => (worker = await startWorkerProcess(workerEnv)),
    stop: async () => {
      await worker.stop();
      await server.close();
      await deleteRedisPrefix(REDIS_URL, prefix);
    },
  };
}

reminderBehaviour('BullMQ worker', { start: startWithWorker });

describe('reminders (BullMQ worker) through crashes and Redis loss', () => {
  let receiver: WebhookReceiver;
  let running: Awaited<ReturnType<typeof startWithWorker>>;
  let server: LedgerServer;
  let queue: Queue;
  let connection: ReturnType<typeof redisConnection>;

  beforeAll(async () => {
    const secret = testWebhookSecret();
    receiver = await startWebhookReceiver(secret);
    running = await startWithWorker({ ...REMINDER_TEST_ENV, ALERT_WEBHOOK_URL: receiver.url, ALERT_WEBHOOK_SECRET: secret });
    server = running.server;
    connection = redisConnection(REDIS_URL);
    queue = new Queue(REMINDER_QUEUE, { connection, prefix: running.prefix });
  }, 60_000);
  afterAll(async () => {
    await queue?.close();
    connection?.disconnect();
    await running?.stop();
    await receiver?.close();
  });

  it('delivers and records once after the worker is killed with SIGKILL mid-delivery', async () => {
    let killed: Promise<unknown> | undefined;
    const token = await createToken(server, 'rem-crash', { expiresIn: '2s' });
    receiver.respond = (d, nth) => {
      if (d.body.data.tokenId !== token.id || nth > 1) return 204;
      killed = running.worker().stop('SIGKILL'); // while the request is still open
      return 'hold';
    };
    await until(() => killed, 10_000, 'the first delivery');
    expect(await killed).toBe('SIGKILL');
    await running.restartWorker();
    await until(() => receiver.deliveries.some((d) => d.body.data.tokenId === token.id && d.status === 204), 15_000, 'the delivery after restart');
    const sent = await until(
      async () => {
        const events = await remindersSent(server, 'rem-crash', token.id);
        return events.length > 0 ? events : null;
      },
      5000,
      'ReminderSent',
    );
    const deliveries = receiver.deliveries.filter((d) => d.body.data.tokenId === token.id);
    expect(deliveries.map((d) => d.status)).toEqual([0, 204]);
    expect(deliveries[0].id).toBe(deliveries[1].id);
    await new Promise((r) => setTimeout(r, 500));
    expect(await remindersSent(server, 'rem-crash', token.id)).toHaveLength(1);
    expect(sent[0].data.kind).toBe('expired');
  });

  it('puts every pending reminder back when the worker starts on a Redis that lost its keys', async () => {
    await createToken(server, 'rem-flush', { expiresIn: '1h' });
    await createToken(server, 'rem-flush', { expiresIn: '2h' });
    await createToken(server, 'rem-flush', {}); // no expiry: rotation_due in 90 days
    const listed = await until(
      async () => {
        const response = await call(server, 'GET', '/v1/reminders?projectId=rem-flush&status=pending', { token: server.rootToken });
        return response.body.items.length === 5 ? (response.body.items as Array<{ id: string; kind: string }>) : null;
      },
      5000,
      'five pending reminders',
    );
    const ids = listed.map((r) => r.id);
    const jobsPresent = async () => (await Promise.all(ids.map((id) => queue.getJob(id)))).filter(Boolean).length;
    await until(async () => (await jobsPresent()) === 5, 5000, 'the jobs in Redis');

    expect(await running.worker().stop('SIGTERM')).toBe(0); // graceful shutdown
    expect(await deleteRedisPrefix(REDIS_URL, running.prefix)).toBeGreaterThan(0); // "Redis flushed"
    expect(await jobsPresent()).toBe(0);

    await running.restartWorker();
    expect(await jobsPresent()).toBe(5);
    const states = await Promise.all(ids.map(async (id) => (await queue.getJob(id))!.getState()));
    expect(states).toEqual(['delayed', 'delayed', 'delayed', 'delayed', 'delayed']);
    expect(listed.map((r) => r.kind).sort()).toEqual(['expired', 'expired', 'expiry_warning', 'expiry_warning', 'rotation_due']);
  });

  it('is ready while Redis answers', async () => {
    const ready = await call(server, 'GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details.reminders).toMatchObject({ status: 'up', scheduler: 'bullmq', redis: 'up' });
  });

  it('serves Bull Board at /admin/queues to the root token only, read-only', async () => {
    const reader = await call(server, 'POST', '/v1/projects/rem-board/tokens', { token: server.rootToken, body: { name: 'r', scopes: ['tokens:read'] } });
    const admin = await call(server, 'POST', '/v1/projects/rem-board/tokens', { token: server.rootToken, body: { name: 'a', scopes: ['admin'] } });
    const get = (path: string, headers: Record<string, string> = {}) => fetch(server.url + path, { headers });
    const anonymous = await get('/admin/queues');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(((await anonymous.json()) as any).error.code).toBe('invalid_token');
    expect((await get('/admin/queues', { authorization: `Bearer ${reader.body.value}` })).status).toBe(403);
    expect((await get('/admin/queues/api/queues', { authorization: `Bearer ${reader.body.value}` })).status).toBe(403);
    // A project's admin would see every project's reminder jobs there.
    expect((await get('/admin/queues', { authorization: `Bearer ${admin.body.value}` })).status).toBe(403);
    expect((await get('/admin/queues/api/queues', { authorization: `Bearer ${admin.body.value}` })).status).toBe(403);

    const page = await get('/admin/queues', { authorization: `Bearer ${server.rootToken}` });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const basic = 'Basic ' + Buffer.from(`ops:${server.rootToken}`).toString('base64');
    const api = await get('/admin/queues/api/queues', { authorization: basic });
    expect(api.status).toBe(200);
    const board = (await api.json()) as any;
    expect(board.queues.map((q: { name: string }) => q.name)).toEqual([REMINDER_QUEUE]);
    expect(board.queues[0].readOnlyMode).toBe(true);

    // Nothing changes the queue from there, not even with root: pause, clean, add, retry.
    // The worker schedules the two tokens' rotation_due jobs on its own time: take the counts only after
    // those jobs are in Redis, or a late schedule reads as a change made through the board.
    const boardReminders = await until(
      async () => {
        const response = await call(server, 'GET', '/v1/reminders?projectId=rem-board&status=pending', { token: server.rootToken });
        return response.body.items.length === 2 ? (response.body.items as Array<{ id: string }>) : null;
      },
      5000,
      "the board tokens' pending reminders",
    );
    await until(async () => (await Promise.all(boardReminders.map((r) => queue.getJob(r.id)))).every(Boolean), 5000, "the board tokens' jobs in Redis");
    const counts = await queue.getJobCounts();
    for (const [method, path] of [
      ['PUT', '/admin/queues/api/queues/pause'],
      ['PUT', `/admin/queues/api/queues/${REMINDER_QUEUE}/pause`],
      ['PUT', `/admin/queues/api/queues/${REMINDER_QUEUE}/clean/delayed`],
      ['PUT', `/admin/queues/api/queues/${REMINDER_QUEUE}/retry/failed`],
      ['POST', `/admin/queues/api/queues/${REMINDER_QUEUE}/add`],
      ['PUT', `/admin/queues/api/queues/${REMINDER_QUEUE}/promote`],
    ]) {
      const res = await fetch(server.url + path, { method, headers: { authorization: basic, 'content-type': 'application/json' }, body: '{}' });
      expect([method, path, res.status]).toEqual([method, path, 405]);
    }
    expect(await queue.isPaused()).toBe(false);
    expect(await queue.getJobCounts()).toEqual(counts);
  });
});
