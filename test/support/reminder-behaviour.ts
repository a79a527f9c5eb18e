import { call, type LedgerServer } from './ledger-server';
import { startWebhookReceiver, testWebhookSecret, type WebhookReceiver } from './webhook-receiver';

/** Short durations keep these tests quick: warnings 3 s before expiry, retries after 1 s, 2 s. */
export const REMINDER_TEST_ENV = {
  REMINDER_LEADS: '3s',
  REMINDER_ATTEMPTS: '3',
  REMINDER_RETRY_DELAY: '1s',
  REMINDER_JOB_LOCK: '3s',
};

export interface ReminderSetup {
  /** The API (and, for BullMQ, the worker) delivering to `env.ALERT_WEBHOOK_URL`. */
  start(env: NodeJS.ProcessEnv): Promise<{ server: LedgerServer; stop(): Promise<void>; deliveryLog(): string }>;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Falsy = null | undefined | false | 0 | '';

export async function until<T>(check: () => T | Falsy | Promise<T | Falsy>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export async function createToken(server: LedgerServer, projectId: string, body: Record<string, unknown>) {
  const created = await call(server, 'POST', `/v1/projects/${projectId}/tokens`, {
    token: server.rootToken,
    body: { name: 'reminded', scopes: ['orders:read'], ...body },
  });
  expect(created.status).toBe(201);
  return { ...created.body.token, value: created.body.value } as { id: string; expiresAt: string | null; createdAt: string; value: string };
}

export async function history(server: LedgerServer, projectId: string, tokenId: string): Promise<Array<{ type: string; data: any }>> {
  const response = await call(server, 'GET', `/v1/projects/${projectId}/tokens/${tokenId}/events`, { token: server.rootToken });
  expect(response.status).toBe(200);
  return response.body.items;
}

export const remindersSent = async (server: LedgerServer, projectId: string, tokenId: string) =>
  (await history(server, projectId, tokenId)).filter((e) => e.type === 'ReminderSent');

/**
 * The behaviour issue 6 asks of reminders, run against both schedulers: the embedded in-process
 * one and BullMQ with its worker process. Each test uses its own project and tokens.
 */
export function reminderBehaviour(name: string, setup: ReminderSetup): { receiver: () => WebhookReceiver; server: () => LedgerServer } {
  let receiver: WebhookReceiver;
  let server: LedgerServer;
  let stop: () => Promise<void>;
  let deliveryLog: () => string;
  let secret: string;
  const forToken = (tokenId: string) => receiver.deliveries.filter((d) => d.body.data.tokenId === tokenId);

  describe(`reminders (${name})`, () => {
    beforeAll(async () => {
      secret = testWebhookSecret();
      receiver = await startWebhookReceiver(secret);
      ({ server, stop, deliveryLog } = await setup.start({ ...REMINDER_TEST_ENV, ALERT_WEBHOOK_URL: receiver.url, ALERT_WEBHOOK_SECRET: secret }));
    }, 60_000);
    afterAll(async () => {
      // The signing secret never reaches a log line (the API's own output is captured).
      expect(server.output()).not.toContain(secret.slice('whsec_'.length));
      await stop?.();
      await receiver?.close();
    });
    afterEach(() => {
      receiver.respond = () => 204;
      expect(receiver.rejected).toEqual([]);
    });

    it('sends a signed warning at the lead and an expiry notice at expiry, and records both', async () => {
      const token = await createToken(server, 'rem-ontime', { name: 'billing sync', type: 'integration', expiresIn: '6s' });
      const expiresAt = Date.parse(token.expiresAt!);
      await until(() => forToken(token.id).length >= 2, 12_000, 'two webhooks');
      const [warning, expired] = forToken(token.id);
      expect(warning.body).toEqual({
        type: 'token.expiry_warning',
        timestamp: new Date(expiresAt - 3000).toISOString(),
        data: {
          tokenId: token.id,
          projectId: 'rem-ontime',
          name: 'billing sync',
          type: 'integration',
          expiresAt: token.expiresAt,
          due: new Date(expiresAt - 3000).toISOString(),
          hint: expect.stringMatching(/^tli_…\w{4}$/),
        },
      });
      expect(expired.body).toMatchObject({ type: 'token.expired', data: { tokenId: token.id, due: token.expiresAt } });
      // On time: not before the due moment, and within a couple of seconds of it on a busy machine.
      expect(warning.receivedAt).toBeGreaterThanOrEqual(expiresAt - 3000);
      expect(warning.receivedAt).toBeLessThan(expiresAt - 3000 + 2500);
      expect(expired.receivedAt).toBeGreaterThanOrEqual(expiresAt);
      expect(expired.receivedAt).toBeLessThan(expiresAt + 2500);

      const recorded = await until(
        async () => {
          const events = await history(server, 'rem-ontime', token.id);
          return events.filter((e) => e.type === 'ReminderSent').length === 2 ? events : null;
        },
        5000,
        'two ReminderSent events',
      );
      expect(recorded.map((e) => e.type)).toEqual(['TokenCreated', 'ReminderSent', 'TokenExpired', 'ReminderSent']);
      expect(recorded[1].data).toMatchObject({ kind: 'expiry_warning', channel: 'webhook', attempt: 1, due: warning.body.data.due });
      expect(recorded[3].data).toMatchObject({ kind: 'expired', channel: 'webhook', attempt: 1, due: token.expiresAt });
      expect(recorded[2].data).toMatchObject({ expiredAt: token.expiresAt });

      // A log line for every reminder, with the token's id and hint, never its value.
      const lines = deliveryLog()
        .split('\n')
        .filter((l) => l.includes(token.id) && l.includes('"msg":"reminder token.'));
      expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['reminder token.expiry_warning', 'reminder token.expired']);
      expect(deliveryLog()).not.toContain(token.value);

      // The API follows the ledger on its own (with BullMQ, the worker wrote these from another process).
      const listed = await until(
        async () => {
          const response = await call(server, 'GET', '/v1/reminders?projectId=rem-ontime&status=sent', { token: server.rootToken });
          expect(response.status).toBe(200);
          return response.body.items.length === 2 ? (response.body.items as any[]) : null;
        },
        3000,
        'the sent reminders listed',
      );
      expect(listed.map((r) => [r.kind, r.channel, r.attempt])).toEqual([
        ['expiry_warning', 'webhook', 1],
        ['expired', 'webhook', 1],
      ]);
    });

    it('sends nothing for a token revoked before its lead; a rotated token follows its grace expiry', async () => {
      const doomed = await createToken(server, 'rem-cancel', { expiresIn: '6s' });
      const rotating = await createToken(server, 'rem-cancel', { expiresIn: '1h' });
      const revoke = await call(server, 'DELETE', `/v1/projects/rem-cancel/tokens/${doomed.id}`, { token: server.rootToken });
      expect(revoke.status).toBe(200);
      const rotated = await call(server, 'POST', `/v1/projects/rem-cancel/tokens/${rotating.id}/rotate`, {
        token: server.rootToken,
        body: { gracePeriod: '4s' },
      });
      expect(rotated.status).toBe(201);
      const graceUntil = Date.parse(rotated.body.previous.expiresAt);

      await until(() => forToken(rotating.id).length >= 2, 10_000, "the rotated token's grace reminders");
      expect(forToken(rotating.id).map((d) => [d.body.type, d.body.data.due, d.body.data.expiresAt])).toEqual([
        ['token.expiry_warning', new Date(graceUntil - 3000).toISOString(), rotated.body.previous.expiresAt],
        ['token.expired', rotated.body.previous.expiresAt, rotated.body.previous.expiresAt],
      ]);
      await sleep(Math.max(0, Date.parse(doomed.expiresAt!) + 1500 - Date.now()));
      expect(forToken(doomed.id)).toEqual([]);
      expect(await remindersSent(server, 'rem-cancel', doomed.id)).toEqual([]);

      const cancelled = await call(server, 'GET', '/v1/reminders?projectId=rem-cancel&status=cancelled', { token: server.rootToken });
      const cancelledOf = (id: string) => cancelled.body.items.filter((r: any) => r.tokenId === id).map((r: any) => r.kind);
      expect(cancelledOf(doomed.id)).toEqual(['expiry_warning', 'expired']);
      expect(cancelledOf(rotating.id)).toEqual(['expiry_warning', 'expired']); // the 1 h ones
    });

    it('moves the reminders of an edited token: a shortened expiry is reminded at its new end, under its new name', async () => {
      const token = await createToken(server, 'rem-edit', { name: 'before edit', expiresIn: '1h' });
      await until(
        async () => {
          const pending = await call(server, 'GET', '/v1/reminders?projectId=rem-edit&status=pending', { token: server.rootToken });
          return pending.body.items.length === 2;
        },
        5000,
        'the 1 h reminders scheduled',
      );
      const edited = await call(server, 'PATCH', `/v1/projects/rem-edit/tokens/${token.id}`, {
        token: server.rootToken,
        body: { name: 'after edit', expiresIn: '5s' },
      });
      expect(edited.status).toBe(200);
      const newEnd = Date.parse(edited.body.expiresAt);
      await until(() => forToken(token.id).length >= 2, 12_000, 'the reminders of the new expiry');
      expect(forToken(token.id).map((d) => [d.body.type, d.body.data.due, d.body.data.expiresAt, d.body.data.name])).toEqual([
        ['token.expiry_warning', new Date(newEnd - 3000).toISOString(), edited.body.expiresAt, 'after edit'],
        ['token.expired', edited.body.expiresAt, edited.body.expiresAt, 'after edit'],
      ]);
      expect(forToken(token.id)[1].receivedAt).toBeGreaterThanOrEqual(newEnd);
      const cancelled = await call(server, 'GET', '/v1/reminders?projectId=rem-edit&status=cancelled', { token: server.rootToken });
      expect(cancelled.body.items.map((r: any) => [r.kind, r.due])).toEqual([
        ['expiry_warning', new Date(Date.parse(token.expiresAt!) - 3000).toISOString()],
        ['expired', token.expiresAt],
      ]);
    });

    it('retries a receiver that answers 500 twice: delivered on the third try, recorded once', async () => {
      // Expiring in 2 s, the token gets no warning (it would fall before its creation), only the notice.
      const token = await createToken(server, 'rem-retry', { expiresIn: '2s' });
      receiver.respond = (d, nth) => (d.body.data.tokenId === token.id && nth <= 2 ? 500 : 204);
      const notices = () => forToken(token.id);
      await until(() => notices().some((d) => d.status === 204), 10_000, 'the third attempt');
      expect(notices().map((d) => [d.body.type, d.status])).toEqual([
        ['token.expired', 500],
        ['token.expired', 500],
        ['token.expired', 204],
      ]);
      expect(new Set(notices().map((d) => d.id)).size).toBe(1); // webhook-id stable across retries
      // Exponential backoff: 1 s, then 2 s.
      expect(notices()[1].receivedAt - notices()[0].receivedAt).toBeGreaterThanOrEqual(900);
      expect(notices()[2].receivedAt - notices()[1].receivedAt).toBeGreaterThanOrEqual(1900);
      const sent = await until(
        async () => {
          const events = await remindersSent(server, 'rem-retry', token.id);
          return events.length > 0 ? events : null;
        },
        5000,
        'ReminderSent',
      );
      await sleep(500);
      expect(await remindersSent(server, 'rem-retry', token.id)).toHaveLength(1);
      expect(sent[0].data).toMatchObject({ kind: 'expired', attempt: 3 });
    });

    it('dead-letters a reminder the receiver always refuses, and shows it in the API and metrics', async () => {
      const token = await createToken(server, 'rem-dead', { expiresIn: '2s' });
      receiver.respond = (d) => (d.body.data.tokenId === token.id ? 500 : 204);
      const failed = await until(
        async () => {
          const response = await call(server, 'GET', '/v1/reminders?projectId=rem-dead&status=failed', { token: server.rootToken });
          expect(response.status).toBe(200);
          return response.body.items.length > 0 ? (response.body.items as any[]) : null;
        },
        12_000,
        'a dead letter',
      );
      expect(failed[0]).toMatchObject({ tokenId: token.id, kind: 'expired', status: 'failed', attempt: 3, error: 'webhook answered 500' });
      expect(forToken(token.id)).toHaveLength(3);
      expect(await remindersSent(server, 'rem-dead', token.id)).toEqual([]);

      const pending = await call(server, 'GET', '/v1/reminders?projectId=rem-dead&status=pending', { token: server.rootToken });
      expect(pending.body.items.map((r: any) => r.id)).not.toContain(failed[0].id);
      const metrics = await fetch(`${server.url}/metrics`);
      const text = await metrics.text();
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(text).toMatch(/^ledger_reminder_jobs\{state="failed"\} [1-9]/m);
      expect(text).toMatch(/^ledger_reminders\{status="sent"\} \d+/m);
      expect(text).not.toContain(secret.slice(6));
      expect(text).not.toContain(server.rootToken);

      // Once the receiver is fixed, an admin retries the dead letter: delivered and recorded.
      receiver.respond = () => 204;
      const outsider = await call(server, 'POST', '/v1/projects/rem-other/tokens', { token: server.rootToken, body: { name: 'a', scopes: ['admin'] } });
      const retryPath = `/v1/reminders/${failed[0].id}/retry`;
      expect((await call(server, 'POST', retryPath, { token: outsider.body.value })).status).toBe(404);
      expect((await call(server, 'POST', '/v1/reminders/nonsense/retry', { token: server.rootToken })).status).toBe(404);
      const retried = await call(server, 'POST', retryPath, { token: server.rootToken });
      expect(retried.status).toBe(202);
      const sent = await until(
        async () => {
          const events = await remindersSent(server, 'rem-dead', token.id);
          return events.length > 0 ? events : null;
        },
        5000,
        'the retried reminder recorded',
      );
      expect(sent[0].data).toMatchObject({ kind: 'expired', attempt: 1 });
      expect((await call(server, 'POST', retryPath, { token: server.rootToken })).status).toBe(404);
    });

    it('lets only admins list reminders, and refuses bad filters with 400', async () => {
      const reader = await call(server, 'POST', '/v1/projects/rem-auth/tokens', {
        token: server.rootToken,
        body: { name: 'reader', scopes: ['tokens:read'] },
      });
      const admin = await call(server, 'POST', '/v1/projects/rem-auth/tokens', { token: server.rootToken, body: { name: 'admin', scopes: ['admin'] } });
      expect((await call(server, 'GET', '/v1/reminders')).status).toBe(401);
      expect((await call(server, 'GET', '/v1/reminders', { token: reader.body.value })).status).toBe(403);
      expect((await call(server, 'GET', '/v1/reminders?projectId=rem-ontime', { token: admin.body.value })).status).toBe(403);
      const own = await call(server, 'GET', '/v1/reminders', { token: admin.body.value });
      expect(own.status).toBe(200);
      expect(own.body.items.every((r: any) => r.projectId === 'rem-auth')).toBe(true);
      for (const query of ['status=done', 'projectId=Bad_Id', 'limit=0', 'limit=x', 'extra=1']) {
        const bad = await call(server, 'GET', `/v1/reminders?${query}`, { token: server.rootToken });
        expect(bad.status).toBe(400);
        expect(bad.body.error.code).toBeDefined();
      }
    });
  });
  return { receiver: () => receiver, server: () => server };
}
