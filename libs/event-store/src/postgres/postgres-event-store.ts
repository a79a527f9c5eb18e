import { randomUUID } from 'node:crypto';
import { Pool, type PoolClient, type PoolConfig } from 'pg';
import {
  type AppendResult,
  type BatchHandler,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type GlobalPosition,
  type ReadAllOptions,
  type ReadStreamRangeOptions,
  type RecordedEvent,
  type StreamRange,
  type StreamRangeEvent,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionRetry,
} from '../event-store.port';
import { writeBatch, type BeforeCommit, type PendingAppend } from './pg-append';
import { toPortError } from './pg-errors';
import { NOTIFY_CHANNEL, PgListener } from './pg-listener';
import { RANGE_READER_SETUP, readSettledHead, readSettledPage, readStreamEvents, readStreamRangePage, splitStreamRanges } from './pg-read';
import { migrate } from './pg-schema';
import { subscribeWithRetry, type PgSubscription } from './pg-subscription';

export interface PostgresEventStoreOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Group commits in flight at once (default 4); appends queued meanwhile join the next one. */
  maxConcurrentCommits?: number;
  /** How often subscribers read without a notification (default 500 ms): the fallback of LISTEN. */
  pollIntervalMs?: number;
  /** First pause before a failed subscription read is repeated (default 500 ms), doubling… */
  resubscribeDelayMs?: number;
  /** …up to this (default 30 s). */
  resubscribeMaxDelayMs?: number;
  /** Connecting gives up after this (default 5 s): then the call answers unavailable. */
  connectTimeoutMs?: number;
  /** A query gives up after this (default 30 s). */
  queryTimeoutMs?: number;
  onReconnect?: (error: unknown) => void;
  /** Tests only: runs inside every append transaction just before COMMIT. */
  beforeCommit?: BeforeCommit;
}

/** Attempts of an append whose batch met a concurrent writer's rows before it gives up. */
const MAX_ATTEMPTS = 3;
/** The server must have xid8 and pg_current_snapshot (PostgreSQL 13). */
const MINIMUM_SERVER_VERSION = 130000;
/** After a commit, subscribers read again this long after each other (1.6 s in all). */
const REREAD_AFTER_COMMIT_MS = [25, 75, 300, 1200];

/**
 * The event store port on PostgreSQL (driver `pg`). Any number of replicas share one database:
 * optimistic concurrency and idempotent retries rest on its unique indexes, positions on an
 * identity column read in commit-safe order (pg-read.ts), subscriptions on LISTEN/NOTIFY plus
 * polling. Appends queued in the same tick share one transaction (group commit).
 */
export class PostgresEventStore implements EventStore {
  private readonly pool: Pool;
  private readonly config: PoolConfig;
  /** Opened by the first range read: a rebuild's, with a planner setting of their own (RANGE_READER_SETUP). */
  private rangeReaders: Pool | null = null;
  private readonly setUpRangeReaders = new WeakSet<PoolClient>();
  private readonly listener: PgListener;
  private readonly subscriptions = new Set<PgSubscription>();
  private readonly poller: NodeJS.Timeout;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private readonly commitsInFlight = new Set<Promise<void>>();
  private migrated: Promise<void> | null = null;
  private closed = false;
  private commitCount = 0;
  /** Sent with every NOTIFY: this store's own commits have woken its subscribers already. */
  private readonly instanceId = randomUUID();

  static connect(connectionString: string, options: PostgresEventStoreOptions = {}): PostgresEventStore {
    return new PostgresEventStore({ connectionString }, options);
  }

  constructor(
    connection: PoolConfig,
    private readonly options: PostgresEventStoreOptions = {},
  ) {
    const config: PoolConfig = {
      application_name: 'token-ledger',
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      query_timeout: options.queryTimeoutMs ?? 30_000,
      keepAlive: true,
      ...connection,
    };
    this.config = config;
    this.pool = new Pool({ max: options.poolSize ?? 10, ...config });
    // An idle connection the server dropped: the pool replaces it; without a listener it would crash the process.
    this.pool.on('error', (error) => options.onReconnect?.(error));
    const backoff = { initialMs: options.resubscribeDelayMs ?? 500, maxMs: options.resubscribeMaxDelayMs ?? 30_000 };
    this.listener = new PgListener(config, (payload) => payload !== this.instanceId && this.wakeAfterCommit(), backoff, options.onReconnect);
    this.poller = setInterval(() => this.wakeSubscribers(), options.pollIntervalMs ?? 500).unref();
  }

