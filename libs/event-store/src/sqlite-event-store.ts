import Database from 'better-sqlite3';
import { dirname } from 'node:path';
import { isTransientSqliteError, namingCorruptFile, openSqliteFile } from './sqlite-file';
import { startCatchUpSubscription, type LiveSubscription } from './catch-up-subscription';
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
  type ReadStreamRangeOptions,
  type RecordedEvent,
  type StreamRange,
  type StreamRangeEvent,
  type SubscribeOptions,
  type Subscription,
} from './event-store.port';
import { isExpected, originalResult, type RecordedAt } from './expected-revision';

const SCHEMA = `CREATE TABLE IF NOT EXISTS events (
  position INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  stream_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  metadata TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  UNIQUE (stream_id, revision)
)`;
const COLUMNS = 'position, id, stream_id, revision, type, data, metadata, recorded_at';
type Row = [GlobalPosition, string, string, number, string, string, string, string];
// What a rebuild folds (PartitionEvent), and the revision, its cursor.
const RANGE_COLUMNS = 'position, stream_id, type, data, revision';
type RangeRow = [GlobalPosition, string, string, string, number];

export interface SqliteEventStoreOptions {
  /** How often subscribers look for events appended by other processes (default 250 ms). */
  pollIntervalMs?: number;
}

/** An append waiting for the next group commit; its events are already serialized. */
interface PendingAppend {
  streamId: string;
  events: Array<[id: string, type: string, data: string, metadata: string]>;
  expected: ExpectedRevision;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}
type Outcome = { result: AppendResult } | { error: unknown };

/**
 * Embedded event store on one SQLite file. Appends queued in the same tick are written in one
 * transaction, so N concurrent requests cost one fsync instead of N (group commit).
 */
export class SqliteEventStore implements EventStore {
  private commitCount = 0;
  private queue: PendingAppend[] = [];
  private readonly subscriptions = new Set<LiveSubscription>();
  private readonly poller: NodeJS.Timeout;
  private closed = false;

  private readonly sql: ReturnType<typeof prepareStatements>;
  private readonly commitBatch: Database.Transaction<(batch: PendingAppend[]) => Outcome[]>;

  /** Transactions committed by this instance; appends per commit shows how well they group. */
  get commits(): number {
    return this.commitCount;
  }

  static open(file: string, options: SqliteEventStoreOptions = {}): SqliteEventStore {
    // FULL fsyncs the WAL at every commit: an acknowledged append survives power loss too.
    let db: Database.Database | undefined;
    try {
      db = openSqliteFile(file, { synchronous: 'FULL' });
      db.exec(SCHEMA);
      return new SqliteEventStore(db, file, options.pollIntervalMs ?? 250);
    } catch (error) {
      db?.close();
      throw namingCorruptFile(file, error, ledgerAdvice(file));
    }
  }

