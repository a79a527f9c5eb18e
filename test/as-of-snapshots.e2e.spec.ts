import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAllPages, SqliteEventStore } from '@ledger/event-store';
import { pageTokenRows, replayTokens, tokenStatus } from '@ledger/projections';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';
import { appendAt } from './support/timeline';
const { formatRootToken } = require('../scripts/root-token.js') as { formatRootToken(bytes: Buffer): string };

const START = Date.parse('2026-02-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Appends `count` events to projects acme and other from event number `from` on, one a minute;
 * every seventh is back-dated three hours (another replica's clock) and expiries are recorded
 * an hour late, so times are not in position order. Returns the times written.
 */
async function appendHistory(store: SqliteEventStore, from: number, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = from; i < from + count; i++) {
    const at = START + i * 60_000 - (i % 7 === 0 ? 3 * 3_600_000 : 0);
    const projectId = i % 3 === 0 ? 'other' : 'acme';
    const id = `tok_Snap${String(i).padStart(20, '0')}`;
    const older = `tok_Snap${String(i - 5).padStart(20, '0')}`;
    const kind = i < 10 ? 0 : i % 5;
    if (kind === 0 || kind === 1) {
      await appendAt(
        store,
        id,
        'TokenCreated',
        {
          projectId,
          name: `t${i}`,
          type: 'project',
          ownerId: null,
          scopes: ['orders:read'],
          expiresAt: iso(at + 30 * 60_000),
          secretHash: 'a'.repeat(64),
          hint: 'tlp_…0000',
          createdAt: iso(at),
          rotatedFrom: null,
          metadata: {},
        },
        iso(at),
      );
    } else if (kind === 2) {
      await appendAt(store, older, 'TokenUsed', { projectId: (i - 5) % 3 === 0 ? 'other' : 'acme', count: 2, lastUsedAt: iso(at) }, iso(at));
    } else if (kind === 3) {
      await appendAt(store, older, 'TokenRevoked', { projectId: (i - 5) % 3 === 0 ? 'other' : 'acme', reason: null, revokedAt: iso(at) }, iso(at));
    } else {
      await appendAt(store, older, 'TokenExpired', { projectId: (i - 5) % 3 === 0 ? 'other' : 'acme', expiredAt: iso(at) }, iso(at + 3_600_000));
    }
    times.push(at);
  }
  return times;
}

/** The API answers an `asOf` list from its snapshots exactly as a replay of the whole log does. */
describe('asOf lists from snapshots (ASOF_SNAPSHOT_EVERY=100)', () => {
  let server: LedgerServer;
  let store: SqliteEventStore;
  const root = formatRootToken(randomBytes(32));
  let times: number[];
  let taken = 0;

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-asof-snapshots-'));
    store = SqliteEventStore.open(join(dataDir, 'events.sqlite'));
    times = await appendHistory(store, 0, 420);
    server = await startLedgerServer({ dataDir, env: { LEDGER_BOOTSTRAP_TOKEN: root, ASOF_SNAPSHOT_EVERY: '100' } });
  }, 60_000);
  afterAll(async () => {
    await store.close();
    await server.close();
  });

  const snapshotCount = () => {
    const db = new Database(join(server.dataDir, 'token-snapshots.v1.sqlite'), { readonly: true });
    try {
      return db.prepare('SELECT count(*) FROM snapshots').pluck().get();
    } finally {
      db.close();
    }
  };

  const expectSameAsFullReplay = async (instants: number[]) => {
    for (const ms of instants) {
      const asOf = new Date(ms);
      const res = await call(server, 'GET', `/v1/projects/acme/tokens?asOf=${asOf.toISOString()}&status=all&limit=200`, { token: root });
      expect(res.status).toBe(200);
      const rows = await replayTokens(readAllPages(store), asOf, 'acme');
      const page = pageTokenRows(rows, { projectId: 'acme', status: 'all', order: 'createdAt', direction: 'ASC', limit: 200, now: asOf });
      const seen = (res.body.items as Record<string, unknown>[]).map(({ id, status, useCount, lastUsedAt, revokedAt, expiresAt }) => ({
        id,
        status,
        useCount,
        lastUsedAt,
        revokedAt,
        expiresAt,
      }));
      const expected = page.items.map((r) => ({
        id: r.id,
        status: tokenStatus(r, asOf),
        useCount: r.useCount,
        lastUsedAt: r.lastUsedAt,
        revokedAt: r.revokedAt,
        expiresAt: r.expiresAt,
      }));
      expect({ asOf: asOf.toISOString(), items: seen }).toEqual({ asOf: asOf.toISOString(), items: expected });
    }
  };

  const around = (picked: number[]) => picked.flatMap((t) => [t - 1, t, t + 1]);

  it('at event times, a millisecond before and after, from the snapshots it takes', async () => {
    await expectSameAsFullReplay(around([times[0], times[99], times[100], times[105], times[250], times[301], times[399], times[419]]));
    // The server records events of its own too (expiries its scheduler finds overdue).
    expect(snapshotCount()).toBeGreaterThanOrEqual(4);
    taken = snapshotCount() as number;
  });

  it('as the log grows while the server runs', async () => {
    times.push(...(await appendHistory(store, 420, 130)));
    await expectSameAsFullReplay(around([times[100], times[430], times[497], times[500], times[549]]));
    expect(snapshotCount()).toBeGreaterThan(taken);
  });
});
