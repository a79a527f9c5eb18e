import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENTS_FILE } from '../apps/api/src/store/ledger-store.module';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

/**
 * Two replicas sharing one event store, each with its own read model and token index: the
 * topology of the compose file, with one SQLite events file standing in for EventStoreDB (each
 * replica's subscription polls it for the other's appends). A revoke on A must stop the token on
 * B within the subscription delay; bench/replica-delay.bench.ts measures that delay.
 */
describe('replicas on one event store', () => {
  let a: LedgerServer;
  let b: LedgerServer;

  // B answers not_found until its subscription has seen A's token, and this test polls it every
  // few ms: the failed-credential bucket (30 a minute) would block the test's client with 429s
  // whenever B takes longer than 30 polls. Brute force is rate-limit.e2e.spec.ts's subject.
  const env = { FAILED_AUTH_LIMIT: 'off' };

  beforeAll(async () => {
    a = await startLedgerServer({ env });
    const dirB = mkdtempSync(join(tmpdir(), 'ledger-replica-b-'));
    // SQLite follows the link, so its WAL and lock files are the shared ones beside the target.
    symlinkSync(join(a.dataDir, EVENTS_FILE), join(dirB, EVENTS_FILE));
    b = await startLedgerServer({ dataDir: dirB, env });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const statusOn = async (replica: LedgerServer, value: string, tokenId: string) =>
    (await call(replica, 'GET', `/v1/projects/shop/tokens/${tokenId}`, { token: value })).status;

  async function within(ms: number, condition: () => Promise<boolean>): Promise<number> {
    const started = Date.now();
    while (!(await condition())) {
      if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return Date.now() - started;
  }

  it('shows a token created on A on B, and stops it on B soon after A revoked it', async () => {
    const created = await call(a, 'POST', '/v1/projects/shop/tokens', { token: a.rootToken, body: { name: 'shared', scopes: ['tokens:read'] } });
    const { id } = created.body.token;
    const { value } = created.body;
    await within(2000, async () => (await statusOn(b, value, id)) === 200);

    const revoked = await call(a, 'DELETE', `/v1/projects/shop/tokens/${id}`, { token: a.rootToken });
    expect(revoked.status).toBe(200);
    // Read-your-writes on A: refused there from the moment the revoke answered.
    expect(await statusOn(a, value, id)).toBe(401);
    const delay = await within(2000, async () => (await statusOn(b, value, id)) === 401);
    expect(delay).toBeLessThan(2000);
  });

  it('lets B write too: each replica is a full API, and A sees B’s writes', async () => {
    const created = await call(b, 'POST', '/v1/projects/shop/tokens', { token: a.rootToken, body: { name: 'from-b', scopes: ['tokens:read'] } });
    expect(created.status).toBe(201);
    await within(2000, async () => (await statusOn(a, created.body.value, created.body.token.id)) === 200);
  });
});
