import { SqliteEventStore } from '@ledger/event-store';
import * as storeFactory from '../apps/api/src/store/open-event-store';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';
import { SwitchableOutage } from './support/switchable-outage';
import { appendRotationCut } from './support/rotation-cut';

/**
 * docs/operations.md, "The event store or Redis goes away": when the event store goes away, readiness turns false, writes
 * answer 503 with Retry-After and change nothing, and tokens keep being verified from the
 * replica's local index and read model. Run on the real SQLite store behind a switch.
 */
describe('event store unavailable', () => {
  let server: LedgerServer;
  let outage: SwitchableOutage;
  let reader: { id: string; value: string };
  let revoked: { id: string; value: string };

  beforeAll(async () => {
    jest.spyOn(storeFactory, 'openEventStore').mockImplementation((_config, file) => {
      outage = new SwitchableOutage(SqliteEventStore.open(file));
      return outage;
    });
    server = await startLedgerServer();
    const issue = async (name: string) => {
      const res = await call(server, 'POST', '/v1/projects/shop/tokens', { token: server.rootToken, body: { name, scopes: ['tokens:read'] } });
      expect(res.status).toBe(201);
      return { id: res.body.token.id as string, value: res.body.value as string };
    };
    reader = await issue('reader');
    revoked = await issue('leaked');
    expect((await call(server, 'DELETE', `/v1/projects/shop/tokens/${revoked.id}`, { token: server.rootToken })).status).toBe(200);
  });
  afterAll(async () => {
    await server.close();
    jest.restoreAllMocks();
  });

  /** A token proving itself on the admin API (an authenticated read of a token). */
  const verifiesAs = async (value: string, tokenId: string) => (await call(server, 'GET', `/v1/projects/shop/tokens/${tokenId}`, { token: value })).status;
  const verifies = (value: string) => verifiesAs(value, reader.id);
  /** The calls services make: POST /v1/tokens/verify and gateway forward-auth. */
  const verifyCall = async (value: string) => (await call(server, 'POST', '/v1/tokens/verify', { body: { token: value, scopes: ['tokens:read'] } })).body;
  const forwardAuth = async (value: string) =>
    (await call(server, 'GET', '/v1/auth/check?scope=tokens:read', { headers: { authorization: `Bearer ${value}` } })).status;

  it('turns readiness false, answers writes 503 with Retry-After, keeps verifying, and recovers', async () => {
    const before = await (outage.inner as SqliteEventStore).readAll();
    outage.down = true;

    const ready = await call(server, 'GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.error.details.details.eventStore.status).toBe('down');
    expect((await call(server, 'GET', '/health/live')).status).toBe(200);

    const writes = [
      call(server, 'POST', '/v1/projects/shop/tokens', { token: server.rootToken, body: { name: 'new', scopes: [] } }),
      call(server, 'DELETE', `/v1/projects/shop/tokens/${reader.id}`, { token: server.rootToken }),
      call(server, 'POST', `/v1/projects/shop/tokens/${reader.id}/rotate`, { token: server.rootToken, body: {} }),
    ];
    for (const res of await Promise.all(writes)) {
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.body.error.code).toBe('store_unavailable');
      expect(JSON.stringify(res.body)).not.toMatch(/tl[piur]_/);
    }

    // Verification: from the in-memory index and the local read model, no store needed.
    expect(await verifies(reader.value)).toBe(200);
    expect(await verifies(revoked.value)).toBe(401);
    expect(await verifyCall(reader.value)).toMatchObject({ valid: true, tokenId: reader.id });
    expect(await verifyCall(revoked.value)).toEqual({ valid: false, code: 'revoked' });
    expect(await forwardAuth(reader.value)).toBe(200);
    expect(await forwardAuth(revoked.value)).toBe(401);
    const list = await call(server, 'GET', '/v1/projects/shop/tokens?status=all', { token: reader.value });
    expect(list.status).toBe(200);
    expect(list.body.items.map((t: { name: string }) => t.name).sort()).toEqual(['leaked', 'reader']);

    outage.down = false;
    expect(await (outage.inner as SqliteEventStore).readAll()).toEqual(before);
    expect((await call(server, 'GET', '/health/ready')).status).toBe(200);
    const created = await call(server, 'POST', '/v1/projects/shop/tokens', { token: server.rootToken, body: { name: 'after', scopes: [] } });
    expect(created.status).toBe(201);
  });

  it('completes a rotation cut during the outage once the store is back', async () => {
    // The first half lands just before the store goes away (written straight to the file).
    const { minted } = await appendRotationCut(outage.inner, reader.id);
    outage.down = true;
    await new Promise((r) => setTimeout(r, 3500)); // past the recovery's grace: it tries, and fails
    expect(await verifiesAs(minted.value, minted.tokenId)).toBe(401);

    outage.down = false;
    const deadline = Date.now() + 5000;
    while ((await verifiesAs(minted.value, minted.tokenId)) !== 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await verifiesAs(minted.value, minted.tokenId)).toBe(200);
  });
});
