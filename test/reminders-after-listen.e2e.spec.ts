import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessReminderScheduler, type Reminder } from '@ledger/reminders';
import { REMINDER_SCHEDULER } from '../apps/api/src/reminders/reminder.tokens';
import { call, startLedgerServer } from './support/ledger-server';
import { createToken, REMINDER_TEST_ENV, until } from './support/reminder-behaviour';

const TOKENS = 4;

/**
 * The reminder feed re-reads every live token when the ledger starts (seconds at a million
 * tokens). It starts once the port is open: a restart answers verify (and readiness) while the
 * feed is still working, and the feed still schedules every pending reminder.
 */
describe('reminder feed on a restart', () => {
  it('does not hold up the start: verify and readiness answer while it re-derives, then every reminder is scheduled', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-reminders-after-listen-'));
    const env = { ...REMINDER_TEST_ENV, LOG_LEVEL: 'warn' };
    const original = InProcessReminderScheduler.prototype.schedule;
    let openGate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const offered: Reminder[] = [];
    try {
      const first = await startLedgerServer({ dataDir, env });
      const root = first.rootToken;
      const tokens = [];
      for (let i = 0; i < TOKENS; i++) tokens.push(await createToken(first, 'feed-after-listen', { expiresIn: '1h' }));
      await first.stop();

      // A slow feed: the restart's re-derivation cannot hand its reminders over until the gate opens.
      const slowSchedule = jest.spyOn(InProcessReminderScheduler.prototype, 'schedule').mockImplementation(async function (
        this: InProcessReminderScheduler,
        reminders,
      ) {
        offered.push(...reminders);
        await gate;
        return original.call(this, reminders);
      });
      const second = Object.assign(await startLedgerServer({ dataDir, env }), { rootToken: root });
      try {
        await until(() => slowSchedule.mock.calls.length > 0, 5000, 'the feed at the gate');
        const verified = await call(second, 'POST', '/v1/tokens/verify', { body: { token: tokens[0].value } });
        expect(verified.status).toBe(200);
        expect(verified.body).toMatchObject({ valid: true, tokenId: tokens[0].id });
        const ready = await call(second, 'GET', '/health/ready');
        expect(ready.status).toBe(200);
        expect(ready.body.details.reminders).toMatchObject({ status: 'up', starting: true });
        const scheduler = second.app.get<InProcessReminderScheduler>(REMINDER_SCHEDULER);
        expect((await scheduler.counts()).delayed).toBe(0);

        openGate();
        await until(async () => (await scheduler.counts()).delayed === TOKENS * 2, 10_000, 'every reminder scheduled');
        const kinds = new Map<string, string[]>();
        for (const r of offered) kinds.set(r.tokenId, [...(kinds.get(r.tokenId) ?? []), r.kind].sort());
        for (const token of tokens) expect(kinds.get(token.id)).toEqual(['expired', 'expiry_warning']);
        await until(async () => (await call(second, 'GET', '/health/ready')).body.details.reminders.starting === undefined, 10_000, 'the feed started');
        expect((await call(second, 'GET', '/health/ready')).status).toBe(200);
      } finally {
        openGate();
        await second.stop();
      }
    } finally {
      openGate();
      jest.restoreAllMocks();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
