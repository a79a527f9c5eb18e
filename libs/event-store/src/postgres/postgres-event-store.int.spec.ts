import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { describeEventStoreContract } from '../event-store.contract';
import { PostgresEventStore } from './postgres-event-store';
import { createTestDatabase, SKIP_POSTGRES, waitUntilSettled } from './pg-test-database';

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
    { streamRanges: true, settled: waitUntilSettled },
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

  /**
   * A writer, a reader subscribed with a 60 s poll (listening, caught up, asleep), and another
   * client whose transaction can be held open across an append, which keeps it unreadable.
   */
  async function withHeldBackReader(
    body: (replicas: { writer: PostgresEventStore; seen: string[]; holdBack(): Promise<() => Promise<void>> }) => Promise<void>,
  ) {
    const database = await createTestDatabase();
    const writer = PostgresEventStore.connect(database.url);
    const reader = PostgresEventStore.connect(database.url, { pollIntervalMs: 60_000 });
    const holder = new Client({ connectionString: database.url });
    await holder.connect();
    try {
      await writer.headPosition();
      const seen: string[] = [];
      const subscription = reader.subscribeToAll({}, (batch) => void seen.push(...batch.map((e) => e.id)));
      await new Promise((r) => setTimeout(r, 300));
      const holdBack = async () => {
        await holder.query('BEGIN');
        await holder.query('SELECT pg_current_xact_id()');
        return async () => void (await holder.query('COMMIT'));
      };
      await body({ writer, seen, holdBack });
      await subscription.stop();
    } finally {
      await holder.end();
      await Promise.all([writer.close(), reader.close()]);
      await database.drop();
    }
  }

  const waitToSee = async (seen: string[], id: string) => {
    const started = Date.now();
    while (!seen.includes(id) && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 5));
    return Date.now() - started;
  };

  it('reads a commit again soon when it was announced before an older transaction of the server ended', () =>
    withHeldBackReader(async ({ writer, seen, holdBack }) => {
      const release = await holdBack();
      const appended = event();
      await writer.appendToStream(`token-${randomUUID()}`, [appended], 'no_stream');
      await new Promise((r) => setTimeout(r, 150)); // the NOTIFY has come and found nothing to read
      expect(seen).toEqual([]);
      await release();
      const waited = await waitToSee(seen, appended.id);
      expect(seen).toEqual([appended.id]);
      expect(waited).toBeLessThan(2000);
    }));

  it('starts the re-reads over at each commit: a later commit is not left to the series of an earlier one', () =>
    withHeldBackReader(async ({ writer, seen, holdBack }) => {
      const first = event();
      await writer.appendToStream(`token-${randomUUID()}`, [first], 'no_stream');
      // Every re-read the first commit set off is now at its last step, about 1.2 s away.
      await new Promise((r) => setTimeout(r, 700));
      expect(seen).toEqual([first.id]);
      const release = await holdBack();
      const later = event();
      await writer.appendToStream(`token-${randomUUID()}`, [later], 'no_stream');
      await new Promise((r) => setTimeout(r, 60)); // announced, not yet readable
      expect(seen).toEqual([first.id]);
      await release();
      const waited = await waitToSee(seen, later.id);
      expect(seen).toEqual([first.id, later.id]);
      // Its own series reads again 100 ms after it committed; the first one's would wait about a second more.
      expect(waited).toBeLessThan(500);
    }));

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

(SKIP_POSTGRES ? describe.skip : describe)('PostgreSQL group commit round trips', () => {
  const event = () => ({ id: randomUUID(), type: 'T', data: {}, metadata: {} });

  /** The SQL of every query the store's connections send while `work` runs. */
  async function queriesDuring(store: PostgresEventStore, work: () => Promise<unknown>): Promise<string[]> {
    const sent: string[] = [];
    const original = Client.prototype.query;
    const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
      const [config] = args as [string | { text: string }];
      sent.push((typeof config === 'string' ? config : config.text).replace(/\s+/g, ' ').trim());
      return (original as (...a: unknown[]) => unknown).apply(this, args) as never;
    });
    try {
      await work();
      await new Promise((r) => setTimeout(r, 50)); // the notification after the commit
    } finally {
      spy.mockRestore();
    }
    return sent.filter((sql) => !sql.startsWith('SHOW') && !sql.includes('ledger_schema_migrations'));
  }

  it('writes a batch in four round trips, then notifies the other replicas', async () => {
    const database = await createTestDatabase();
    const store = PostgresEventStore.connect(database.url);
    try {
      await store.headPosition(); // schema ready, a connection open
      const sent = await queriesDuring(store, () =>
        Promise.all([
          store.appendToStream(`token-${randomUUID()}`, [event(), event()], 'no_stream'),
          store.appendToStream(`token-${randomUUID()}`, [event()], 'no_stream'),
        ]),
      );
      expect(sent).toEqual([
        expect.stringMatching(/^SELECT 'end', stream_id/),
        expect.stringMatching(/^BEGIN; SELECT pg_advisory_lock\(\d+\)$/),
        expect.stringMatching(/^INSERT INTO events/),
        expect.stringMatching(/^SELECT pg_advisory_unlock\(\d+\); COMMIT$/),
        'SELECT pg_notify($1, $2)',
      ]);
      expect(await store.readAll()).toHaveLength(3);
    } finally {
      await store.close();
      await database.drop();
    }
  });

  it('opens no transaction for a batch that writes nothing', async () => {
    const database = await createTestDatabase();
    const store = PostgresEventStore.connect(database.url);
    try {
      const streamId = `token-${randomUUID()}`;
      const first = event();
      await store.appendToStream(streamId, [first], 'no_stream');
      await new Promise((r) => setTimeout(r, 50)); // its notification
      const sent = await queriesDuring(store, async () => {
        await expect(store.appendToStream(streamId, [event()], 'no_stream')).rejects.toMatchObject({ name: 'WrongExpectedRevisionError' });
        await expect(store.appendToStream(streamId, [first], 'no_stream')).resolves.toMatchObject({ nextExpectedRevision: 0 });
      });
      const appendQueries = sent.filter((sql) => !sql.includes('pg_notify'));
      expect(appendQueries).toEqual([expect.stringMatching(/^SELECT 'end', stream_id/), expect.stringMatching(/^SELECT 'end', stream_id/)]);
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
