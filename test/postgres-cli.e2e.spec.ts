import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, SKIP_POSTGRES, type TestDatabase } from '../libs/event-store/src/postgres/pg-test-database';
import { mintToken } from '@ledger/tokens';
import { runCli } from './support/cli-runner';
import { call, startLedgerServer } from './support/ledger-server';

/** The hash chain and `ledger audit verify` work on a ledger kept in PostgreSQL as on SQLite. */
(SKIP_POSTGRES ? describe.skip : describe)('ledger audit verify on PostgreSQL', () => {
  let database: TestDatabase;
  let dataDir: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-pg-cli-'));
  });
  afterAll(async () => {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds every chain intact, then names an event edited in the table', async () => {
    const root = mintToken('root').value;
    const server = await startLedgerServer({ dataDir, env: { DATABASE_URL: database.url, LEDGER_BOOTSTRAP_TOKEN: root } });
    const made = await call(server, 'POST', '/v1/projects/shop/tokens', { token: root, body: { name: 'ci', scopes: ['orders:read'] } });
    await call(server, 'DELETE', `/v1/projects/shop/tokens/${made.body.token.id}?reason=leaked`, { token: root });
    await server.stop();

    const env = { DATABASE_URL: database.url, LEDGER_DATA_DIR: dataDir };
    const intact = await runCli(['audit', 'verify'], env);
    expect(intact.stderr).toBe('');
    expect(intact.stdout).toMatch(/OK: every hash chain is intact/);
    expect(intact.code).toBe(0);

    // Only by switching the append-only trigger off, as the table's owner could.
    const sql = new Client({ connectionString: database.url });
    await sql.connect();
    await sql.query('ALTER TABLE events DISABLE TRIGGER events_append_only');
    await sql.query(
      `UPDATE events SET data = replace(data::text, '"name":"ci"', '"name":"forged"')::json WHERE type = 'TokenCreated' AND data->>'name' = 'ci'`,
    );
    const { rows } = await sql.query("SELECT id FROM events WHERE type = 'TokenCreated' AND data->>'name' = 'forged'");
    await sql.end();

    const tampered = await runCli(['audit', 'verify'], env);
    expect(tampered.code).toBe(2);
    expect(tampered.stderr).toContain(`event ${rows[0].id}`);
  }, 120_000);
});
