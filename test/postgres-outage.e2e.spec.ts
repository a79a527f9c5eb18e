import { createTestDatabase, SKIP_POSTGRES, type TestDatabase } from '../libs/event-store/src/postgres/pg-test-database';
import { mintToken } from '@ledger/tokens';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';
import { startPrivatePostgres, type PrivatePostgres } from './support/private-postgres';

const root = mintToken('root').value;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The database goes away under load (an immediate shutdown of a private server cuts every
 * connection) and comes back: writes answer 503 meanwhile and nothing acknowledged is lost,
 * verification keeps answering from the replica's index, and everything resumes by itself.
 */
(SKIP_POSTGRES ? describe.skip : describe)('the PostgreSQL server going away and coming back', () => {
  let postgres: PrivatePostgres;
  let database: TestDatabase;
  let server: LedgerServer;

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    database = await createTestDatabase(postgres.serverUrl);
    server = await startLedgerServer({
      env: { DATABASE_URL: database.url, LEDGER_BOOTSTRAP_TOKEN: root, FAILED_AUTH_LIMIT: 'off', ADMIN_RATE_LIMIT: 'off', PROJECTION_WAIT_TIMEOUT: '3s' },
    });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    postgres?.destroy();
  });

  const create = () => call(server, 'POST', '/v1/projects/shop/tokens', { token: root, body: { name: 'outage', scopes: ['orders:read'] } });
  const verdict = async (value: string) => {
    const { status, body } = await call(server, 'POST', '/v1/tokens/verify', { body: { token: value } });
    return status === 200 ? (body.valid ? 'valid' : body.code) : `status ${status}`;
  };
  const ready = async () => (await call(server, 'GET', '/health/ready')).status;

  it('answers writes 503 while it is down, keeps verifying, loses nothing acknowledged, and resumes by itself', async () => {
    const before = await create();
    expect(before.status).toBe(201);
    const acknowledged: string[] = [before.body.value];
    const statuses = new Map<number, number>();
    let writing = true;
    const burst = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (writing) {
          const made = await create();
          statuses.set(made.status, (statuses.get(made.status) ?? 0) + 1);
          if (made.status === 201) acknowledged.push(made.body.value);
          else await sleep(50);
        }
      }),
    );

    await sleep(500);
    postgres.stop();
    const downSince = Date.now();
    // Verification answers from memory while the database is away.
    expect(await verdict(before.body.value)).toBe('valid');
    const refused = await create();
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect(JSON.stringify(refused.body)).not.toContain(database.url);
    // Readiness says so (the subscription is retrying), so a balancer sends traffic elsewhere.
    while ((await ready()) === 200 && Date.now() - downSince < 10_000) await sleep(100);
    expect(await ready()).toBe(503);
    // Longer than PROJECTION_WAIT_TIMEOUT: a create whose append committed just before the stop
    // waits for the read model, and would answer 201 if the database came back within its wait.
    // Then the burst's own creates, not only `refused`, meet the outage.
    await sleep(Math.max(1500, 3500 - (Date.now() - downSince)));

    postgres.start();
    const upSince = Date.now();
    while ((await ready()) !== 200 && Date.now() - upSince < 40_000) await sleep(200);
    expect(await ready()).toBe(200);
    await sleep(500);
    writing = false;
    await burst;

    const after = await create();
    expect(after.status).toBe(201);
    acknowledged.push(after.body.value);
    expect([...statuses.keys()].filter((s) => s !== 201 && s !== 503)).toEqual([]);
    expect(statuses.get(503)).toBeGreaterThan(0);
    for (const value of acknowledged) expect(await verdict(value)).toBe('valid');

    // A replica started afresh rebuilds from the database: the acknowledged writes are there.
    const fresh = await startLedgerServer({ env: { DATABASE_URL: database.url, LEDGER_BOOTSTRAP_TOKEN: root, FAILED_AUTH_LIMIT: 'off' } });
    try {
      for (const value of acknowledged) {
        const { body } = await call(fresh, 'POST', '/v1/tokens/verify', { body: { token: value } });
        expect(body.valid).toBe(true);
      }
    } finally {
      await fresh.close();
    }
  }, 120_000);
});
