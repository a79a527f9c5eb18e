import Database from 'better-sqlite3';
import { TokenListReadModel } from '@ledger/projections';
import { until } from './support/reminder-behaviour';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

const create = async (server: LedgerServer, name: string) =>
  call(server, 'POST', '/v1/projects/shop/tokens', { token: server.rootToken, body: { name, scopes: ['orders:read'] } });
const revoke = (server: LedgerServer, id: string) => call(server, 'DELETE', `/v1/projects/shop/tokens/${id}`, { token: server.rootToken });
const verifies = async (server: LedgerServer, value: string) => (await call(server, 'POST', '/v1/tokens/verify', { body: { token: value } })).body.valid;
const readiness = (server: LedgerServer) => call(server, 'GET', '/health/ready');

/**
 * The read model's disk fills up (SQLITE_FULL injected at its write): revokes recorded in the
 * ledger must still reach the verification index, readiness must say 503 while the read model
 * is behind, and everything must mend by itself once writes succeed again.
 */
describe('a read model that cannot be written', () => {
  let server: LedgerServer;
  beforeEach(async () => (server = await startLedgerServer({ env: { PROJECTION_WAIT_TIMEOUT: '1s' } })));
  afterEach(() => server.close());

  it('keeps enforcing revokes, says 503 on readiness meanwhile, and recovers without a restart', async () => {
    const before = await create(server, 'before-the-fault');
    expect(before.status).toBe(201);
    expect(await verifies(server, before.body.value)).toBe(true);

    const readModel = server.app.get(TokenListReadModel);
    const full = jest.spyOn(readModel, 'apply').mockImplementation(() => {
      throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
    });

    // Recorded in the ledger, not shown by the read model in time: 503, as before.
    expect((await revoke(server, before.body.token.id)).status).toBe(503);
    // The revoke is in the ledger: the index must refuse the token although the read model lags.
    await until(async () => !(await verifies(server, before.body.value)), 15_000, 'the revoked token refused while the disk is full');
    const ready = await readiness(server);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(ready.body)).toContain('projection retrying after an error (SQLITE_FULL)');
    expect(full).toHaveBeenCalled();

    full.mockRestore();
    await until(async () => (await readiness(server)).status === 200, 15_000, 'readiness back to 200 once writes succeed');
    expect(await verifies(server, before.body.value)).toBe(false);
    const row = await call(server, 'GET', `/v1/projects/shop/tokens/${before.body.token.id}`, { token: server.rootToken });
    expect(row.body).toMatchObject({ status: 'revoked' });
    // A retried revoke is not a 503 any more: the read model shows the first one.
    expect((await revoke(server, before.body.token.id)).status).not.toBe(503);
  }, 60_000);
});
