import type { Reminder } from './reminder';
import {
  backoffDelay,
  type DeadLetter,
  type DeadLetterStore,
  type ReminderHandler,
  type ReminderJobCounts,
  type ReminderScheduler,
  type RetryPolicy,
} from './reminder-scheduler.port';

/** Finished jobs remembered by id (as BullMQ keeps completed jobs), oldest forgotten first. */
const KEEP_COMPLETED = 10_000;
// setTimeout takes at most 2^31-1 ms (~24.8 days); longer waits are re-armed in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;
/** How far ahead reminders are held in memory by default (see `horizonMs`). */
export const DEFAULT_REMINDER_HORIZON_MS = 6 * 60 * 60 * 1000;

interface Job {
  reminder: Reminder;
  state: 'delayed' | 'active' | 'completed' | 'failed';
  attempts: number;
  runAt: number;
  timer?: NodeJS.Timeout;
  error?: string;
  failedAt?: string;
}

/**
 * The embedded scheduler: timers in this process. Nothing is lost on a crash because the
 * ledger is the source of truth: on start every pending reminder is derived again and
 * scheduled. Finished jobs are remembered (by id) so that re-scheduling one is a no-op.
 *
 * Only reminders due within `horizonMs` are held (a job and a timer each): a ledger of 100,000
 * tokens without expiry has 100,000 rotation reminders months away, and holding them all costs
 * tens of megabytes for nothing. A later one is simply not taken: whoever schedules must offer
 * it again before it is due (ReminderFeed re-derives pending reminders every half horizon).
 */
export class InProcessReminderScheduler implements ReminderScheduler {
  private readonly jobs = new Map<string, Job>();
  private readonly running = new Set<Promise<void>>();
  private readonly completed: string[] = [];
  private closed = false;

  constructor(
    private readonly handler: ReminderHandler,
    private readonly retry: RetryPolicy,
    private readonly clock: () => number = Date.now,
    private readonly kept?: DeadLetterStore,
    readonly horizonMs: number = DEFAULT_REMINDER_HORIZON_MS,
  ) {
    // Known dead letters stay dead across a restart: re-deriving them schedules nothing.
    for (const dead of kept?.deadLetters() ?? []) {
      this.jobs.set(dead.reminder.id, {
        reminder: dead.reminder,
        state: 'failed',
        attempts: dead.attempts,
        runAt: 0,
        error: dead.error,
        failedAt: dead.failedAt,
      });
    }
  }

  async schedule(reminders: Reminder[]): Promise<void> {
    const until = this.clock() + this.horizonMs;
    for (const reminder of reminders) {
      if (this.closed || this.jobs.has(reminder.id)) continue;
      const runAt = Date.parse(reminder.due);
      if (runAt > until) continue; // beyond the horizon: offered again by the next re-derivation
      const job: Job = { reminder, state: 'delayed', attempts: 0, runAt };
      this.jobs.set(reminder.id, job);
      this.arm(job);
    }
  }

  async cancel(ids: string[]): Promise<void> {
    for (const id of ids) {
      const job = this.jobs.get(id);
      if (job?.state !== 'delayed' && job?.state !== 'failed') continue;
      clearTimeout(job.timer);
      this.jobs.delete(id);
      if (job.state === 'failed') this.kept?.removeDeadLetter(id);
    }
  }

  async deadLetters(): Promise<DeadLetter[]> {
    return [...this.jobs.values()]
      .filter((j) => j.state === 'failed')
      .map((j) => ({ reminder: j.reminder, attempts: j.attempts, error: j.error ?? '', failedAt: j.failedAt ?? '' }));
  }

  async retryDeadLetter(id: string): Promise<boolean> {
    const job = this.jobs.get(id);
    if (job?.state !== 'failed' || this.closed) return false;
    this.kept?.removeDeadLetter(id);
    Object.assign(job, { state: 'delayed', attempts: 0, runAt: this.clock(), error: undefined, failedAt: undefined });
    this.arm(job);
    return true;
  }

  async counts(): Promise<ReminderJobCounts> {
    const counts: ReminderJobCounts = { delayed: 0, waiting: 0, active: 0, failed: 0, completed: 0 };
    for (const job of this.jobs.values()) {
      if (job.state === 'delayed' && job.runAt <= this.clock()) counts.waiting++;
      else counts[job.state]++;
    }
    return counts;
  }

  /** Stops the timers and waits for running deliveries to settle (graceful shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.jobs.values()) clearTimeout(job.timer);
    await Promise.allSettled([...this.running]);
  }

  private arm(job: Job): void {
    if (this.closed) return;
    const wait = Math.max(0, job.runAt - this.clock());
    job.timer = setTimeout(() => (wait > MAX_TIMER_MS ? this.arm(job) : this.track(this.run(job))), Math.min(wait, MAX_TIMER_MS));
    job.timer.unref();
  }

  private track(run: Promise<void>): void {
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  private async run(job: Job): Promise<void> {
    if (this.closed || this.jobs.get(job.reminder.id) !== job) return;
    job.state = 'active';
    job.attempts++;
    try {
      await this.handler(job.reminder, job.attempts);
      job.state = 'completed';
      this.completed.push(job.reminder.id);
      if (this.completed.length > KEEP_COMPLETED) this.jobs.delete(this.completed.shift()!);
    } catch (error) {
      job.error = error instanceof Error ? error.message : String(error);
      if (job.attempts >= this.retry.attempts) {
        job.state = 'failed';
        job.failedAt = new Date(this.clock()).toISOString();
        this.kept?.saveDeadLetter({ reminder: job.reminder, attempts: job.attempts, error: job.error, failedAt: job.failedAt });
        return;
      }
      job.state = 'delayed';
      job.runAt = this.clock() + backoffDelay(this.retry, job.attempts);
      this.arm(job);
    }
  }
}