  private constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    pollIntervalMs: number,
  ) {
    this.sql = prepareStatements(db);
    // Nested better-sqlite3 transactions are SAVEPOINTs: a failing append is rolled back alone.
    const appendOne = db.transaction((append: PendingAppend, recordedAt: string) => this.write(append, recordedAt));
    this.commitBatch = db.transaction((batch: PendingAppend[]) => {
      const recordedAt = new Date().toISOString();
      return batch.map((append): Outcome => {
        try {
          return { result: appendOne(append, recordedAt) };
        } catch (error) {
          // SQLite rolled back the whole transaction (I/O error, disk full): fail the batch.
          if (!db.inTransaction) throw error;
          return { error };
        }
      });
    });
    // Local commits wake subscribers at once; polling only catches other processes' writes.
    this.poller = setInterval(() => this.wakeSubscribers(), pollIntervalMs).unref();
  }

  appendToStream(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('event store is closed'));
    return new Promise((resolve, reject) => {
      // Serialized now, so a caller mutating its objects later cannot change what is written.
      const rows = events.map((e): PendingAppend['events'][number] => [e.id, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata)]);
      this.queue.push({ streamId, events: rows, expected, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => this.flush());
    });
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    return this.reading(() => this.sql.selectStream.all(streamId).map(toRecorded));
  }

  async readAll({ after = 0, maxCount = -1 }: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readPage(after, maxCount);
  }

  /**
   * Exact cuts, read off the unique (stream_id, revision) index without touching the table. Each
   * cut skips index entries from the stream of the one before, so all of them together walk the
   * index once. A stream's revisions count its entries, so the entry found at an offset tells
   * where its stream starts.
   */
  async splitStreams(count: number, upTo: GlobalPosition): Promise<StreamRange[]> {
    return this.reading(() => {
      const cuts: string[] = [];
      let from = { streamId: '', offset: 0 };
      for (let part = 1; part < count; part++) {
        const offset = Math.floor((part * upTo) / count);
        const entry = this.sql.entryAfterOffset.get(from.streamId, offset - from.offset);
        if (entry === undefined) break;
        const [streamId, revision] = entry;
        if (streamId !== cuts.at(-1)) cuts.push(streamId);
        from = { streamId, offset: offset - revision };
      }
      return [null, ...cuts].map((from, i) => ({ from, to: cuts[i] ?? null }));
    });
  }

  async readStreamRange(range: StreamRange, { after, upTo, maxCount }: ReadStreamRangeOptions): Promise<StreamRangeEvent[]> {
    return this.reading(() => {
      // '' sorts before every stream id: a range with no start starts there.
      const start = after ? [after.streamId, after.revision] : [range.from ?? ''];
      const end = range.to === null ? [] : [range.to];
      const rows = this.rangeStatement(after !== undefined, range.to !== null).all(upTo, ...start, ...end, maxCount);
      return rows.map(([position, streamId, type, data, revision]) => ({
        position,
        streamId,
        type,
        data: JSON.parse(data) as Record<string, unknown>,
        revision,
      }));
    });
  }

  /** Four shapes (from a cursor or a range's start, bounded or not), each an index range. */
  private readonly rangeStatements = new Map<string, Database.Statement<unknown[], RangeRow>>();
  private rangeStatement(afterCursor: boolean, bounded: boolean): Database.Statement<unknown[], RangeRow> {
    const key = `${afterCursor}/${bounded}`;
    let statement = this.rangeStatements.get(key);
    if (!statement) {
      const start = afterCursor ? '(stream_id, revision) > (?, ?)' : 'stream_id >= ?';
      const text = `SELECT ${RANGE_COLUMNS} FROM events WHERE position <= ? AND ${start}${bounded ? ' AND stream_id < ?' : ''} ORDER BY stream_id, revision LIMIT ?`;
      statement = this.db.prepare<unknown[], RangeRow>(text).raw();
      this.rangeStatements.set(key, statement);
    }
    return statement;
  }

  async headPosition(): Promise<GlobalPosition> {
    return this.reading(() => this.sql.selectHead.get() ?? 0);
  }

  subscribeToAll(options: SubscribeOptions, handler: BatchHandler, onError?: (error: unknown) => void): Subscription {
    const subscription = startCatchUpSubscription(
      (after, maxCount) => this.readPage(after, maxCount),
      options,
      handler,
      onError,
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.poller);
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.flush(); // appends accepted before close still get their answer
    this.db.close();
  }

  private readPage(after: GlobalPosition, maxCount: number): RecordedEvent[] {
    // LIMIT -1 is SQLite for "no limit".
    return this.reading(() => this.sql.selectAll.all(after, maxCount).map(toRecorded));
  }

  /** A damaged page found by a read names this file, so that the process can say what to restore. */
  private reading<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      throw namingCorruptFile(this.file, error, ledgerAdvice(this.file));
    }
  }

  private flush(): void {
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    let outcomes: Outcome[];
    try {
      // IMMEDIATE takes the write lock up front, so another process cannot make us fail mid-batch.
      outcomes = this.commitBatch.immediate(batch);
      this.commitCount++;
    } catch (error) {
      const failure = unavailable(error);
      for (const append of batch) append.reject(failure);
      return;
    }
    batch.forEach((append, i) => {
      const outcome = outcomes[i];
      if ('result' in outcome) append.resolve(outcome.result);
      else append.reject(outcome.error);
    });
    this.wakeSubscribers();
  }

  private write({ streamId, events, expected }: PendingAppend, recordedAt: string): AppendResult {
    const last = this.sql.lastOfStream.get(streamId);
    const actual = last?.revision ?? -1;
    if (expected === 'any' || !isExpected(expected, actual)) {
      const original = originalResult(
        streamId,
        expected,
        events.map(([id]) => this.sql.byId.get(id)),
      );
      if (original) return original;
    }
    if (!isExpected(expected, actual)) throw new WrongExpectedRevisionError(streamId, expected, actual);
    let result: AppendResult = { nextExpectedRevision: actual, position: last?.position ?? 0 };
    for (const [id, type, data, metadata] of events) {
      const revision = result.nextExpectedRevision + 1;
      const { lastInsertRowid } = this.sql.insert.run(id, streamId, revision, type, data, metadata, recordedAt);
      result = { nextExpectedRevision: revision, position: Number(lastInsertRowid) };
    }
    return result;
  }

  private wakeSubscribers(): void {
    for (const subscription of this.subscriptions) subscription.wake();
  }
}

function prepareStatements(db: Database.Database) {
  return {
    insert: db.prepare('INSERT INTO events (id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    lastOfStream: db.prepare<[string], Omit<RecordedAt, 'streamId'>>(
      'SELECT revision, position FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
    ),
    byId: db.prepare<[string], RecordedAt>('SELECT stream_id AS streamId, revision, position FROM events WHERE id = ?'),
    // raw() skips building an object per row: readAll feeds projection rebuilds.
    selectStream: db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM events WHERE stream_id = ? ORDER BY revision`).raw(),
    selectAll: db.prepare<[GlobalPosition, number], Row>(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`).raw(),
    selectHead: db.prepare<[], number | null>('SELECT MAX(position) FROM events').pluck(),
    entryAfterOffset: db
      .prepare<[string, number], [string, number]>('SELECT stream_id, revision FROM events WHERE stream_id >= ? ORDER BY stream_id, revision LIMIT 1 OFFSET ?')
      .raw(),
  };
}

/**
 * SQLite failures that are the file's state, not the append's: locked by another process past
 * the busy timeout, an I/O error, a full disk, a read-only or vanished file. The caller may
 * retry the same append later, as with an unreachable server.
 */
function unavailable(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  return isTransientSqliteError(error) ? new EventStoreUnavailableError(`${String(code)}: ${(error as Error).message}`) : error;
}

/** The ledger is not derived from anything: it is checked, then restored. */
function ledgerAdvice(file: string): string {
  return `this is the ledger: run \`ledger audit verify --data-dir ${dirname(file)}\` to see what is damaged, then restore the file from a backup`;
}

function toRecorded([position, id, streamId, revision, type, data, metadata, recordedAt]: Row): RecordedEvent {
  return {
    id,
    streamId,
    revision,
    position,
    type,
    data: JSON.parse(data) as Record<string, unknown>,
    metadata: JSON.parse(metadata) as Record<string, unknown>,
    recordedAt,
  };
}
