import { describeEventStoreContract } from '../event-store.contract';
import { PostgresEventStore } from './postgres-event-store';
import { createTestDatabase, describePostgres } from './pg-test-database';

describePostgres('PostgreSQL event store', () => {
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
