import { randomBytes } from 'node:crypto';
import { BullmqReminderScheduler, startBullmqWorker } from './bullmq-scheduler';
import { reminderSchedulerContract } from './reminder-scheduler.contract';
import { deleteRedisPrefix } from './redis-prefix';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** BullMQ against the real Redis, each test under its own random prefix, deleted afterwards. */
reminderSchedulerContract('BullMQ', async (handler, retry) => {
  const prefix = `test-reminders-${randomBytes(6).toString('hex')}`;
  const scheduler = new BullmqReminderScheduler({ redisUrl: REDIS_URL, prefix }, retry);
  const worker = startBullmqWorker({ redisUrl: REDIS_URL, prefix, lockMs: 5000 }, handler);
  const close = scheduler.close.bind(scheduler);
  scheduler.close = async () => {
    await worker.close();
    await deleteRedisPrefix(REDIS_URL, prefix);
    await close();
  };
  return scheduler;
});
