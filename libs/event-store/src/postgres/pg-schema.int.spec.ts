import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { REFUSED_PORT } from '../../../../test/support/refused-port';
import { EventStoreUnavailableError } from '../event-store.port';
import { PostgresEventStore } from './postgres-event-store';
import { createTestDatabase, SKIP_POSTGRES, type TestDatabase } from './pg-test-database';

const event = () => ({ id: randomUUID(), type: 'T', data: {}, metadata: {} });

(SKIP_POSTGRES ? describe.skip : describe)('PostgreSQL schema and failures', () => {
  let database: TestDatabase;
  let sql: Client;
  beforeEach(async () => {
    database = await createTestDatabase();
    sql = new Client({ connectionString: database.url });
    await sql.connect();
  });
  afterEach(async () => {
    await sql.end();
    await database.drop();
  });

  it('is created once by several replicas starting at the same moment', async () => {
    const replicas = Array.from({ length: 6 }, () => PostgresEventStore.connect(database.url));
    await Promise.all(replicas.map((store) => store.appendToStream(`token-${randomUUID()}`, [event()], 'no_stream')));
    await Promise.all(replicas.map((store) => store.close()));

    const { rows } = await sql.query('SELECT version, name FROM ledger_schema_migrations');
    expect(rows).toEqual([{ version: 1, name: 'events' }]);
    expect((await sql.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(6);
  });

  it('keeps events across restarts and refuses a schema newer than it knows', async () => {
    const first = PostgresEventStore.connect(database.url);
    await first.appendToStream('token-a', [event()], 'no_stream');
    await first.close();
    await sql.query("INSERT INTO ledger_schema_migrations (version, name) VALUES (99, 'from the future')");

    const second = PostgresEventStore.connect(database.url);
    await expect(second.readStream('token-a')).rejects.toThrow(/schema is at version 99, newer than this ledger knows \(1\)/);
    await second.close();
    await sql.query('DELETE FROM ledger_schema_migrations WHERE version = 99');
    const third = PostgresEventStore.connect(database.url);
    expect(await third.readStream('token-a')).toHaveLength(1);
    await third.close();
  });

  it('refuses to change or remove a recorded event, whoever asks', async () => {
    const store = PostgresEventStore.connect(database.url);
    await store.appendToStream('token-a', [event()], 'no_stream');
    await store.close();
    await expect(sql.query("UPDATE events SET type = 'Forged'")).rejects.toThrow(/append-only \(UPDATE refused\)/);
    await expect(sql.query('DELETE FROM events')).rejects.toThrow(/append-only \(DELETE refused\)/);
    await expect(sql.query('TRUNCATE events')).rejects.toThrow(/append-only \(TRUNCATE refused\)/);
  });
});

describe('PostgreSQL event store without a server', () => {
  const url = `postgres://postgres:s3cret@127.0.0.1:${REFUSED_PORT}/ledger`;

  it('answers unavailable (503), never with the password, and a subscription says it is retrying', async () => {
    const store = PostgresEventStore.connect(url, { resubscribeDelayMs: 20, resubscribeMaxDelayMs: 40 });
    const failure = await store.appendToStream('token-a', [event()], 'no_stream').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EventStoreUnavailableError);
    expect(String((failure as Error).message)).not.toContain('s3cret');
    await expect(store.readAll()).rejects.toBeInstanceOf(EventStoreUnavailableError);

    const errors: unknown[] = [];
    const subscription = store.subscribeToAll(
      {},
      () => undefined,
      (error) => errors.push(error),
    );
    const deadline = Date.now() + 5000;
    while ((store.subscriptionRetry()?.attempts ?? 0) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(store.subscriptionRetry()).toMatchObject({ attempts: expect.any(Number), reason: expect.stringContaining('ECONNREFUSED') });
    expect(store.subscriptionRetry()!.attempts).toBeGreaterThanOrEqual(2);
    expect(errors).toEqual([]);
    await subscription.stop();
    expect(store.subscriptionRetry()).toBeNull();
    await store.close();
  });
});
