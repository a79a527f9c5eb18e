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
