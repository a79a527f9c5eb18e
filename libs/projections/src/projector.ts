import { isTransientStoreError, type EventStore, type GlobalPosition, type RecordedEvent, type Subscription } from '@ledger/event-store';

/** A read model the projector can feed: it applies a batch and its checkpoint together. */
export interface ProjectionTarget {
  checkpoint(): GlobalPosition;
  apply(events: RecordedEvent[]): void;
}

/** An in-memory projection loaded from the target at its checkpoint, then fed the same batches. */
export interface ProjectionFollower {
  apply(events: RecordedEvent[]): void;
  /** The target now holds every event fed so far (it may lag the followers while it fails). */
  caughtUp?(): void;
}

/** The projection did not reach a write's position in time: the caller answers 503, not a lie. */
export class ProjectionTimeoutError extends Error {
  constructor(
    readonly position: GlobalPosition,
    readonly reached: GlobalPosition,
  ) {
    super(`read model has not caught up with position ${position} yet (at ${reached})`);
    this.name = 'ProjectionTimeoutError';
  }
}

interface Waiter {
  position: GlobalPosition;
  resolve: () => void;
}

export interface ProjectorOptions {
  batchSize?: number;
  followers?: ProjectionFollower[];
  /** Whether applying again later may succeed (a full disk, a lock, an unreachable store). */
  isTransient?: (error: unknown) => boolean;
  /** A transient error: the projector follows the store again from its checkpoint after `delayMs`. */
  onRetry?: (error: unknown, delayMs: number) => void;
  /** An error a retry cannot mend: the projector has stopped for good; the process should exit. */
  onFatal?: (error: unknown) => void;
  /** First retry delay, doubled at each further failure up to maxRetryDelayMs. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

/**
 * Follows the store's global stream from the target's checkpoint and applies it in batches.
 * Writers call waitFor(position) to answer only once their own write is visible (read-your-writes).
 *
 * Followers (the verification index) are fed before the target is written, each event once: a
 * revoke must reach the index even when the target's disk is full. When the target fails with a
 * transient error the projector follows again from the target's checkpoint after a backoff
 * (followers skip what they already have), so it mends itself once space is back; readiness
 * says `running: false` meanwhile. Any other error stops it for good and goes to onFatal.
 */
export class Projector {
  private subscription: Subscription | null = null;
  private waiters: Waiter[] = [];
  private failure: unknown = null;
  private fatal = false;
  private stopped = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private applied: GlobalPosition;
  /** Position up to which the followers were fed: ahead of `applied` while the target fails. */
  private followed: GlobalPosition;
  /** Set while start() waits for the catch-up: an error then fails the start instead of a retry. */
  private failStart: ((error: unknown) => void) | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly target: ProjectionTarget,
    private readonly options: ProjectorOptions = {},
  ) {
    this.applied = target.checkpoint();
    this.followed = this.applied;
  }

  /**
   * Starts following the store; resolves once everything recorded before the call is applied,
   * and rejects if anything fails before that (the process must not start half caught up).
   */
  async start(): Promise<void> {
    const head = await this.store.headPosition();
    this.stopped = false;
    this.failure = null;
    const caughtUp = new Promise<void>((resolve, reject) => {
      this.failStart = reject;
      this.waitFor(head, Number.POSITIVE_INFINITY).then(resolve, reject);
    });
    this.subscribe();
    try {
      await caughtUp;
    } finally {
      this.failStart = null;
    }
  }

  /** Feeds `follower` every batch applied from now on (after it was loaded by its own means). */
  follow(follower: ProjectionFollower): void {
    (this.options.followers ??= []).push(follower);
  }

  get position(): GlobalPosition {
    return this.applied;
  }

  /** Position the followers (the verification index) have reached; never behind `position`. */
  get followersPosition(): GlobalPosition {
    return this.followed;
  }

  /** Whether it is following the store (started, not stopped, not failed nor retrying). */
  get running(): boolean {
    return this.subscription !== null && this.failure === null;
  }

  /** The last error while it is retrying or after it stopped on one; null while running. */
  get error(): unknown {
    return this.failure;
  }

  /** True once an error that retrying cannot mend stopped it. */
  get stoppedForGood(): boolean {
    return this.fatal;
  }

  waitFor(position: GlobalPosition, timeoutMs: number): Promise<void> {
    if (this.applied >= position) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { position, resolve };
      this.waiters.push(waiter);
      if (!Number.isFinite(timeoutMs)) return;
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new ProjectionTimeoutError(position, this.applied));
      }, timeoutMs);
      waiter.resolve = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.subscription?.stop();
    this.subscription = null;
  }

  private subscribe(): void {
    this.subscription = this.store.subscribeToAll(
      { after: this.applied, batchSize: this.options.batchSize ?? 1000 },
      (events) => this.handle(events),
      (error) => this.failed(error),
    );
  }

  private failed(error: unknown): void {
    this.failure = error;
    if (this.stopped) return;
    const transient = (this.options.isTransient ?? isTransientStoreError)(error);
    if (this.failStart || !transient) {
      this.fatal = !this.failStart;
      this.subscription = null;
      if (this.failStart) this.failStart(error);
      else this.options.onFatal?.(error);
      return;
    }
    const first = this.options.retryDelayMs ?? 100;
    const delay = Math.min(first * 2 ** this.failures, this.options.maxRetryDelayMs ?? 2000);
    this.failures++;
    this.options.onRetry?.(error, delay);
    this.retryTimer = setTimeout(() => {
      if (!this.stopped) this.resubscribe();
    }, delay);
  }

  /** Follows again from the target's checkpoint; the failure clears once a batch is applied or nothing is left. */
  private resubscribe(): void {
    this.subscribe();
    void this.store.headPosition().then(
      (head) => {
        if (head <= this.applied && this.subscription) this.recovered();
      },
      () => undefined,
    );
  }

  private recovered(): void {
    this.failure = null;
    this.failures = 0;
  }

  private handle(events: RecordedEvent[]): void {
    const last = events[events.length - 1].position;
    const followers = this.options.followers ?? [];
    if (last > this.followed) {
      const fresh = this.followed < events[0].position ? events : events.filter((e) => e.position > this.followed);
      for (const follower of followers) follower.apply(fresh);
      this.followed = last;
    }
    this.target.apply(events);
    this.applied = last;
    if (this.applied >= this.followed) for (const follower of followers) follower.caughtUp?.();
    if (this.failure !== null) this.recovered();
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.position <= this.applied);
    this.waiters = this.waiters.filter((w) => w.position > this.applied);
    for (const waiter of ready) waiter.resolve();
  }
}
