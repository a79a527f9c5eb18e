import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { ReadStreamRangeOptions, StreamRange } from '../event-store.port';
import { RANGE_READER_SETUP, streamRangeQuery } from './pg-read';
import { PostgresEventStore } from './postgres-event-store';
import { createTestDatabase, SKIP_POSTGRES, type TestDatabase } from './pg-test-database';

const EVENTS = 100_000;
const streamId = (n: number) => `token-${String(n).padStart(8, '0')}`;

/**
 * A rebuild reads every range of streams a page at a time, and a page must cost its own events,
 * not the range's: the plan must walk the (stream_id, revision) index, never gather the whole
 * range and sort it. Checked on a table the planner has no statistics for (a restored database,
 * autovacuum not yet by), where the pages of a range bounded on both sides were planned as a
 * bitmap scan of the range and a sort, unless the connection reads with RANGE_READER_SETUP.
 */
(SKIP_POSTGRES ? describe.skip : describe)('PostgreSQL plan of a stream range page', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let sql: Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    store = PostgresEventStore.connect(database.url);
    await store.appendToStream('token-schema', [{ id: randomUUID(), type: 'T', data: {}, metadata: {} }], 'no_stream');
    sql = new Client({ connectionString: database.url });
    await sql.connect();
    await sql.query(RANGE_READER_SETUP);
    // Two events a stream, written in one statement: no ANALYZE follows.
    await sql.query(
      `INSERT INTO events (id, stream_id, revision, type, data, metadata, recorded_at)
       SELECT 'e' || i, 'token-' || lpad((i / 2)::text, 8, '0'), i % 2, 'T', '{}', '{}', now() FROM generate_series(0, $1 - 1) AS i`,
      [EVENTS],
    );
  });
  afterAll(async () => {
    await store?.close();
    await sql?.end();
    await database?.drop();
  });

  async function plan(range: StreamRange, options: Omit<ReadStreamRangeOptions, 'upTo' | 'maxCount'>): Promise<string> {
    const { text, values } = streamRangeQuery(range, { ...options, upTo: EVENTS * 2, maxCount: 1000 });
    const { rows } = await sql.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, values);
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  }

  const middle: StreamRange = { from: streamId(10_000), to: streamId(40_000) };
  it.each([
    ['the first page of a range bounded on both sides', middle, {}],
    ['a later page of it', middle, { after: { streamId: streamId(20_000), revision: 0 } }],
    ['the first page of the first range', { from: null, to: streamId(10_000) }, {}],
    ['the first page of the last range', { from: streamId(40_000), to: null }, {}],
  ])('walks the index for %s', async (_, range, options) => {
    const text = await plan(range, options);
    expect(text).toMatch(/Index Scan using events_stream_id_revision_key/);
    expect(text).not.toMatch(/Sort|Bitmap/);
  });

  it('reads ranges on connections of their own, set up first, which a database administrator can tell apart', async () => {
    // What the store sends on the connections of its range reads (the first range read in this file).
    const sent: string[] = [];
    const query = Client.prototype.query as (...args: unknown[]) => unknown;
    const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
      const { application_name } = (this as unknown as { connectionParameters: { application_name: string } }).connectionParameters;
      if (application_name.endsWith('(range reads)')) sent.push(typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text);
      return query.apply(this, args);
    });
    try {
      const page = await store.readStreamRange(middle, { upTo: EVENTS * 2, maxCount: 4 });
      expect(page.map((e) => [e.streamId, e.revision])).toEqual([
        [streamId(10_000), 0],
        [streamId(10_000), 1],
        [streamId(10_001), 0],
        [streamId(10_001), 1],
      ]);
      await store.readStreamRange(middle, { upTo: EVENTS * 2, maxCount: 4, after: { streamId: streamId(10_001), revision: 1 } });
    } finally {
      spy.mockRestore();
    }
    // Set up once, on the connection's first use, before its first page.
    expect(sent).toEqual([RANGE_READER_SETUP, expect.stringMatching(/^SELECT /), expect.stringMatching(/^SELECT /)]);
    const { rows } = await sql.query<{ application_name: string }>(
      'SELECT application_name FROM pg_stat_activity WHERE datname = current_database() ORDER BY 1',
    );
    expect(rows.map((row) => row.application_name)).toContain('token-ledger (range reads)');
  });
});
