import type { Logger } from 'pino';
import { EVENTS_FILE, type LedgerConfig } from '@ledger/config';
import { openEventStore } from '@ledger/event-store';
import { lockDataDir } from '@ledger/projections';
import {
  BullmqReminderScheduler,
  notifiersFor,
  readModelPath,
  REMINDER_FEED_GATHER_MS,
  ReminderFeed,
  ReminderProcessor,
  ReminderReadModel,
  reminderPolicy,
  retryPolicy,
  startBullmqWorker,
  WORKER_READ_MODEL_FILE,
} from '@ledger/reminders';
import { join } from 'node:path';

/** How often the worker checks that Redis still holds what the ledger scheduled. */
export const REDIS_CHECK_MS = 10_000;

export interface RunningWorker {
  stop(): Promise<void>;
}

/**
 * The BullMQ side of reminders: follows the ledger into its own read model, keeps the queue in
 * step with it (re-deriving every pending reminder on start and whenever Redis comes back
 * empty), and runs due jobs: deliver, then record ReminderSent (and TokenExpired) in the ledger.
 */
export async function startReminderWorker(config: LedgerConfig, logger: Logger, redisCheckMs = REDIS_CHECK_MS): Promise<RunningWorker> {
  const log = logger.child({ context: 'Reminders' });
  // The worker's reminder read model is its own file: one worker per data directory.
  const lock = lockDataDir(config.dataDir, 'worker');
  const store = openEventStore(config, join(config.dataDir, EVENTS_FILE), (err) => log.warn({ err }, 'connection to the event store lost; trying again'));
  const readModel = await ReminderReadModel.openFollowing(readModelPath(config, WORKER_READ_MODEL_FILE), store, () =>
    log.warn('reminder read model is ahead of the event store (store replaced?); rebuilding it'),
  );
  const policy = reminderPolicy(config);
  const bullmq = { redisUrl: config.redisUrl as string, prefix: config.reminders.queuePrefix };
  const scheduler = new BullmqReminderScheduler(bullmq, retryPolicy(config));
  const feed = new ReminderFeed(store, readModel, policy, scheduler, (err) => log.error({ err }, 'reminder feed stopped'), null, REMINDER_FEED_GATHER_MS);
  await feed.start();
  await scheduler.markSynced();
  log.info({ position: feed.position }, 'reminders caught up with the ledger');

  const processor = new ReminderProcessor(store, notifiersFor(config, log), policy, log);
  const worker = startBullmqWorker({ ...bullmq, lockMs: config.reminders.jobLockMs }, processor.handle);
  worker.worker.on('failed', (job, err) => {
    if (job && job.attemptsMade >= config.reminders.attempts) {
      log.error({ reminderId: job.id, attempts: job.attemptsMade, err: err.message }, 'reminder dead-lettered after its last attempt');
    }
  });
  worker.worker.on('error', (err) => log.warn({ err: err.message }, 'worker connection error'));

  const watchdog = setInterval(() => {
    void (async () => {
      if (await scheduler.isSynced()) return;
      const count = await feed.resync();
      await scheduler.markSynced();
      log.warn({ count }, 'Redis lost the reminder queue; re-derived the pending reminders from the ledger');
    })().catch((err: Error) => log.warn({ err: err.message }, 'could not check the reminder queue'));
  }, redisCheckMs);

  return {
    async stop() {
      clearInterval(watchdog);
      await worker.close();
      await feed.stop();
      await scheduler.close();
      readModel.close();
      await store.close();
      lock.release();
    },
  };
}
