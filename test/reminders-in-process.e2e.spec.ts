import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLedgerServer } from './support/ledger-server';
import { createToken, reminderBehaviour, remindersSent, REMINDER_TEST_ENV, sleep, until } from './support/reminder-behaviour';
import { startWebhookReceiver, testWebhookSecret } from './support/webhook-receiver';

/** The embedded default: `npm start` alone, no Redis, sends reminders from the API process. */
reminderBehaviour('in-process', {
  async start(env) {
    const server = await startLedgerServer({ env: { ...env, LOG_LEVEL: 'info' } });
    return { server, stop: () => server.close(), deliveryLog: () => server.output() };
  },
});

describe('reminders (in-process) across a restart', () => {
  it('re-derives pending reminders from the ledger on start: one due while it was down is sent late, not lost', async () => {
    const secret = testWebhookSecret();
    const receiver = await startWebhookReceiver(secret);
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-reminders-'));
    const env = { ...REMINDER_TEST_ENV, ALERT_WEBHOOK_URL: receiver.url, ALERT_WEBHOOK_SECRET: secret, LOG_LEVEL: 'warn' };
    try {
      const first = await startLedgerServer({ dataDir, env });
      const root = first.rootToken;
      const token = await createToken(first, 'rem-restart', { expiresIn: '5s' });
      await first.stop();
      // Down across the warning's due moment (2 s after creation).
      await sleep(Math.max(0, Date.parse(token.expiresAt!) - 3000 + 500 - Date.now()));
      expect(receiver.deliveries).toEqual([]);
      const second = Object.assign(await startLedgerServer({ dataDir, env }), { rootToken: root });
      try {
        await until(() => receiver.deliveries.length >= 2, 10_000, 'both reminders after the restart');
        expect(receiver.deliveries.map((d) => d.body.type)).toEqual(['token.expiry_warning', 'token.expired']);
        const sent = await until(
          async () => {
            const events = await remindersSent(second, 'rem-restart', token.id);
            return events.length === 2 ? events : null;
          },
          5000,
          'two ReminderSent',
        );
        expect(sent.map((e) => e.data.kind)).toEqual(['expiry_warning', 'expired']);
      } finally {
        await second.stop();
      }
    } finally {
      await receiver.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
