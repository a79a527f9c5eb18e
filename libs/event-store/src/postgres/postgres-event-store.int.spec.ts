import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { describeEventStoreContract } from '../event-store.contract';
import { PostgresEventStore } from './postgres-event-store';
import { createTestDatabase, SKIP_POSTGRES } from './pg-test-database';

(SKIP_POSTGRES ? describe.skip : describe)('PostgreSQL event store', () => {
  describeEventStoreContract(
    'postgres',
    async () => {
      const database = await createTestDatabase();
      const store = PostgresEventStore.connect(database.url);
      return {
        store,
        cleanup: async () => {
          await store.close();
          await database.drop();
        },
      };
    },
    { partitions: true },
  );
});

(SKIP_POSTGRES ? describe.skip : describe)('PostgreSQL event store shared by several replicas', () => {
  const event = () => ({ id: randomUUID(), type: 'T', data: {}, metadata: {} });

  it('lets one append of many at the same revision win across stores, and answers a cross-store retry with the original', async () => {
    const database = await createTestDatabase();
    const stores = [PostgresEventStore.connect(database.url), PostgresEventStore.connect(database.url), PostgresEventStore.connect(database.url)];
    try {
      const streamId = `token-${randomUUID()}`;
      await stores[0].appendToStream(streamId, [event()], 'no_stream');
      const outcomes = await Promise.allSettled(Array.from({ length: 15 }, (_, i) => stores[i % 3].appendToStream(streamId, [event()], 0)));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) {
        if (o.status === 'rejected') expect(o.reason).toMatchObject({ name: 'WrongExpectedRevisionError', actual: 1 });
      }

      const retried = [event(), event()];
      const other = `token-${randomUUID()}`;
      const [first, second] = await Promise.all([stores[1].appendToStream(other, retried, 'no_stream'), stores[2].appendToStream(other, retried, 'no_stream')]);
      expect(second).toEqual(first);
      expect(await stores[0].readStream(other)).toHaveLength(2);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await database.drop();
    }
  });

  it('reads a commit again soon when it was announced before an older transaction of the server ended', async () => {
    const database = await createTestDatabase();
    const writer = PostgresEventStore.connect(database.url);
    const reader = PostgresEventStore.connect(database.url, { pollIntervalMs: 60_000 });
    // Another client's transaction, begun before the append and still running when it commits.
    const holder = new Client({ connectionString: database.url });
    await holder.connect();
    try {
      await writer.headPosition();
      const seen: string[] = [];
      const subscription = reader.subscribeToAll({}, (batch) => void seen.push(...batch.map((e) => e.id)));
      await new Promise((r) => setTimeout(r, 300)); // listening, caught up, asleep
      await holder.query('BEGIN');
      await holder.query('SELECT pg_current_xact_id()');
      const appended = event();
      await writer.appendToStream(`token-${randomUUID()}`, [appended], 'no_stream');
      await new Promise((r) => setTimeout(r, 150)); // the NOTIFY has come and found nothing to read
      expect(seen).toEqual([]);
      const released = Date.now();
      await holder.query('COMMIT');
      while (!seen.includes(appended.id) && Date.now() - released < 5000) await new Promise((r) => setTimeout(r, 5));
      expect(seen).toEqual([appended.id]);
      expect(Date.now() - released).toBeLessThan(2000);
      await subscription.stop();
    } finally {
      await holder.end();
      await Promise.all([writer.close(), reader.close()]);
      await database.drop();
    }
  });

  it("wakes another replica's subscription by NOTIFY, long before its next poll", async () => {
    const database = await createTestDatabase();
    const writer = PostgresEventStore.connect(database.url);
    const reader = PostgresEventStore.connect(database.url, { pollIntervalMs: 60_000 });
    try {
      await writer.headPosition();
      const seen: string[] = [];
      const subscription = reader.subscribeToAll({}, (batch) => void seen.push(...batch.map((e) => e.id)));
      await new Promise((r) => setTimeout(r, 300)); // listening, caught up, asleep
      const appended = event();
      const started = Date.now();
      await writer.appendToStream(`token-${randomUUID()}`, [appended], 'no_stream');
      while (!seen.includes(appended.id) && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 5));
      expect(seen).toEqual([appended.id]);
      expect(Date.now() - started).toBeLessThan(5000);
      await subscription.stop();
    } finally {
      await Promise.all([writer.close(), reader.close()]);
      await database.drop();
    }
  });
});
