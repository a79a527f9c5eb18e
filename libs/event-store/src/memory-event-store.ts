import { startCatchUpSubscription, type LiveSubscription } from './catch-up-subscription';
import {
  WrongExpectedRevisionError,
  type AppendResult,
  type BatchHandler,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type GlobalPosition,
  type ReadAllOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from './event-store.port';
import { isExpected, originalResult } from './expected-revision';

/** Kept as JSON text, as a real store keeps it: readers get fresh copies, and values that do
 * not survive JSON (Dates, undefined) behave in unit tests as they will in production. */
interface StoredEvent extends Omit<RecordedEvent, 'data' | 'metadata'> {
  data: string;
  metadata: string;
}

/** For fast unit tests. Positions are 1, 2, 3, … so position p is at index p - 1. */
export class MemoryEventStore implements EventStore {
  private readonly all: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly byId = new Map<string, StoredEvent>();
  private readonly subscriptions = new Set<LiveSubscription>();
  private closed = false;

  async appendToStream(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) throw new Error('event store is closed');
    const stream = this.streams.get(streamId) ?? [];
    const actual = stream.length - 1;
    if (expected === 'any' || !isExpected(expected, actual)) {
      const original = originalResult(
        streamId,
        expected,
        events.map((e) => this.byId.get(e.id)),
      );
      if (original) return original;
    }
    if (!isExpected(expected, actual)) {
      throw new WrongExpectedRevisionError(streamId, expected, actual);
    }
    const ids = new Set(events.map((e) => e.id));
    const duplicate = events.find((e) => this.byId.has(e.id));
    if (duplicate || ids.size < events.length) {
      throw new Error(`stream ${streamId}: duplicate event id ${duplicate?.id ?? 'in the append'}`);
    }
    if (events.length === 0) {
      return { nextExpectedRevision: actual, position: stream.at(-1)?.position ?? 0 };
    }

    const recordedAt = new Date().toISOString();
    const stored = events.map((event, i) => ({
      id: event.id,
      streamId,
      revision: actual + 1 + i,
      position: this.all.length + 1 + i,
      type: event.type,
      data: JSON.stringify(event.data),
      metadata: JSON.stringify(event.metadata),
      recordedAt,
    }));
    for (const event of stored) this.byId.set(event.id, event);
    this.all.push(...stored);
    this.streams.set(streamId, [...stream, ...stored]);
    for (const subscription of this.subscriptions) subscription.wake();
    const last = stored[stored.length - 1];
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    return (this.streams.get(streamId) ?? []).map(toRecorded);
  }

  async readAll({ after = 0, maxCount }: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    // Events after position p start at index p; never a negative index (which counts from the end).
    const start = Math.max(0, Math.floor(after));
    const end = maxCount === undefined ? undefined : start + Math.max(0, maxCount);
    return this.all.slice(start, end).map(toRecorded);
  }

  async headPosition(): Promise<GlobalPosition> {
    return this.all.length;
  }

  subscribeToAll(options: SubscribeOptions, handler: BatchHandler, onError?: (error: unknown) => void): Subscription {
    const subscription = startCatchUpSubscription(
      (after, maxCount) => this.readAll({ after, maxCount }),
      options,
      handler,
      onError,
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
  }
}

function toRecorded(event: StoredEvent): RecordedEvent {
  return { ...event, data: JSON.parse(event.data) as Record<string, unknown>, metadata: JSON.parse(event.metadata) as Record<string, unknown> };
}
