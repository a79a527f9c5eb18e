import { EventStoreDBClient, FORWARDS, NotLeaderError, START, StreamNotFoundError, serverVersion, type EsdbAppendResult, type EsdbClient } from './esdb-client';
import {
  EventStoreUnavailableError,
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
  type SubscriptionRetry,
} from '../event-store.port';
import { backoffDelay, sleep } from '../backoff';
import { fromCurrentRevision, toPortError, toReadError } from './esdb-errors';
import {
  EventStoreUnsupportedServerError,
  MINIMUM_SERVER_VERSION,
  readPosition,
  revisionNumber,
  serverVersionProblem,
  toEsdbExpected,
  toEventData,
  toGlobalPosition,
  toRecorded,
} from './esdb-mapping';
import { drain, readLedgerHead, readLedgerPage, withDeadline } from './esdb-read';
import { subscribeToLedger, type EsdbSubscription } from './esdb-subscription';

export interface EsdbEventStoreOptions {
  /** Streams that belong to the ledger in $all (default `token-`). Everything else is skipped. */
  streamPrefixes?: string[];
  /** First pause before a lost subscription subscribes again (default 500 ms); it doubles, with jitter… */
  resubscribeDelayMs?: number;
  /** …up to this (default 30 s). */
  resubscribeMaxDelayMs?: number;
  /** Repeats of an append (same ids, same expected revision) after a transient error (default 3). */
  appendRetries?: number;
  /** First pause before repeating an append (default 100 ms), doubling with jitter. */
  appendRetryDelayMs?: number;
  onReconnect?: (error: unknown) => void;
}

// `ledger-`: the ledger's own system streams (signing keys).
export const LEDGER_STREAM_PREFIXES = ['token-', 'ledger-'];
/** The client asks the server's version without a deadline of its own. */
const VERSION_DEADLINE_MS = 10_000;

/**
 * The event store port on EventStoreDB (gRPC client). Optimistic concurrency, idempotent
 * retries (by event id) and durability are the server's; this class maps types and errors,
 * narrows $all to the ledger's streams, and reads from the leader wherever it needs its own
 * writes. Positions: see esdb-mapping.ts.
 */
export class EsdbEventStore implements EventStore {
  private readonly prefixes: string[];
  private readonly subscriptions = new Set<EsdbSubscription>();
  private serverChecked: Promise<void> | null = null;

  static connect(connectionString: string, options: EsdbEventStoreOptions = {}): EsdbEventStore {
    return new EsdbEventStore(EventStoreDBClient.connectionString(connectionString), options);
  }

  constructor(
    private readonly client: EsdbClient,
    private readonly options: EsdbEventStoreOptions = {},
  ) {
    this.prefixes = options.streamPrefixes ?? LEDGER_STREAM_PREFIXES;
  }

  async appendToStream(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    const expectedRevision = toEsdbExpected(expected);
    await this.checkServer();
    const data = events.map(toEventData);
    // Repeating is safe where the server checks the ids against the stream (a revision or
    // no_stream): a write that did land answers the repeat with its own result. A retry racing
    // its original is one such case: the server drops the second write until the first is
    // indexed and answers it with a write timeout. With `any` the duplicate check is a cache that
    // a restart empties, so a repeat could record the events twice: never repeated.
    const retries = expected === 'any' ? 0 : (this.options.appendRetries ?? 3);
    let result: EsdbAppendResult;
    for (let attempt = 0; ; attempt++) {
      try {
        result = await this.client.appendToStream(streamId, data, { expectedRevision });
        break;
      } catch (error) {
        const mapped = toPortError(error, streamId, expected);
        if (!(mapped instanceof EventStoreUnavailableError) || attempt >= retries) throw mapped;
        await sleep(backoffDelay(attempt, { initialMs: this.options.appendRetryDelayMs ?? 100, maxMs: 2000 }));
      }
    }
    // throwOnAppendFailure=false in a connection string makes the client resolve a conflict.
    if (!result.success) throw new WrongExpectedRevisionError(streamId, expected, fromCurrentRevision(result.nextExpectedRevision));
    const nextExpectedRevision = revisionNumber(result.nextExpectedRevision);
    // A single event's append position is that event's. An idempotent retry reports no position,
    // and a multi-event append reports one for the whole write: ask the stream which it was.
    const reported = result.position;
    const position =
      events.length === 1 && reported && reported.commit === reported.prepare && readPosition(reported) !== undefined
        ? toGlobalPosition(reported)
        : await this.positionOfRevision(streamId, nextExpectedRevision);
    return { nextExpectedRevision, position };
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    return this.fromLeader(`reading ${streamId}`, async () => {
      const events: RecordedEvent[] = [];
      // From the leader: a follower may not have this replica's last write yet, and deciding on
      // a stale stream only ends in a conflict.
      const read = this.client.readStream(streamId, { fromRevision: START, direction: FORWARDS, requiresLeader: true });
      try {
        await drain(read, ({ event }) => {
          if (event) events.push(toRecorded(event));
          return true;
        });
      } catch (error) {
        if (error instanceof StreamNotFoundError) return [];
        throw error;
      }
      return events;
    });
  }

