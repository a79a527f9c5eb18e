import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { RecordedEvent } from '../event-store.port';
import { PostgresEventStore } from './postgres-event-store';
import { createTestDatabase, SKIP_POSTGRES, type TestDatabase } from './pg-test-database';

const WRITERS = 4;
const APPENDS_PER_WRITER = 60;

/**
 * Transactions commit out of position order: one that drew position 7 may commit after the one
 * that drew 8. Here every append transaction sleeps a random while before COMMIT, from several
 * processes' worth of stores at once. A reader that naively takes "position > checkpoint" skips
 * the late ones (checked too, so the scenario is known to be the dangerous one); the store's
 * subscribers must see every acknowledged event exactly once, in one order they all share.
 */
(SKIP_POSTGRES ? describe.skip : describe)('PostgreSQL global order under out-of-order commits', () => {
  let database: TestDatabase;
  beforeAll(async () => (database = await createTestDatabase()));
  afterAll(() => database.drop());

  it('delivers every acknowledged event once, in the same order to every subscriber, where a naive reader skips some', async () => {
    const writers = Array.from({ length: WRITERS }, () =>
      PostgresEventStore.connect(database.url, {
        beforeCommit: async (client) => void (await client.query('SELECT pg_sleep(random() * 0.04)')),
      }),
    );
    const readers = [PostgresEventStore.connect(database.url, { pollIntervalMs: 20 }), PostgresEventStore.connect(database.url, { pollIntervalMs: 20 })];
    await readers[0].headPosition(); // the schema exists before the naive reader starts
    const seen: RecordedEvent[][] = [[], []];
    const subscriptions = readers.map((store, i) => store.subscribeToAll({ batchSize: 7 }, (batch) => void seen[i].push(...batch)));
    const naive = startNaiveReader(database.url);

    const acknowledged: string[] = [];
    await Promise.all(
      writers.map(async (store) => {
        for (let i = 0; i < APPENDS_PER_WRITER; i += 3) {
          const results = await Promise.all(
            [0, 1, 2].map(async () => {
              const id = randomUUID();
              await store.appendToStream(`token-${randomUUID()}`, [{ id, type: 'Ordered', data: {}, metadata: {} }], 'no_stream');
              return id;
            }),
          );
          acknowledged.push(...results);
        }
      }),
    );

    const deadline = Date.now() + 20_000;
    while (seen.some((events) => events.length < acknowledged.length) && Date.now() < deadline) await sleep(20);
    await sleep(200); // anything extra (a duplicate) would arrive now
    const naiveIds = await naive.stop();
    await Promise.all(subscriptions.map((s) => s.stop()));
    await Promise.all([...writers, ...readers].map((store) => store.close()));

    for (const events of seen) {
      expect(events.map((e) => e.id).sort()).toEqual([...acknowledged].sort());
      events.slice(1).forEach((e, i) => expect(e.position).toBeGreaterThan(events[i].position));
    }
    expect(seen[1].map((e) => e.position)).toEqual(seen[0].map((e) => e.position));
    // Whether this run did commit out of order: a naive reader of plain positions lost events. It
    // is a matter of timing (a starved poller on a loaded machine can see every commit), so it is
    // reported rather than asserted; without the store's bound the assertions above lost 18 here.
    const naiveLost = acknowledged.length - new Set(naiveIds).size;
    process.stdout.write(`${JSON.stringify({ test: 'pg-ordering', acknowledged: acknowledged.length, naive_reader_lost: naiveLost })}\n`);
  }, 60_000);
});

/** Polls `position > checkpoint` without the store's bound on running transactions. */
function startNaiveReader(url: string): { stop(): Promise<string[]> } {
  const client = new Client({ connectionString: url });
  const ids: string[] = [];
  let stopped = false;
  const loop = (async () => {
    await client.connect();
    let checkpoint = 0;
    while (!stopped) {
      const { rows } = await client.query<{ position: string; id: string }>('SELECT position, id FROM events WHERE position > $1 ORDER BY position', [
        checkpoint,
      ]);
      for (const row of rows) ids.push(row.id);
      if (rows.length > 0) checkpoint = Number(rows[rows.length - 1].position);
      await sleep(2);
    }
    await client.end();
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return ids;
    },
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
