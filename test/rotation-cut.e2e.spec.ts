import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { EVENTS_FILE } from '../apps/api/src/store/ledger-store.module';
import { completionEventId } from '../apps/api/src/tokens/rotate-token/complete-rotation';
import { RotationRecovery } from '../apps/api/src/tokens/rotate-token/rotation-recovery';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';
import { appendRotationCut } from './support/rotation-cut';

/**
 * A rotation is two appends on two streams. Cut it after the first (TokenRotated recorded, the
 * new token's TokenCreated not) and the ledger alone must let any replica finish it: on start,
 * and while running.
 */
describe('rotation cut between its two appends', () => {
  let server: LedgerServer;
  let rootToken: string;
  let dataDir: string;
  const eventsFile = () => join(dataDir, EVENTS_FILE);

  /** Records only the first half of a rotation of `tokenId`, as a process killed in between would. */
  async function cutRotation(tokenId: string) {
    const store = SqliteEventStore.open(eventsFile());
    const { minted, appended } = await appendRotationCut(store, tokenId);
    await store.close();
    expect(appended.map((e) => e.type)).toEqual(['TokenRotated']);
    return { minted, rotatedId: appended[0].id };
  }

  const authenticates = async (value: string, tokenId: string) =>
    (await call(server, 'GET', `/v1/projects/shop/tokens/${tokenId}`, { token: value })).status === 200;

  beforeAll(async () => {
    server = await startLedgerServer();
    rootToken = server.rootToken;
    dataDir = server.dataDir;
  });
  afterAll(() => server.close());

  it('is completed on the next start: the new token exists, authenticates, and was written once', async () => {
    const created = await call(server, 'POST', '/v1/projects/shop/tokens', { token: rootToken, body: { name: 'ci', scopes: ['tokens:read'] } });
    const oldId = created.body.token.id as string;
    await server.stop();

    const { minted, rotatedId } = await cutRotation(oldId);
    server = await startLedgerServer({ dataDir });

    expect(await authenticates(minted.value, minted.tokenId)).toBe(true);
    const view = await call(server, 'GET', `/v1/projects/shop/tokens/${minted.tokenId}`, { token: rootToken });
    expect(view.body).toMatchObject({ name: 'ci', scopes: ['tokens:read'], rotatedFrom: oldId, status: 'active', hint: minted.hint });
    const old = await call(server, 'GET', `/v1/projects/shop/tokens/${oldId}`, { token: rootToken });
    expect(old.body.rotatedTo).toBe(minted.tokenId);

    const history = await call(server, 'GET', `/v1/projects/shop/tokens/${minted.tokenId}/events`, { token: rootToken });
    expect(history.body.items).toHaveLength(1);
    expect(history.body.items[0]).toMatchObject({ type: 'TokenCreated', id: completionEventId(rotatedId) });

    // Looking again (or another replica looking) changes nothing.
    await server.app.get(RotationRecovery).recoverAll();
    expect((await call(server, 'GET', `/v1/projects/shop/tokens/${minted.tokenId}/events`, { token: rootToken })).body.items).toHaveLength(1);
  });

  it('is completed while running when another process cut it', async () => {
    const created = await call(server, 'POST', '/v1/projects/shop/tokens', { token: rootToken, body: { name: 'live', scopes: ['tokens:read'] } });
    const { minted } = await cutRotation(created.body.token.id);

    const deadline = Date.now() + 10_000;
    while (!(await authenticates(minted.value, minted.tokenId)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await authenticates(minted.value, minted.tokenId)).toBe(true);
  });

  it('writes the same reproducible TokenCreated on the ordinary path, with the caller as actor', async () => {
    const created = await call(server, 'POST', '/v1/projects/shop/tokens', { token: rootToken, body: { name: 'plain', scopes: [] } });
    const rotated = await call(server, 'POST', `/v1/projects/shop/tokens/${created.body.token.id}/rotate`, { token: rootToken, body: {} });
    expect(rotated.status).toBe(201);

    const oldHistory = await call(server, 'GET', `/v1/projects/shop/tokens/${created.body.token.id}/events`, { token: rootToken });
    const rotatedEvent = oldHistory.body.items.find((e: { type: string }) => e.type === 'TokenRotated');
    const newHistory = await call(server, 'GET', `/v1/projects/shop/tokens/${rotated.body.token.id}/events`, { token: rootToken });
    expect(newHistory.body.items).toHaveLength(1);
    expect(newHistory.body.items[0].id).toBe(completionEventId(rotatedEvent.id));
    expect(newHistory.body.items[0].metadata).toMatchObject({ actor: rotatedEvent.metadata.actor, causationId: rotatedEvent.id });
  });
});