  async readAll({ after = 0, maxCount = Number.POSITIVE_INFINITY }: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    if (maxCount <= 0) return [];
    return this.fromLeader('reading $all', () => readLedgerPage(this.client, this.prefixes, after, maxCount));
  }

  /** The last ledger event's position: what a projector that is caught up has applied. */
  async headPosition(): Promise<GlobalPosition> {
    return this.fromLeader('reading the head of $all', () => readLedgerHead(this.client, this.prefixes));
  }

  subscribeToAll(options: SubscribeOptions, handler: BatchHandler, onError?: (error: unknown) => void): Subscription {
    const subscription = subscribeToLedger(this.client, options, handler, onError, {
      prefixes: this.prefixes,
      backoff: { initialMs: this.options.resubscribeDelayMs ?? 500, maxMs: this.options.resubscribeMaxDelayMs ?? 30_000 },
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

  /** Set while one of its subscriptions is subscribing again after losing the server. */
  subscriptionRetry(): SubscriptionRetry | null {
    for (const subscription of this.subscriptions) {
      const retry = subscription.retrying();
      if (retry) return retry;
    }
    return null;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.subscriptions.clear();
    await this.client.dispose();
  }

  /**
   * Once per store, before its first call: a server older than the minimum is refused by name
   * (its stream reads carry no positions), so a replica fails at start instead of on every write.
   */
  private checkServer(): Promise<void> {
    this.serverChecked ??= withDeadline(serverVersion(this.client), VERSION_DEADLINE_MS, 'asking EventStoreDB its version').then(
      (version) => {
        const problem = serverVersionProblem(version);
        if (problem) throw new EventStoreUnsupportedServerError(problem);
      },
      (error: unknown) => {
        this.serverChecked = null;
        throw toReadError(error, 'asking EventStoreDB its version');
      },
    );
    return this.serverChecked;
  }

  /**
   * A read that reached a follower fails with NotLeaderError while the client moves its
   * connection to the leader that error names: the read (which changes nothing) is asked once
   * more, there. Errors come out as the port's.
   */
  private async fromLeader<T>(operation: string, read: () => Promise<T>): Promise<T> {
    await this.checkServer();
    for (let attempt = 0; ; attempt++) {
      try {
        return await read();
      } catch (error) {
        if (!(error instanceof NotLeaderError) || attempt > 0) throw toReadError(error, operation);
      }
    }
  }

  private async positionOfRevision(streamId: string, revision: number): Promise<GlobalPosition> {
    const { found, position } = await this.fromLeader(`reading ${streamId}`, async () => {
      let at: { found: boolean; position: GlobalPosition | undefined } = { found: false, position: undefined };
      // From the leader: it is this store's own write, which a follower may not have yet.
      const read = this.client.readStream(streamId, { fromRevision: BigInt(revision), maxCount: 1, requiresLeader: true });
      await drain(read, ({ event }) => {
        at = { found: event !== undefined, position: readPosition(event?.position) };
        return false;
      });
      return at;
    });
    if (position !== undefined) return position;
    if (found) {
      throw new EventStoreUnsupportedServerError(
        `stream ${streamId}: revision ${revision} was read back without its position (servers before ${MINIMUM_SERVER_VERSION} leave it out of stream reads)`,
      );
    }
    throw new Error(`stream ${streamId}: revision ${revision} was appended but cannot be read back`);
  }
}
