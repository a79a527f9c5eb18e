import { mkdtempSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';
import { A, appendTimeline, B, C, justBefore, T } from './support/timeline';
const { formatRootToken } = require('../scripts/root-token.js') as { formatRootToken(bytes: Buffer): string };

type View = { id: string; status: string; rotatedFrom: string | null; rotatedTo: string | null; expiresAt: string | null; revokedAt: string | null };

/** `asOf` on list and get, against a hand-built timeline, at every boundary (and a millisecond before). */
describe('asOf: the token list replayed to an instant', () => {
  let server: LedgerServer;
  const root = formatRootToken(randomBytes(32));

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-asof-'));
    const store = SqliteEventStore.open(join(dataDir, 'events.sqlite'));
    await appendTimeline(store);
    await store.close();
    server = await startLedgerServer({ dataDir, env: { LEDGER_BOOTSTRAP_TOKEN: root } });
  });
  afterAll(() => server.close());

  const list = async (asOf: string, extra = '') => {
    const res = await call(server, 'GET', `/v1/projects/acme/tokens?asOf=${asOf}${extra}`, { token: root });
    expect(res.status).toBe(200);
    return Object.fromEntries((res.body.items as View[]).map((t) => [t.id, t]));
  };
  const get = (id: string, asOf: string) => call(server, 'GET', `/v1/projects/acme/tokens/${id}?asOf=${asOf}`, { token: root });
  const statuses = async (asOf: string) => Object.fromEntries(Object.entries(await list(asOf)).map(([id, t]) => [id, t.status]));

  it('knows nothing before the first creation', async () => {
    expect(await list(justBefore(T.created))).toEqual({});
    expect((await get(A, justBefore(T.created))).status).toBe(404);
  });

  it('shows tokens from the instant they were created, in their own project only', async () => {
    expect(await statuses(T.created)).toEqual({ [A]: 'active', [C]: 'active' });
    expect((await get(A, T.created)).body).toMatchObject({ id: A, status: 'active', rotatedTo: null });
    expect((await call(server, 'GET', `/v1/projects/other/tokens/${A}?asOf=${T.created}`, { token: root })).status).toBe(404);
  });

  it('keeps a used token active', async () => {
    expect(await statuses(justBefore(T.used))).toEqual({ [A]: 'active', [C]: 'active' });
    // Before its first use a token shows none; from T.used on, the uses recorded by then.
    expect((await get(A, justBefore(T.used))).body).toMatchObject({ lastUsedAt: null, useCount: 0 });
    expect((await list(justBefore(T.used)))[A]).toMatchObject({ lastUsedAt: null, useCount: 0 });
    expect(await statuses(T.used)).toEqual({ [A]: 'active', [C]: 'active' });
    expect((await get(A, T.used)).body).toMatchObject({ lastUsedAt: T.used, useCount: 3 });
    expect((await list(T.used))[A]).toMatchObject({ lastUsedAt: T.used, useCount: 3 });
    expect((await list(T.used))[C]).toMatchObject({ lastUsedAt: null, useCount: 0 });
  });

  it('rotation: the new token exists from the rotation on; the old one lives until its grace ends', async () => {
    const before = await list(justBefore(T.rotated));
    expect(Object.keys(before).sort()).toEqual([A, C].sort());
    expect(before[A]).toMatchObject({ rotatedTo: null, expiresAt: '2026-12-31T00:00:00.000Z' });

    const at = await list(T.rotated);
    expect(at[A]).toMatchObject({ status: 'active', rotatedTo: B, expiresAt: T.graceEnds });
    expect(at[B]).toMatchObject({ status: 'active', rotatedFrom: A });

    expect((await get(A, justBefore(T.graceEnds))).body.status).toBe('active');
    expect((await get(A, T.graceEnds)).body.status).toBe('expired');
    expect(await statuses(T.graceEnds)).toEqual({ [A]: 'expired', [B]: 'active', [C]: 'active' });
  });

  it('revocation takes effect at its instant', async () => {
    expect((await get(B, justBefore(T.revoked))).body).toMatchObject({ status: 'active', revokedAt: null });
    expect((await get(B, T.revoked)).body).toMatchObject({ status: 'revoked', revokedAt: T.revoked });
    expect(await statuses(T.revoked)).toEqual({ [A]: 'expired', [B]: 'revoked', [C]: 'active' });
  });

  it('expiry takes effect at expiresAt, before TokenExpired is recorded', async () => {
    expect((await get(C, justBefore(T.expires))).body.status).toBe('active');
    expect((await get(C, T.expires)).body.status).toBe('expired');
    expect((await get(C, T.expiryRecorded)).body.status).toBe('expired');
  });

  it('filters by status and pages with a cursor like the live list', async () => {
    expect(Object.keys(await list(T.rotated, '&status=active')).sort()).toEqual([A, B, C].sort());
    expect(Object.keys(await list(T.revoked, '&status=active'))).toEqual([C]);
    const first = await call(server, 'GET', `/v1/projects/acme/tokens?asOf=${T.rotated}&limit=2&order=name`, { token: root });
    expect(first.body.items).toHaveLength(2);
    const second = await call(server, 'GET', `/v1/projects/acme/tokens?asOf=${T.rotated}&limit=2&order=name&cursor=${first.body.nextCursor}`, { token: root });
    expect(second.body.nextCursor).toBeNull();
    const ids = [...first.body.items, ...second.body.items].map((t: View) => t.id);
    expect(ids.sort()).toEqual([A, B, C].sort());
  });

  it('without asOf answers the present from the read model, which the replay of now matches', async () => {
    const now = new Date().toISOString();
    const live = await call(server, 'GET', '/v1/projects/acme/tokens', { token: root });
    const replayed = await call(server, 'GET', `/v1/projects/acme/tokens?asOf=${now}`, { token: root });
    expect(replayed.body).toEqual(live.body);
  });

  it('refuses an asOf that is malformed or in the future', async () => {
    const bad = await call(server, 'GET', '/v1/projects/acme/tokens?asOf=last-tuesday', { token: root });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    const future = await get(A, new Date(Date.now() + 3_600_000).toISOString());
    expect(future.status).toBe(400);
    expect(future.body.error.code).toBe('as_of_in_future');
  });
});
