import type { Job, Queue, Worker } from 'bullmq';
import type IORedis from 'ioredis';
import { REDIS_DISCONNECT_TIMEOUT_MS } from '@ledger/config';
import type { Reminder } from './reminder';
import type { DeadLetter, ReminderHandler, ReminderJobCounts, ReminderScheduler, RetryPolicy } from './reminder-scheduler.port';

export const REMINDER_QUEUE = 'reminders';

/**
 * bullmq and ioredis are loaded when first used, not when the library is: a ledger without
 * REDIS_URL never touches them, and they cost about 14 MB of RSS.
 */
const bullmq = (): typeof import('bullmq') => require('bullmq') as typeof import('bullmq');
const ioredis = (): typeof import('ioredis').default => (require('ioredis') as typeof import('ioredis')).default;

export interface BullmqOptions {
  redisUrl: string;
  /** Key prefix of the queue (BullMQ `prefix`): one per deployment, one per test run. */
  prefix: string;
}

/** BullMQ wants no per-command retry limit on connections that block (workers). */
export const redisConnection = (url: string): IORedis => new (ioredis())(url, { maxRetriesPerRequest: null, disconnectTimeout: REDIS_DISCONNECT_TIMEOUT_MS });

/** QUIT when connected; otherwise drop the connection, which would else keep reconnecting. */
async function disconnect(connection: IORedis): Promise<void> {
  if (connection.status === 'ready') await connection.quit().catch(() => connection.disconnect());
  else connection.disconnect();
}

/**
 * Reminders as delayed BullMQ jobs whose job id is the reminder id, so adding one twice is a
 * no-op. Failed jobs are kept (removeOnFail: false): the dead letters the API and board list.
 */
export class BullmqReminderScheduler implements ReminderScheduler {
  readonly queue: Queue<Reminder>;
  private readonly connection: IORedis;

  constructor(
    private readonly options: BullmqOptions,
    private readonly retry: RetryPolicy,
    private readonly clock: () => number = Date.now,
    onError: (error: Error) => void = () => undefined,
  ) {
    this.connection = redisConnection(options.redisUrl);
    this.queue = new (bullmq().Queue)<Reminder>(REMINDER_QUEUE, { connection: this.connection, prefix: options.prefix });
    // Without a listener an 'error' event (Redis unreachable) would end the process.
    this.queue.on('error', onError);
  }

  async schedule(reminders: Reminder[]): Promise<void> {
    if (reminders.length === 0) return;
    const now = this.clock();
    await this.queue.addBulk(
      reminders.map((reminder) => ({
        name: reminder.kind,
        data: reminder,
        opts: {
          jobId: reminder.id,
          delay: Math.max(0, Date.parse(reminder.due) - now),
          attempts: this.retry.attempts,
          backoff: { type: 'exponential', delay: this.retry.retryDelayMs },
          // Kept a while, so a re-derived reminder that already ran is recognised by its id.
          removeOnComplete: { age: 7 * 86_400, count: 10_000 },
          removeOnFail: false,
        },
      })),
    );
  }

  async cancel(ids: string[]): Promise<void> {
    for (const id of ids) {
      // A job that is running is locked and stays; its handler re-checks the ledger and skips.
      await this.queue.remove(id).catch(() => 0);
    }
  }

  async deadLetters(): Promise<DeadLetter[]> {
    const failed = await this.queue.getFailed(0, -1);
    return failed
      .filter((job): job is Job<Reminder> => Boolean(job))
      .map((job) => ({
        reminder: job.data,
        attempts: job.attemptsMade,
        error: job.failedReason ?? '',
        failedAt: new Date(job.finishedOn ?? job.processedOn ?? job.timestamp).toISOString(),
      }));
  }

  async retryDeadLetter(id: string): Promise<boolean> {
    const job = await this.queue.getJob(id);
    if (!job || !(await job.isFailed())) return false;
    // A fresh set of attempts (BullMQ resets attemptsMade on a manual retry).
    await job.retry('failed', { resetAttemptsMade: true });
    return true;
  }

  async counts(): Promise<ReminderJobCounts> {
    const c = await this.queue.getJobCounts('delayed', 'waiting', 'prioritized', 'active', 'failed', 'completed');
    return { delayed: c.delayed, waiting: c.waiting + (c.prioritized ?? 0), active: c.active, failed: c.failed, completed: c.completed };
  }

  /**
   * A marker key the queue keeps while Redis holds what the ledger scheduled. Gone means Redis
   * lost its data (restart without persistence, flush): every pending reminder must be re-added.
   */
  async isSynced(): Promise<boolean> {
    return (await this.connection.exists(this.markerKey())) === 1;
  }

  async markSynced(): Promise<void> {
    await this.connection.set(this.markerKey(), new Date(this.clock()).toISOString());
  }

  async close(): Promise<void> {
    if (this.connection.status !== 'ready' && this.connection.status !== 'end') {
      // Redis not reached (yet): BullMQ is still waiting for this connection, and ending it fails
      // that wait with the last connect error. Let the failure reach the queue's error listener
      // first: queue.close() removes the listener, and the failure would then be thrown as an
      // unhandled rejection (seen as a test failing 1 run in 8 with Redis down).
      const ended = new Promise((resolve) => this.connection.once('end', resolve));
      this.connection.disconnect();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([ended, new Promise((resolve) => (timer = setTimeout(resolve, 1000)))]);
      // Cleared, not left to run: an armed timer would keep a closed ledger's process alive.
      clearTimeout(timer);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await this.queue.close();
    await disconnect(this.connection);
  }

  private markerKey(): string {
    return `${this.options.prefix}:${REMINDER_QUEUE}:ledger-synced`;
  }
}

/** The worker side: runs due jobs; a throw is retried with backoff until attempts run out. */
export function startBullmqWorker(
  options: BullmqOptions & { lockMs: number; concurrency?: number },
  handler: ReminderHandler,
): { worker: Worker<Reminder>; close(): Promise<void> } {
  const connection = redisConnection(options.redisUrl);
  const worker = new (bullmq().Worker)<Reminder>(REMINDER_QUEUE, (job) => handler(job.data, job.attemptsMade + 1), {
    connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 4,
    // A crashed worker's job is taken over once its lock lapses (checked every stalledInterval).
    lockDuration: options.lockMs,
    stalledInterval: Math.min(options.lockMs, 30_000),
  });
  return {
    worker,
    async close() {
      // Waits for running jobs to finish: a SIGTERM never cuts a delivery in half.
      await worker.close();
      await disconnect(connection);
    },
  };
}
