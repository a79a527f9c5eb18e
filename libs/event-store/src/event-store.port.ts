/**
 * The event store port. Every adapter (memory, sqlite, later EventStoreDB) passes the same
 * contract suite (event-store.contract.ts).
 *
 * Positions are the store's global order. Callers treat them as opaque, comparable numbers:
 * a projector stores the last one it applied and resumes "after" it.
 */
export type GlobalPosition = number;

/** `no_stream`: the stream must not exist yet; a number: the revision of its last event. */
export type ExpectedRevision = 'no_stream' | 'any' | number;

export interface EventToAppend {
  /** Stable id (uuid): appending the same ids again at the same place is a no-op success. */
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface RecordedEvent {
  id: string;
  streamId: string;
  /** 0-based index of the event in its stream. */
  revision: number;
  position: GlobalPosition;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  /** ISO-8601 time at which the store recorded the event. */
  recordedAt: string;
}

/**
 * An event as a rebuild reads it: what a projection's fold reads, not its id, time or metadata
 * (who, from where, the hash chain). Parsing each event's metadata cost a rebuild about a sixth
 * of its time (docs/performance.md, "Rebuild").
 */
export type PartitionEvent = Pick<RecordedEvent, 'position' | 'streamId' | 'type' | 'data'>;

export interface AppendResult {
  /** Revision of the last appended event: the expected revision for the next append. */
  nextExpectedRevision: number;
  /** Global position of the last appended event. */
  position: GlobalPosition;
}

export interface ReadAllOptions {
  /** Exclusive: return events whose position is greater than this (default: from the start). */
  after?: GlobalPosition;
  maxCount?: number;
}

/**
 * The streams whose ids sort at or after `from` and before `to` (null: no bound), in the
 * store's own order of stream ids. Ranges from `splitStreams` cover every stream exactly once.
 */
export interface StreamRange {
  from: string | null;
  to: string | null;
}

/** Where a read in stream order goes on: after this stream's event of this revision. */
export interface StreamCursor {
  streamId: string;
  revision: number;
}

export interface ReadStreamRangeOptions {
  /** Exclusive (default: from the range's start). */
  after?: StreamCursor;
  /** Last position read: later events are left out. */
  upTo: GlobalPosition;
  maxCount: number;
}

/** A partition event with its revision, the cursor of a read in stream order. */
export type StreamRangeEvent = PartitionEvent & { revision: number };

export interface SubscribeOptions {
  /** Exclusive checkpoint: deliver events after this position (default: from the start). */
  after?: GlobalPosition;
  /** Upper bound of events per delivered batch. */
  batchSize?: number;
}

/**
 * Called with consecutive batches in global order; the next batch is not delivered until the
 * returned promise settles. If it throws, the subscription stops and `onError` is called.
 */
export type BatchHandler = (events: RecordedEvent[]) => void | Promise<void>;

export interface Subscription {
  /** Stops delivery; resolves once no batch is being handled any more. */
  stop(): Promise<void>;
}

/** A subscription that lost its server and is subscribing again: it delivers nothing meanwhile. */
export interface SubscriptionRetry {
  /** ISO time at which the feed was lost. */
  since: string;
  /** Attempts to subscribe again that failed so far (0 while the first is pending). */
  attempts: number;
  /** Why the last attempt ended (an error message, never a secret). */
  reason: string;
}

export interface EventStore {
  /**
   * Appends atomically, or not at all. Resolves only once the events are durable.
   * Rejects with WrongExpectedRevisionError when the stream is not at `expected`.
   * `expected` is 'no_stream', 'any' or a safe non-negative integer; anything else is refused
   * before writing. An adapter may repeat an append that met a transient error only with
   * 'no_stream' or a revision, where the store recognises the ids as already recorded; never
   * with 'any', whose duplicate detection is not guaranteed (EventStoreDB: a cache a restart
   * empties).
   */
  appendToStream(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult>;

  /** The stream's events in revision order; [] when the stream does not exist. */
  readStream(streamId: string): Promise<RecordedEvent[]>;

  /** A page of the global stream in position order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  /**
   * Optional, with `readStreamRange`, in stores that another thread can open by location (SQLite
   * and PostgreSQL): about `count` ranges of stream ids, each with about as many
   * of the events up to `upTo`, that together cover every stream once (fewer for a small log).
   */
  splitStreams?(count: number, upTo: GlobalPosition): Promise<StreamRange[]>;

  /**
   * Optional: a page of the events up to `upTo` of the streams in `range`, ordered by stream then
   * revision: each stream's events one after the other, which a fold needs, rather than in global
   * order. A store with an index on (stream, revision) reads only the range's own events this
   * way (docs/performance.md, "Rebuild in stream order").
   */
  readStreamRange?(range: StreamRange, options: ReadStreamRangeOptions): Promise<StreamRangeEvent[]>;
  /** Position of the last recorded event, 0 for an empty store. */
  headPosition(): Promise<GlobalPosition>;

  /** Catch-up (everything after `after`) then live, in global order, as batches. */
  subscribeToAll(options: SubscribeOptions, handler: BatchHandler, onError?: (error: unknown) => void): Subscription;

  /**
   * Optional: set while a subscription of this store lost its server and is subscribing again
   * (its projector still counts as running, but nothing arrives), else null. Readiness says so.
   */
  subscriptionRetry?(): SubscriptionRetry | null;

  close(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** -1 when the stream does not exist. */
    readonly actual: number,
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${actual}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/**
 * The store cannot be reached or did not answer in time (server down, no leader, deadline).
 * Nothing is known to be written: the caller answers 503 and may retry the same events, which
 * stable event ids make idempotent.
 */
export class EventStoreUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`event store unavailable: ${reason}`);
    this.name = 'EventStoreUnavailableError';
  }
}
