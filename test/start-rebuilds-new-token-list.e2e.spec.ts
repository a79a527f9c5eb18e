import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeSqliteFile, SqliteEventStore } from '@ledger/event-store';
import { tokenStreamId } from '@ledger/token-domain';
import { EVENTS_FILE, READ_MODEL_FILE } from '../apps/api/src/store/ledger-store.module';
import { tokenCreated } from '../libs/token-domain/src/testing/token-fixtures';
import { spawnServer, waitUntilReady, type ChildServer } from './support/child-server';

const ROOT_LINE = /^Root token \(shown once\): (tlr_[0-9A-Za-z]{49})$/m;
/** Past the size from which the API rebuilds a new token list (REBUILD_NEW_READ_MODEL_FROM). */
const BULK_TOKENS = 20_000;

async function call(server: ChildServer, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** docs/operations.md, "The data directory": a derived file deleted is rebuilt at the next start. */
describe('a new token list over a big ledger', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-start-rebuild-'));
  let server: ChildServer | undefined;
  afterAll(async () => {
    await server?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is rebuilt on a thread per core at start, before the API reports ready, and answers as before', async () => {
    // What a rebuild interrupted by a crash leaves: the start removes it.
    const unfinished = `${join(dataDir, READ_MODEL_FILE)}.rebuilding`;
    writeFileSync(unfinished, 'half written');
    server = spawnServer({ LEDGER_DATA_DIR: dataDir });
    await waitUntilReady(server);
    expect(existsSync(unfinished)).toBe(false);
    const root = ROOT_LINE.exec(server.stdout())![1];
    const create = async (name: string) =>
      (await call(server!, root, 'POST', '/v1/projects/shop/tokens', { name, type: 'integration', scopes: ['orders:read'] })).body;
    const [kept, revoked] = [await create('kept'), await create('revoked')];
    expect((await call(server, root, 'DELETE', `/v1/projects/shop/tokens/${revoked.token.id}`)).status).toBe(200);
    await server.stop();

    // Tokens recorded by another replica, say: only the ledger knows them.
    const store = SqliteEventStore.open(join(dataDir, EVENTS_FILE));
    for (let first = 0; first < BULK_TOKENS; first += 1000) {
      await Promise.all(
        Array.from({ length: 1000 }, (_, i) => {
          const tokenId = `tok_${randomUUID().replaceAll('-', '')}`;
          const { type, data } = tokenCreated({ tokenId, projectId: 'bulk', name: `bulk ${first + i}` });
          return store.appendToStream(tokenStreamId(tokenId), [{ id: randomUUID(), type, data, metadata: {} }], 'no_stream');
        }),
      );
    }
    await store.close();
    removeSqliteFile(join(dataDir, READ_MODEL_FILE));

    server = spawnServer({ LEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    await waitUntilReady(server, 120_000);
    expect(server.stdout()).toContain('the token list is new and the ledger holds events up to position');
    const threads = Math.min(availableParallelism(), 8);
    const [, events] = new RegExp(`rebuilt the token list from (\\d+) events in [\\d.]+ s on ${threads} threads?`).exec(server.stdout()) ?? [];
    // The bulk, the root token's creation, two creations and a revoke.
    expect(Number(events)).toBeGreaterThanOrEqual(BULK_TOKENS + 4);

    const verify = async (value: string) => (await call(server!, '', 'POST', '/v1/tokens/verify', { token: value })).body;
    expect(await verify(kept.value)).toMatchObject({ valid: true });
    expect(await verify(revoked.value)).toMatchObject({ valid: false });
    const { body: projects } = await call(server, root, 'GET', '/v1/projects');
    expect(projects.items).toEqual(
      expect.arrayContaining([
        { projectId: 'bulk', tokens: { active: BULK_TOKENS, revoked: 0, expired: 0, total: BULK_TOKENS } },
        { projectId: 'shop', tokens: { active: 1, revoked: 1, expired: 0, total: 2 } },
      ]),
    );
  }, 180_000);
});
