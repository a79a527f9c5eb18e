import { randomUUID } from 'node:crypto';
import { describeEventStoreContract } from '../event-store.contract';
import { PostgresEventStore } from './postgres-event-store';
import { createTestDatabase, SKIP_POSTGRES } from './pg-test-database';

(SKIP_POSTGRES ? describe.skip : describe)('PostgreSQL event store', () => {
  describeEventStoreContract('postgres', async () => {
    const database = await createTestDatabase();
    const store = PostgresEventStore.connect(database.url);
    return {
      store,
      cleanup: async () => {
        await store.close();
        await database.drop();
      },
    };
  });
});

(SKIP_POSTGRES ? describe.skip : describe)('PostgreSQL event store shared by several replicas', () => {
  const event = () => ({ id: randomUUID(), type: 'T', data: {}, metadata: {} });

  it('lets one append of many at the same revision win across stores, and answers a cross-store retry with the original', async () => {
    const database = await createTestDatabase();
    const stores = [PostgresEventStore.connect(database.url), PostgresEventStore.connect(database.url), PostgresEventStore.connect(database.url)];
    try {
      const streamId = `token-${randomUUID()}`;
      await stores[0].appendToStream(streamId, [event()], 'no_stream');
      const outcomes = await Promise.allSettled(
        Array.from({ length: 15 }, (_, i) => stores[i % 3].appendToStream(streamId, [event()], 0)),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) {
        if (o.status === 'rejected') expect(o.reason).toMatchObject({ name: 'WrongExpectedRevisionError', actual: 1 });
      }

      const retried = [event(), event()];
      const other = `token-${randomUUID()}`;
      const [first, second] = await Promise.all([
        stores[1].appendToStream(other, retried, 'no_stream'),
        stores[2].appendToStream(other, retried, 'no_stream'),
      ]);
      expect(second).toEqual(first);
      expect(await stores[0].readStream(other)).toHaveLength(2);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await database.drop();
    }
  });
});