  /** Transactions committed by this instance; appends per commit shows how well they group. */
  get commits(): number {
    return this.commitCount;
  }

  appendToStream(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('event store is closed'));
    if (expected !== 'any' && expected !== 'no_stream' && !(Number.isSafeInteger(expected) && expected >= 0)) {
      return Promise.reject(new TypeError(`stream ${streamId}: expected revision must be 'no_stream', 'any' or a non-negative integer`));
    }
    return new Promise((resolve, reject) => {
      // Serialized now, so a caller mutating its objects later cannot change what is written.
      const rows = events.map((e) => ({ id: e.id, type: e.type, data: JSON.stringify(e.data), metadata: JSON.stringify(e.metadata) }));
      this.queue.push({ streamId, events: rows, expected, alone: false, attempts: 0, resolve, reject });
      this.scheduleFlush();
    });
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    return this.read(`reading ${streamId}`, () => readStreamEvents(this.pool, streamId));
  }

  async readAll({ after = 0, maxCount = Number.POSITIVE_INFINITY }: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.read('reading all events', () => readSettledPage(this.pool, after, maxCount));
  }

  async splitStreams(count: number, upTo: GlobalPosition): Promise<StreamRange[]> {
    return this.read('splitting the streams into ranges', () => splitStreamRanges(this.pool, count, upTo));
  }

  async readStreamRange(range: StreamRange, options: ReadStreamRangeOptions): Promise<StreamRangeEvent[]> {
    return this.read('reading a range of streams', () =>
      this.withClient(async (client) => {
        if (!this.setUpRangeReaders.has(client)) {
          await client.query(RANGE_READER_SETUP);
          this.setUpRangeReaders.add(client);
        }
        return readStreamRangePage(client, range, options);
      }, this.rangeReaderPool()),
    );
  }

  /** The last event a reader may take (see pg-read.ts): what a caught-up projector has applied. */
  async headPosition(): Promise<GlobalPosition> {
    return this.read('reading the head', () => readSettledHead(this.pool));
  }

  subscribeToAll(options: SubscribeOptions, handler: BatchHandler, onError?: (error: unknown) => void): Subscription {
    this.listener.start();
    const subscription = subscribeWithRetry(
      (after, maxCount) => this.readAll({ after, maxCount }),
      options,
      handler,
      onError,
      () => this.subscriptions.delete(subscription),
      {
        backoff: { initialMs: this.options.resubscribeDelayMs ?? 500, maxMs: this.options.resubscribeMaxDelayMs ?? 30_000 },
        onReconnect: this.options.onReconnect,
      },
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  subscriptionRetry(): SubscriptionRetry | null {
    for (const subscription of this.subscriptions) {
      const retry = subscription.retrying();
      if (retry) return retry;
    }
    return null;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.poller);
    clearTimeout(this.reread);
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.listener.close();
    // Appends accepted before close still get their answer.
    while (this.queue.length > 0 || this.commitsInFlight.size > 0) {
      this.flush();
      await Promise.all(this.commitsInFlight);
    }
    await Promise.all([this.pool.end(), this.rangeReaders?.end()]);
  }

  /** Two connections: a range's reader has one page in flight and asks for the next ahead. */
  private rangeReaderPool(): Pool {
    if (this.closed) throw new Error('event store is closed');
    if (!this.rangeReaders) {
      const pool = new Pool({ ...this.config, application_name: `${this.config.application_name} (range reads)`, max: 2 });
      pool.on('error', (error) => this.options.onReconnect?.(error));
      this.rangeReaders = pool;
    }
    return this.rangeReaders;
  }

  /** Creates or migrates the schema once, before the first call; a failure is tried again on the next call. */
  private ready(): Promise<void> {
    this.migrated ??= this.withClient(async (client) => {
      const { rows } = await client.query<{ server_version_num: string }>('SHOW server_version_num');
      if (Number(rows[0].server_version_num) < MINIMUM_SERVER_VERSION) {
        throw new Error(`PostgreSQL ${rows[0].server_version_num} is too old for the ledger: it needs 13 or later (xid8 snapshots)`);
      }
      await migrate(client);
    }).catch((error: unknown) => {
      this.migrated = null;
      throw toPortError(error, 'preparing the schema');
    });
    return this.migrated;
  }

  /**
   * A pooled connection for one piece of work. A connection the server cuts while no query runs
   * emits an error event that must not crash the process: the next query fails with it anyway.
   * After a failure it is destroyed, not returned: a session that failed mid-transaction may
   * still hold the append lock.
   */
  private async withClient<T>(work: (client: PoolClient) => Promise<T>, pool = this.pool): Promise<T> {
    const client = await pool.connect();
    const ignore = () => undefined;
    client.on('error', ignore);
    try {
      const result = await work(client);
      client.removeListener('error', ignore);
      client.release();
      return result;
    } catch (error) {
      client.removeListener('error', ignore);
      client.release(true);
      throw error;
    }
  }

  private async read<T>(operation: string, query: () => Promise<T>): Promise<T> {
    await this.ready();
    try {
      return await query();
    } catch (error) {
      throw toPortError(error, operation);
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Appends from the same tick join one batch.
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.commitsInFlight.size < (this.options.maxConcurrentCommits ?? 4)) {
      const aloneAt = this.queue.findIndex((a) => a.alone);
      const batch = aloneAt === 0 ? this.queue.splice(0, 1) : this.queue.splice(0, aloneAt === -1 ? this.queue.length : aloneAt);
      const commit: Promise<void> = this.commit(batch).finally(() => {
        this.commitsInFlight.delete(commit);
        if (this.queue.length > 0) this.scheduleFlush();
      });
      this.commitsInFlight.add(commit);
    }
  }

  private async commit(batch: PendingAppend[]): Promise<void> {
    let outcomes;
    try {
      await this.ready();
      outcomes = await this.withClient((client) => writeBatch(client, batch, this.options.beforeCommit));
      this.commitCount++;
    } catch (error) {
      const failure = toPortError(error, 'appending');
      for (const append of batch) append.reject(failure);
      return;
    }
    let written = false;
    batch.forEach((append, i) => {
      const outcome = outcomes[i];
      if ('result' in outcome) {
        written = true;
        append.resolve(outcome.result);
      } else if ('error' in outcome) {
        append.reject(outcome.error);
      } else if (append.attempts + 1 >= MAX_ATTEMPTS) {
        append.reject(new Error(`stream ${append.streamId}: append refused ${MAX_ATTEMPTS} times by a unique index (an event id recorded in another stream?)`));
      } else {
        this.queue.push({ ...append, alone: true, attempts: append.attempts + 1 });
      }
    });
    if (written) {
      this.wakeAfterCommit();
      // Other replicas' subscriptions; a lost notification only waits for their next poll.
      this.pool.query('SELECT pg_notify($1, $2)', [NOTIFY_CHANNEL, this.instanceId]).catch(() => undefined);
    }
  }

  private wakeSubscribers(): void {
    for (const subscription of this.subscriptions) subscription.wake();
  }

  /** The next re-read after a commit, and the delays of those after it. */
  private reread: NodeJS.Timeout | undefined;
  private rereadsLeft: number[] = [];

  /**
   * A commit can be announced before it can be read: a read takes only events below the oldest
   * transaction still running on the server (pg-read.ts), in any database. So subscribers read now
   * and again a few times over the next 1.6 s, instead of waiting for the next poll. A later
   * commit starts the series over: during a burst each commit's own wake reads, and the last one's
   * series covers what it may have left unread.
   */
  private wakeAfterCommit(): void {
    this.wakeSubscribers();
    if (this.closed) return;
    clearTimeout(this.reread);
    this.rereadsLeft = [...REREAD_AFTER_COMMIT_MS];
    this.scheduleReread();
  }

  private scheduleReread(): void {
    const delay = this.rereadsLeft.shift();
    if (delay === undefined) return;
    this.reread = setTimeout(() => {
      this.reread = undefined;
      if (this.closed) return;
      this.wakeSubscribers();
      this.scheduleReread();
    }, delay).unref();
  }
}
