import { InProcessReminderScheduler } from './in-process-scheduler';
import { ReminderReadModel } from './reminder.read-model';
import { reminderSchedulerContract } from './reminder-scheduler.contract';

reminderSchedulerContract('in-process', async (handler, retry) => new InProcessReminderScheduler(handler, retry));

describe('in-process scheduler dead letters', () => {
  it('outlive a restart: re-deriving a dead letter runs nothing, and it is still listed', async () => {
    const kept = ReminderReadModel.open(':memory:');
    const due = new Date().toISOString();
    const reminder = { id: `tok_a.expired.${Date.parse(due)}`, tokenId: 'tok_a', projectId: 'shop', kind: 'expired' as const, due };
    let runs = 0;
    const failing = async () => {
      runs++;
      throw new Error('webhook answered 500');
    };
    const first = new InProcessReminderScheduler(failing, { attempts: 1, retryDelayMs: 10 }, Date.now, kept);
    await first.schedule([reminder]);
    for (let i = 0; i < 100 && (await first.deadLetters()).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await first.close();
    expect(runs).toBe(1);

    const second = new InProcessReminderScheduler(failing, { attempts: 1, retryDelayMs: 10 }, Date.now, kept);
    await second.schedule([reminder]);
    await new Promise((r) => setTimeout(r, 100));
    expect(runs).toBe(1);
    expect(await second.deadLetters()).toEqual([{ reminder, attempts: 1, error: 'webhook answered 500', failedAt: expect.any(String) }]);
    await second.cancel([reminder.id]); // the token was revoked: the dead letter goes
    expect(kept.deadLetters()).toEqual([]);
    await second.close();
    kept.close();
  });
});
