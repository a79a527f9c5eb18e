import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { readSettledPage } from './pg-read';
import { APPEND_LOCK } from './pg-schema';
import { PostgresEventStore } from './postgres-event-store';
import { createTestDatabase, SKIP_POSTGRES, type TestDatabase } from './pg-test-database';

const INSERT_ONE = `INSERT INTO events (id, stream_id, revision, type, data, metadata, recorded_at)
  VALUES ($1, $2, 0, 'Ordered', '{}', '{}', now()) RETURNING position, tx_id::text`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until<T>(check: () => Promise<T | null | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * The last position written, settled or not. A settled read waits for the oldest transaction
 * running anywhere on the server, so other suites' transactions can hold `headPosition` back.
 */
async function lastPosition(db: Client): Promise<number> {
  return Number((await db.query<{ p: string }>('SELECT coalesce(max(position), 0)::text AS p FROM events')).rows[0].p);
}

/**
 * Readers of the global stream take only events of transactions older than every running one
 * (pg-read.ts). That is safe only if transaction ids and positions rise together, which
 * APPEND_LOCK gives (pg-append.ts): each append draws its transaction id and its positions inside
 * the lock. These tests show the hazard the lock removes, with plain SQL, and that the store's
 * appends take their transaction id only once they hold the lock.
 */
(SKIP_POSTGRES ? describe.skip : describe)('PostgreSQL append lock', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  const clients: Client[] = [];
  const client = async () => {
    const c = new Client({ connectionString: database.url });
    await c.connect();
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    store = PostgresEventStore.connect(database.url, { pollIntervalMs: 20 });
    await store.headPosition(); // the schema
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await store.close();
    await database.drop();
  });

  it('without it, an id drawn before the position lets a reader pass over an event that commits late (the hazard)', async () => {
    const [a, b, reader] = [await client(), await client(), await client()];
    const start = await lastPosition(reader);
    await a.query('BEGIN');
    const xidA = (await a.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid')).rows[0].xid; // A's id first ...
    await b.query('BEGIN');
    const late = await b.query<{ position: string }>(INSERT_ONE, [randomUUID(), `s-${randomUUID()}`]); // ... B takes the lower position ...
    const early = await a.query<{ position: string }>(INSERT_ONE, [randomUUID(), `s-${randomUUID()}`]); // ... A the higher one
    expect(Number(late.rows[0].position)).toBeLessThan(Number(early.rows[0].position));
    await a.query('COMMIT');

    // A's id is older than B's, which still runs: A's event is settled (once whatever else runs
    // on the server and is older ends), the reader moves past it.
    const first = await until(async () => {
      const page = await readSettledPage(reader, start, 100);
      return page.length > 0 && page;
    }, "A's event settled");
    expect(first.map((e) => e.position)).toEqual([Number(early.rows[0].position)]);
    expect(BigInt(xidA)).toBeGreaterThan(0n);
    await b.query('COMMIT');
    const next = await readSettledPage(reader, first[0].position, 100);
    // B's event, committed now below the reader's checkpoint, is never read "after" it.
    expect(next).toEqual([]);
    const all = await until(async () => {
      const page = await readSettledPage(reader, start, 100);
      return page.length === 2 && page;
    }, "B's event settled");
    expect(all.map((e) => e.position)).toContain(Number(late.rows[0].position));
  });

  it('an append waits for the lock before its transaction takes an id (its insert is the first write)', async () => {
    const holder = await client();
    const observer = await client();
    await holder.query('SELECT pg_advisory_lock($1)', [APPEND_LOCK]);
    let settled = false;
    const append = store
      .appendToStream(`s-${randomUUID()}`, [{ id: randomUUID(), type: 'Ordered', data: {}, metadata: {} }], 'no_stream')
      .finally(() => (settled = true));
    try {
      const waiting = await until(async () => {
        const { rows } = await observer.query<{ pid: number; backend_xid: string | null }>(
          `SELECT a.pid, a.backend_xid::text FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND NOT l.granted AND a.datname = current_database()`,
        );
        return rows.length > 0 ? rows[0] : null;
      }, 'the append to wait for APPEND_LOCK');
      // Stream ends and ids were read, but nothing written: no transaction id drawn yet.
      expect(waiting.backend_xid).toBeNull();
      await sleep(100);
      expect(settled).toBe(false);
    } finally {
      await holder.query('SELECT pg_advisory_unlock($1)', [APPEND_LOCK]);
    }
    const result = await append;
    expect(result.position).toBeGreaterThan(0);
  });

  it('an append that commits late holds the reader back until it commits: read in position order, nothing missed', async () => {
    let releaseSlow: () => void = () => undefined;
    const slowCommit = new Promise<void>((resolve) => (releaseSlow = resolve));
    let slowInserted: () => void = () => undefined;
    const inserted = new Promise<void>((resolve) => (slowInserted = resolve));
    const slow = PostgresEventStore.connect(database.url, {
      beforeCommit: async () => {
        slowInserted();
        await slowCommit;
      },
    });
    const reader = await client();
    try {
      const start = await lastPosition(reader);
      const slowId = randomUUID();
      const slowAppend = slow.appendToStream(`s-${randomUUID()}`, [{ id: slowId, type: 'Ordered', data: {}, metadata: {} }], 'no_stream');
      await inserted; // its position and id are drawn; it has not committed
      const fast = await store.appendToStream(`s-${randomUUID()}`, [{ id: randomUUID(), type: 'Ordered', data: {}, metadata: {} }], 'no_stream');

      // The fast append is acknowledged, but the slow one is older and still running: not settled yet.
      expect(await readSettledPage(reader, start, 100)).toEqual([]);
      releaseSlow();
      const slowResult = await slowAppend;
      expect(slowResult.position).toBeLessThan(fast.position);
      const page = await until(async () => {
        const events = await readSettledPage(reader, start, 100);
        return events.length === 2 ? events : null;
      }, 'both events settled');
      expect(page.map((e) => e.position)).toEqual([slowResult.position, fast.position]);
    } finally {
      releaseSlow();
      await slow.close();
    }
  });
});
