import type { Reminder } from './reminder';
import type { ReminderHandler, ReminderScheduler, RetryPolicy } from './reminder-scheduler.port';

export type SchedulerFactory = (handler: ReminderHandler, retry: RetryPolicy) => Promise<ReminderScheduler>;

const RETRY: RetryPolicy = { attempts: 3, retryDelayMs: 150 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let seq = 0;
function reminderIn(ms: number): Reminder {
  const due = new Date(Date.now() + ms).toISOString();
  const tokenId = `tok_contract${++seq}${Date.now()}`;
  return { id: `${tokenId}.expired.${Date.parse(due)}`, tokenId, projectId: 'shop', kind: 'expired', due };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(25);
  }
}

/** The behaviour every scheduler adapter must show (run by the in-process and BullMQ specs). */
export function reminderSchedulerContract(name: string, factory: SchedulerFactory): void {
  describe(`${name} scheduler (contract)`, () => {
    const runs: Array<{ id: string; attempt: number; at: number }> = [];
    let failuresLeft = new Map<string, number>();
    let scheduler: ReminderScheduler;

    beforeEach(async () => {
      runs.length = 0;
      failuresLeft = new Map();
      scheduler = await factory(async (reminder, attempt) => {
        runs.push({ id: reminder.id, attempt, at: Date.now() });
        const left = failuresLeft.get(reminder.id) ?? 0;
        if (left > 0) {
          failuresLeft.set(reminder.id, left - 1);
          throw new Error(`receiver answered 500 (attempt ${attempt})`);
        }
      }, RETRY);
    });
    afterEach(() => scheduler.close());

    it('runs a reminder at its due time, once even when scheduled twice', async () => {
      const reminder = reminderIn(400);
      await scheduler.schedule([reminder]);
      await scheduler.schedule([reminder]);
      expect((await scheduler.counts()).delayed).toBe(1);
      await until(() => runs.length === 1);
      expect(runs[0].at).toBeGreaterThanOrEqual(Date.parse(reminder.due) - 20);
      await scheduler.schedule([reminder]);
      await sleep(300);
      expect(runs.map((r) => r.id)).toEqual([reminder.id]);
    });

    it('runs nothing that was cancelled', async () => {
      const [kept, cancelled] = [reminderIn(300), reminderIn(300)];
      await scheduler.schedule([kept, cancelled]);
      await scheduler.cancel([cancelled.id, 'tok_unknown.expired.1']);
      await until(() => runs.length === 1);
      await sleep(300);
      expect(runs.map((r) => r.id)).toEqual([kept.id]);
    });

    it('retries with exponential backoff and succeeds on the third attempt', async () => {
      const reminder = reminderIn(0);
      failuresLeft.set(reminder.id, 2);
      await scheduler.schedule([reminder]);
      await until(() => runs.length === 3);
      expect(runs.map((r) => r.attempt)).toEqual([1, 2, 3]);
      expect(runs[1].at - runs[0].at).toBeGreaterThanOrEqual(RETRY.retryDelayMs - 20);
      expect(runs[2].at - runs[1].at).toBeGreaterThanOrEqual(2 * RETRY.retryDelayMs - 20);
      await sleep(300);
      expect(runs).toHaveLength(3);
      expect(await scheduler.deadLetters()).toEqual([]);
    });

    it('keeps a dead letter after the last attempt, with its error', async () => {
      const reminder = reminderIn(0);
      failuresLeft.set(reminder.id, Number.POSITIVE_INFINITY);
      await scheduler.schedule([reminder]);
      await until(async () => (await scheduler.deadLetters()).length === 1);
      const [dead] = await scheduler.deadLetters();
      expect(dead).toMatchObject({ reminder, attempts: 3, error: 'receiver answered 500 (attempt 3)' });
      expect((await scheduler.counts()).failed).toBe(1);
      expect(runs).toHaveLength(3);
    });

    it('retries a dead letter on request with a fresh set of attempts', async () => {
      const reminder = reminderIn(0);
      failuresLeft.set(reminder.id, 3);
      await scheduler.schedule([reminder]);
      await until(async () => (await scheduler.deadLetters()).length === 1);
      expect(await scheduler.retryDeadLetter('tok_unknown.expired.1')).toBe(false);
      expect(await scheduler.retryDeadLetter(reminder.id)).toBe(true);
      await until(() => runs.length === 4);
      await until(async () => (await scheduler.deadLetters()).length === 0);
      expect(runs.map((r) => r.attempt)).toEqual([1, 2, 3, 1]);
      expect(await scheduler.retryDeadLetter(reminder.id)).toBe(false);
    });
  });
}
