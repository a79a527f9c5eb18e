import type { EventStore, GlobalPosition, RecordedEvent, Subscription } from '@ledger/event-store';

/** A read model the projector can feed: it applies a batch and its checkpoint together. */
export interface ProjectionTarget {
  checkpoint(): GlobalPosition;
  apply(events: RecordedEvent[]): void;
}

/** An in-memory projection loaded from the target at its checkpoint, then fed the same batches. */
export interface ProjectionFollower {
  apply(events: RecordedEvent[]): void;
}

/** The projection did not reach a write's position in time: the caller answers 503, not a lie. */
export class ProjectionTimeoutError extends Error {
  constructor(readonly position: GlobalPosition, readonly reached: GlobalPosition) {
    super(`read model has not caught up with position ${position} yet (at ${reached})`);
    this.name = 'ProjectionTimeoutError';
  }
}

interface Waiter {
  position: GlobalPosition;
  resolve: () => void;
}

/**
 * Follows the store's global stream from the target's checkpoint and applies it in batches.
 * Writers call waitFor(position) to answer only once their own write is visible (read-your-writes).
 */
export class Projector {
  private subscription: Subscription | null = null;
  private waiters: Waiter[] = [];
  private failure: unknown = null;
  private applied: GlobalPosition;

  constructor(
    private readonly store: EventStore,
    private readonly target: ProjectionTarget,
    private readonly options: {
      batchSize?: number;
      onError?: (error: unknown) => void;
      followers?: ProjectionFollower[];
    } = {},
  ) {
    this.applied = target.checkpoint();
  }

  /** Starts following the store; resolves once everything recorded before the call is applied. */
  async start(): Promise<void> {
    const head = await this.store.headPosition();
    this.failure = null;
    this.subscription = this.store.subscribeToAll(
      { after: this.applied, batchSize: this.options.batchSize ?? 1000 },
      (events) => this.handle(events),
      (error) => {
        this.failure = error;
        this.options.onError?.(error);
      },
    );
    await this.waitFor(head, Number.POSITIVE_INFINITY);
  }

  /** Feeds `follower` every batch applied from now on (after it was loaded by its own means). */
  follow(follower: ProjectionFollower): void {
    (this.options.followers ??= []).push(follower);
  }

  get position(): GlobalPosition {
    return this.applied;
  }

  /** Whether it is following the store (started, not stopped, not failed). */
  get running(): boolean {
    return this.subscription !== null && this.failure === null;
  }

  /** Set when applying failed; the projector has stopped and readiness must say so. */
  get error(): unknown {
    return this.failure;
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
    await this.subscription?.stop();
    this.subscription = null;
  }

  private handle(events: RecordedEvent[]): void {
    this.target.apply(events);
    for (const follower of this.options.followers ?? []) follower.apply(events);
    this.applied = events[events.length - 1].position;
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.position <= this.applied);
    this.waiters = this.waiters.filter((w) => w.position > this.applied);
    for (const waiter of ready) waiter.resolve();
  }
}
