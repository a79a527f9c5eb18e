import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from './event-store.contract';
import { EventStoreUnavailableError, WrongExpectedRevisionError, type EventToAppend, type RecordedEvent } from './event-store.port';
import { SqliteEventStore } from './sqlite-event-store';

const dirs: string[] = [];
function newFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-sqlite-'));
  dirs.push(dir);
  return join(dir, 'nested', 'events.db'); // the parent dir does not exist yet
}
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describeEventStoreContract(
  'sqlite',
  async () => {
    const store = SqliteEventStore.open(newFile());
    return { store, cleanup: () => store.close() };
  },
  { streamRanges: true },
);

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

const event = (type = 'T'): EventToAppend => ({ id: randomUUID(), type, data: { type }, metadata: {} });

describe('SqliteEventStore', () => {
  it('cuts ranges of streams exactly where each target count of events falls, for many ranges over streams of any length', async () => {
    const store = SqliteEventStore.open(newFile());
    try {
      // 60 streams of 1 to 20 events, their ids sorted apart from the order they were written in.
      const lengths = Array.from({ length: 60 }, (_, k) => ((k * 7) % 20) + 1);
      await Promise.all(
        lengths.map((length, k) =>
          store.appendToStream(
            `s-${String((k * 37) % 60).padStart(2, '0')}`,
            Array.from({ length }, () => event()),
            'no_stream',
          ),
        ),
      );
      const upTo = await store.headPosition();
      const count = 8;
      const ranges = await store.splitStreams(count, upTo);
      expect(ranges).toHaveLength(count);
      // Each range starts with the stream that holds its target event (part × upTo / count): at
      // most one stream's length (20 events) before that event, never after it.
      let start = 0;
      for (const [part, range] of ranges.entries()) {
        const target = Math.floor((part * upTo) / count);
        expect(start).toBeLessThanOrEqual(target);
        expect(start).toBeGreaterThan(target - 20);
        start += (await store.readStreamRange(range, { upTo, maxCount: upTo })).length;
      }
      expect(start).toBe(upTo);
    } finally {
      await store.close();
    }
  });

  it('keeps every event across close and reopen, and continues after them', async () => {
    const file = newFile();
    const first = SqliteEventStore.open(file);
    await first.appendToStream('a', [event(), event()], 'no_stream');
    await first.appendToStream('b', [event()], 'no_stream');
    const before = await first.readAll();
    await first.close();

    const reopened = SqliteEventStore.open(file);
    expect(await reopened.readAll()).toEqual(before);
    const next = await reopened.appendToStream('a', [event()], 1);
    expect(next).toEqual({ nextExpectedRevision: 2, position: before[2].position + 1 });
    await reopened.close();
  });

  it('writes appends queued in one tick as one transaction, and one conflict fails only itself', async () => {
    const file = newFile();
    const store = SqliteEventStore.open(file);
    await store.appendToStream('taken', [event()], 'no_stream');
    const commits = store.commits;

    const outcomes = await Promise.allSettled([
      store.appendToStream('x', [event(), event()], 'no_stream'),
      store.appendToStream('taken', [event()], 'no_stream'),
      store.appendToStream('y', [event()], 'no_stream'),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect(store.commits).toBe(commits + 1);
    await store.close();
    const reopened = SqliteEventStore.open(file);
    expect((await reopened.readAll()).map((e) => e.streamId)).toEqual(['taken', 'x', 'x', 'y']);
    await reopened.close();
  });

  it('rolls back a half-written append alone when its second event id is taken', async () => {
    const store = SqliteEventStore.open(newFile());
    const taken = event();
    await store.appendToStream('first', [taken], 'no_stream');

    const outcomes = await Promise.allSettled([
      store.appendToStream('broken', [event(), taken], 'no_stream'),
      store.appendToStream('fine', [event()], 'no_stream'),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled']);
    expect(await store.readStream('broken')).toEqual([]);
    expect((await store.readAll()).map((e) => e.streamId)).toEqual(['first', 'fine']);
    await store.close();
  });

  it('notifies its own subscribers after a commit, without waiting for the poll', async () => {
    const store = SqliteEventStore.open(newFile(), { pollIntervalMs: 60_000 });
    const seen: RecordedEvent[] = [];
    const subscription = store.subscribeToAll({}, (batch) => void seen.push(...batch));
    await new Promise((resolve) => setTimeout(resolve, 20)); // caught up and asleep

    await store.appendToStream('a', [event()], 'no_stream');
    await waitFor(() => seen.length > 0, 2000); // far below the 60 s poll
    expect(seen).toHaveLength(1);
    await subscription.stop();
    await store.close();
  });

  it('delivers events appended through another connection to the same file by polling', async () => {
    const file = newFile();
    const reader = SqliteEventStore.open(file, { pollIntervalMs: 50 });
    const writer = SqliteEventStore.open(file);
    const seen: RecordedEvent[] = [];
    const subscription = reader.subscribeToAll({}, (batch) => void seen.push(...batch));

    await writer.appendToStream('a', [event(), event()], 'no_stream');
    await waitFor(() => seen.length >= 2, 2000);
    expect(seen.map((e) => e.revision)).toEqual([0, 1]);
    await subscription.stop();
    await Promise.all([reader.close(), writer.close()]);
  });

  it('uses a WAL journal and creates the events table as specified', async () => {
    const file = newFile();
    await SqliteEventStore.open(file).close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const columns = db.prepare('SELECT name, type, "notnull", pk FROM pragma_table_info(?)').all('events');
    expect(columns).toEqual([
      { name: 'position', type: 'INTEGER', notnull: 0, pk: 1 },
      ...['id', 'stream_id', 'revision', 'type', 'data', 'metadata', 'recorded_at'].map((name) => ({
        name,
        type: name === 'revision' ? 'INTEGER' : 'TEXT',
        notnull: 1,
        pk: 0,
      })),
    ]);
    db.close();
  });

  it('answers EventStoreUnavailableError while another process holds the write lock, and appends once it is released', async () => {
    const file = newFile();
    const store = SqliteEventStore.open(file);
    await store.appendToStream('a', [event()], 'no_stream');
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE'); // what a long write by another process looks like

    // better-sqlite3 waits out its 5 s busy timeout first.
    await expect(store.appendToStream('a', [event()], 0)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    other.exec('ROLLBACK');
    other.close();
    expect((await store.appendToStream('a', [event()], 0)).nextExpectedRevision).toBe(1);
    await store.close();
  }, 15_000);

  it('rejects appends after close', async () => {
    const store = SqliteEventStore.open(newFile());
    await store.close();
    await expect(store.appendToStream('a', [event()], 'any')).rejects.toThrow('closed');
  });
});
