import { isTransientStoreError, type EventStore, type GlobalPosition, type RecordedEvent, type Subscription } from '@ledger/event-store';
import type { Reminder, ReminderPolicy } from './reminder';
import type { ReminderReadModel } from './reminder.read-model';
import type { ReminderScheduler } from './reminder-scheduler.port';

/** The feed's page: a catch-up applies this many events in one read-model transaction. */
const PAGE = 2000;

/**
 * How long the services let a live batch smaller than a page wait before reading the next one.
 * Each batch is a read-model transaction (and a commit) whatever its size, and under a stream of
 * creates the store wakes the feed once per group commit, a dozen events at a time: gathering a
 * tenth of a second of them costs reminders (due hours or days ahead) nothing and the create
 * path a read and a commit per round. See docs/performance.md ("The reminder feed gathers").
 */
export const REMINDER_FEED_GATHER_MS = 100;

/**
 * Feeds the reminder read model (and, when given, a scheduler) from the store's global stream,
 * from the read model's checkpoint: never from an in-memory bus, so a crash loses nothing.
 * The scheduler is told before the checkpoint moves: after a crash the batch is folded and
 * scheduled again, which deterministic reminder ids make harmless.
 */
export class ReminderFeed {
  private subscription: Subscription | null = null;
  private applied: GlobalPosition;
  private failure: unknown = null;
  private caughtUp: Array<{ position: GlobalPosition; resolve: () => void }> = [];
  private resyncTimer: NodeJS.Timeout | null = null;
  private resyncing: Promise<unknown> | null = null;
  private stopped = false;
  private startingUp = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private wakeRetry: (() => void) | null = null;
  private gatherTimer: NodeJS.Timeout | undefined;
  private endGather: (() => void) | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly readModel: ReminderReadModel,
    private readonly policy: ReminderPolicy,
    private readonly scheduler: ReminderScheduler | null,
    private readonly onError: (error: unknown) => void = () => undefined,
    /**
     * Offer the scheduler only the reminders due within this window, and re-derive them every
     * half window (the in-process scheduler's horizon); null: everything, on start only.
     */
    private readonly horizonMs: number | null = null,
    /** A live batch smaller than a page waits this long before the next read (REMINDER_FEED_GATHER_MS); 0: none. */
    private readonly gatherMs = 0,
  ) {
    this.applied = readModel.checkpoint();
  }

  /**
   * Re-derives every pending reminder, then follows the store; resolves once caught up. The API
   * runs it after its port is open (a million live tokens take seconds to re-derive), so a stop
   * may come while it runs: it then ends early, and resolves.
   */
  async start(): Promise<void> {
    this.startingUp = true;
    try {
      await (this.resyncing = this.resync()).finally(() => (this.resyncing = null));
      if (this.stopped) return;
      const head = await this.store.headPosition();
      if (this.stopped) return;
      this.subscribe();
      if (this.applied < head) await new Promise<void>((resolve) => this.caughtUp.push({ position: head, resolve }));
      if (this.scheduler && this.horizonMs !== null && !this.stopped) {
        this.resyncTimer = setInterval(() => {
          // One at a time; a failure is reported and the next round tries again.
          this.resyncing ??= this.resync()
            .catch(this.onError)
            .finally(() => (this.resyncing = null));
        }, this.horizonMs / 2);
        this.resyncTimer.unref();
      }
    } finally {
      this.startingUp = false;
    }
  }

  /**
   * start(), tried again after each failure that ends it (re-deriving into a scheduler that is
   * away, the store's head unreadable), with backoff up to `maxDelayMs`, each failure reported
   * and readiness down meanwhile; ends when started or stopped. For a process already serving
   * (the API starts the feed once its port is open): neither exiting, which would take
   * verification down with it, nor giving up, which would leave reminders stopped until a restart.
   * Answers whether it started (false: stopped first).
   */
  async startRetrying(maxDelayMs = 30_000): Promise<boolean> {
    for (let attempt = 0; !this.stopped; attempt++) {
      this.failure = null;
      try {
        await this.start();
        return !this.stopped;
      } catch (error) {
        this.failure = error;
        this.onError(error);
      }
      await new Promise<void>((resolve) => {
        this.wakeRetry = resolve;
        this.retryTimer = setTimeout(resolve, Math.min(100 * 2 ** attempt, maxDelayMs));
      });
      this.wakeRetry = null;
    }
    return false;
  }

  /**
   * Between start() and its end (re-deriving pending reminders, or catching up with the store),
   * as long as nothing failed meanwhile: a failed catch-up is not "starting" but down.
   */
  get starting(): boolean {
    return this.startingUp && this.failure === null;
  }

  private subscribe(): void {
    this.subscription = this.store.subscribeToAll(
      // Large batches: each one is a single read-model transaction (commits dominate a catch-up).
      { after: this.applied, batchSize: PAGE },
      (events) => this.handle(events),
      (error) => this.failed(error),
    );
  }

  /**
   * A full disk or a store away mends by itself: follow again from the checkpoint after a
   * backoff (readiness says down meanwhile). Anything else stops the feed, reported.
   */
  private failed(error: unknown): void {
    this.failure = error;
    this.onError(error);
    if (this.stopped || !isTransientStoreError(error)) return;
    const delay = Math.min(100 * 2 ** this.failures++, 2000);
    this.retryTimer = setTimeout(() => {
      if (!this.stopped) this.subscribe();
    }, delay);
  }

  /** Schedules every pending reminder again (on start; after Redis lost its data). Idempotent. */
  async resync(): Promise<number> {
    if (!this.scheduler) return 0;
    // Filtered while read: 100,000 far-off rotation reminders are never held at once. Read a page
    // of tokens at a time, letting requests through in between: the whole read takes about half a
    // second for 100,000 tokens, too long to hold the event loop (it runs every half horizon).
    const until = this.horizonMs === null ? Infinity : Date.now() + this.horizonMs;
    const pending: Reminder[] = [];
    for (let after: string | null = ''; after !== null;) {
      if (this.stopped) return 0;
      const page = this.readModel.pendingPage(this.policy, after, 500);
      for (const reminder of page.reminders) if (Date.parse(reminder.due) <= until) pending.push(reminder);
      after = page.last;
      if (after !== null) await new Promise((resolve) => setImmediate(resolve));
    }
    for (let i = 0; i < pending.length && !this.stopped; i += 500) await this.scheduler.schedule(pending.slice(i, i + 500));
    return pending.length;
  }

  get position(): GlobalPosition {
    return this.applied;
  }

  get running(): boolean {
    return this.subscription !== null && this.failure === null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.wakeRetry?.();
    // Before the subscription's stop, which waits for the batch handler the gathering is part of.
    clearTimeout(this.gatherTimer);
    this.endGather?.();
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.resyncTimer = null;
    await this.resyncing;
    await this.subscription?.stop();
    this.subscription = null;
    // A start waiting to catch up ends with the stop.
    for (const waiter of this.caughtUp.splice(0)) waiter.resolve();
  }

  private async handle(events: RecordedEvent[]): Promise<void> {
    const changes = this.readModel.fold(events, this.policy);
    if (this.scheduler) {
      await this.scheduler.cancel([...changes.cancel]);
      await this.scheduler.schedule([...changes.schedule.values()]);
    }
    const position = events[events.length - 1].position;
    this.readModel.write(changes, position);
    this.applied = position;
    this.failure = null;
    this.failures = 0;
    const ready = this.caughtUp.filter((w) => w.position <= position);
    this.caughtUp = this.caughtUp.filter((w) => w.position > position);
    for (const waiter of ready) waiter.resolve();
    if (events.length < PAGE) await this.gather();
  }

  /** Holds the subscription (the store keeps what arrives meanwhile for the next read) until gatherMs passed or stop(). */
  private async gather(): Promise<void> {
    if (this.gatherMs <= 0 || this.stopped) return;
    await new Promise<void>((resolve) => {
      this.endGather = resolve;
      // Unref'd: a wait of the feed alone does not keep a process alive that has nothing else to do.
      this.gatherTimer = setTimeout(resolve, this.gatherMs).unref();
    });
    this.endGather = null;
  }
}
