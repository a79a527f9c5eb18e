import { BACKWARDS, END, EventStoreDBClient, FORWARDS, START, StreamNotFoundError } from '@eventstore/db-client';
import {
  EventStoreUnavailableError,
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
} from '../event-store.port';
import { isLedgerEvent, isUnavailable, toEsdbExpected, toEsdbPosition, toEventData, toGlobalPosition, toPortError, toRecorded } from './esdb-mapping';
import { subscribeToLedger } from './esdb-subscription';

export interface EsdbEventStoreOptions {
  /** Streams that belong to the ledger in $all (default `token-`). Everything else is skipped. */
  streamPrefixes?: string[];
  /** Pause before a dropped subscription subscribes again (default 1 s). */
  resubscribeDelayMs?: number;
  onReconnect?: (error: unknown) => void;
}

export const LEDGER_STREAM_PREFIXES = ['token-'];

/**
 * The event store port on EventStoreDB (gRPC client). Optimistic concurrency, idempotent
 * retries (by event id) and durability are the server's; this class maps types and errors, and
 * narrows $all to the ledger's streams. Positions: see esdb-mapping.ts.
 */
export class EsdbEventStore implements EventStore {
  private readonly prefixes: string[];
  private readonly subscriptions = new Set<Subscription>();

  static connect(connectionString: string, options: EsdbEventStoreOptions = {}): EsdbEventStore {
    return new EsdbEventStore(EventStoreDBClient.connectionString(connectionString), options);
  }

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: EsdbEventStoreOptions = {},
  ) {
    this.prefixes = options.streamPrefixes ?? LEDGER_STREAM_PREFIXES;
  }

  async appendToStream(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    let result;
    try {
      result = await this.client.appendToStream(streamId, events.map(toEventData), { expectedRevision: toEsdbExpected(expected) });
    } catch (error) {
      throw toPortError(error, streamId, expected);
    }
    const nextExpectedRevision = Number(result.nextExpectedRevision);
    // A single event's append position is that event's. An idempotent retry reports no position,
    // and a multi-event append reports one for the whole write: ask the stream which it was.
    const reported = result.position;
    const position =
      events.length === 1 && reported && reported.commit === reported.prepare
        ? toGlobalPosition(reported)
        : await this.positionOfRevision(streamId, nextExpectedRevision);
    return { nextExpectedRevision, position };
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const { event } of this.client.readStream(streamId, { fromRevision: START, direction: FORWARDS })) {
        if (event) events.push(toRecorded(event, 0));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw this.unavailable(error);
    }
    return events;
  }

  async readAll({ after = 0, maxCount = Number.POSITIVE_INFINITY }: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    if (maxCount <= 0) return events;
    const read = this.client.readAll({ fromPosition: after > 0 ? toEsdbPosition(after) : START, direction: FORWARDS });
    try {
      for await (const { event } of read) {
        if (!isLedgerEvent(event, this.prefixes)) continue;
        const recorded = toRecorded(event!);
        // A read from a position includes the event at that position: the port's `after` does not.
        if (recorded.position <= after) continue;
        events.push(recorded);
        if (events.length >= maxCount) break;
      }
    } catch (error) {
      throw this.unavailable(error);
    }
    return events;
  }

  /** The last ledger event's position: what a projector that is caught up has applied. */
  async headPosition(): Promise<GlobalPosition> {
    try {
      for await (const { event } of this.client.readAll({ fromPosition: END, direction: BACKWARDS })) {
        if (isLedgerEvent(event, this.prefixes)) return toRecorded(event!).position;
      }
    } catch (error) {
      throw this.unavailable(error);
    }
    return 0;
  }

  subscribeToAll(options: SubscribeOptions, handler: BatchHandler, onError?: (error: unknown) => void): Subscription {
    const subscription = subscribeToLedger(this.client, options, handler, onError, {
      prefixes: this.prefixes,
      resubscribeDelayMs: this.options.resubscribeDelayMs ?? 1000,
      onReconnect: this.options.onReconnect,
    });
    this.subscriptions.add(subscription);
    return {
      stop: async () => {
        this.subscriptions.delete(subscription);
        await subscription.stop();
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.subscriptions.clear();
    await this.client.dispose();
  }

  private async positionOfRevision(streamId: string, revision: number): Promise<GlobalPosition> {
    try {
      for await (const { event } of this.client.readStream(streamId, { fromRevision: BigInt(revision), maxCount: 1 })) {
        if (event?.position) return toGlobalPosition(event.position);
      }
    } catch (error) {
      throw this.unavailable(error);
    }
    throw new Error(`stream ${streamId}: revision ${revision} was appended but cannot be read back with its position`);
  }

  private unavailable(error: unknown): unknown {
    return isUnavailable(error) ? new EventStoreUnavailableError((error as Error).message) : error;
  }
}
