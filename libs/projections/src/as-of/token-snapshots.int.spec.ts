import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryEventStore, readAllPages, type EventStore } from '@ledger/event-store';
import type { TokenRow } from '../token-list.projection';
import { replayTokens } from './token-replay';
import { TokenSnapshots } from './token-snapshots';

/** Deterministic choices, so a failure replays the same way. */
function seeded(seed: number): () => number {
  return () => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return seed / 2 ** 32;
  };
}

const PROJECTS = ['shop', 'billing', 'ci'];

/**
 * Appends `count` events shaped like the token list's, with times that are not monotonic in
 * position: a fifth back-dated by up to two hours (another replica's clock, a TokenExpired
 * recorded late), some without occurredAt (recordedAt counts), some unparseable, and events the
 * list ignores. Returns every occurredAt it wrote, in ms.
 */
async function appendWorkload(store: EventStore, count: number, random: () => number, clock: { ms: number }): Promise<number[]> {
  const tokens: { id: string; projectId: string }[] = [];
  const times: number[] = [];
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  let n = 0;
  const append = async (tokenId: string, type: string, data: Record<string, unknown>) => {
    clock.ms += Math.floor(random() * 60_000);
    const roll = random();
    const ms = roll < 0.2 ? clock.ms - Math.floor(random() * 7_200_000) : clock.ms;
    const metadata: Record<string, unknown> = {};
    if (roll >= 0.97) metadata.occurredAt = 'not a time';
    else if (roll < 0.94) metadata.occurredAt = new Date(ms).toISOString();
    if (typeof metadata.occurredAt === 'string' && roll < 0.94) times.push(ms);
    await store.appendToStream(`token-${tokenId}`, [{ id: `e${clock.ms}-${n++}`, type, data: { tokenId, ...data }, metadata }], 'any');
  };
  const create = async (projectId: string, rotatedFrom?: string) => {
    const id = `tok_${clock.ms.toString(36)}_${n}`;
    tokens.push({ id, projectId });
    const createdAt = new Date(clock.ms).toISOString();
    await append(id, 'TokenCreated', {
      projectId,
      name: pick(['ci deploy', 'scraper', 'sync']),
      type: 'project',
      scopes: ['read'],
      hint: 'abcd',
      secretHash: `h${n}`,
      createdAt,
      expiresAt: random() < 0.5 ? new Date(clock.ms + 3_600_000).toISOString() : null,
      rotatedFrom,
    });
    return id;
  };
  for (let i = 0; i < count; i++) {
    const roll = random();
    const token = tokens.length > 0 ? pick(tokens) : null;
    const at = new Date(clock.ms).toISOString();
    if (!token || roll < 0.35) await create(pick(PROJECTS));
    else if (roll < 0.6) await append(token.id, 'TokenUsed', { projectId: token.projectId, count: 1 + Math.floor(random() * 5), lastUsedAt: at });
    else if (roll < 0.7) await append(token.id, 'TokenRevoked', { projectId: token.projectId, reason: 'test', revokedAt: at });
    else if (roll < 0.78) {
      const newTokenId = await create(token.projectId, token.id);
      await append(token.id, 'TokenRotated', { projectId: token.projectId, newTokenId, graceUntil: at });
    } else if (roll < 0.86) await append(token.id, 'TokenExpired', { projectId: token.projectId, expiredAt: at });
    else if (roll < 0.93) await append(token.id, 'ReminderSent', { projectId: token.projectId });
    else await store.appendToStream('audit-notes', [{ id: `n${n++}`, type: 'NoteAdded', data: {}, metadata: { occurredAt: at } }], 'any');
  }
  return times;
}

const byId = (rows: TokenRow[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));

/** Instants around the events' own times (exactly at, 1 ms before and after) and some others. */
function instants(times: number[], random: () => number, count: number): number[] {
  const sorted = [...times].sort((a, b) => a - b);
  const chosen = [sorted[0] - 1, sorted[0], sorted.at(-1)!, sorted.at(-1)! + 1];
  while (chosen.length < count) {
    const t = sorted[Math.floor(random() * sorted.length)];
    chosen.push(t, t - 1, t + 1 + Math.floor(random() * 100_000));
  }
  return chosen;
}

async function expectSameAsFullReplay(snapshots: TokenSnapshots, store: EventStore, at: number[], random: () => number): Promise<void> {
  for (const ms of at) {
    const asOf = new Date(ms);
    const projectId = random() < 0.5 ? pick(random) : undefined;
    const expected = byId(await replayTokens(readAllPages(store), asOf, projectId));
    const actual = byId(await snapshots.replay(asOf, projectId));
    if (actual.length !== expected.length || JSON.stringify(actual) !== JSON.stringify(expected)) {
      expect({ asOf: asOf.toISOString(), projectId, rows: actual }).toEqual({ asOf: asOf.toISOString(), projectId, rows: expected });
    }
  }
}
const pick = (random: () => number) => PROJECTS[Math.floor(random() * PROJECTS.length)];

describe('TokenSnapshots', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-snapshots-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('answers exactly as a full replay, at event times, 1 ms before and after, as the log grows and after a reopen', async () => {
    const random = seeded(7);
    const clock = { ms: Date.parse('2026-01-01T00:00:00.000Z') };
    const store = new MemoryEventStore();
    const file = join(dir, 'token-snapshots.v1.sqlite');
    const times = await appendWorkload(store, 1200, random, clock);
    const snapshots = TokenSnapshots.open(file, store, { every: 37, pageSize: 16 });
    await expectSameAsFullReplay(snapshots, store, instants(times, random, 150), random);
    expect(snapshots.positions.length).toBe(Math.floor((await store.headPosition()) / 37));

    times.push(...(await appendWorkload(store, 500, random, clock)));
    await expectSameAsFullReplay(snapshots, store, instants(times, random, 150), random);
    expect(snapshots.positions.length).toBe(Math.floor((await store.headPosition()) / 37));
    await snapshots.close();

    // A new process finds them in the file and starts from them (no rebuild from 0).
    const reopened = TokenSnapshots.open(file, store, { every: 37, pageSize: 16 });
    expect(await reopened.check()).toBe(false);
    expect(reopened.positions.length).toBe(Math.floor((await store.headPosition()) / 37));
    await expectSameAsFullReplay(reopened, store, instants(times, random, 60), random);
    await reopened.close();
  });

  it('answers exactly when every time is far out of order (the snapshots are then of little use)', async () => {
    const random = seeded(99);
    const store = new MemoryEventStore();
    const times: number[] = [];
    for (let round = 0; round < 6; round++) {
      // Each round starts earlier than the last: later positions, earlier times.
      times.push(...(await appendWorkload(store, 100, random, { ms: Date.parse('2026-06-01T00:00:00.000Z') - round * 86_400_000 })));
    }
    const snapshots = TokenSnapshots.open(join(dir, 's.sqlite'), store, { every: 25, pageSize: 10 });
    await expectSameAsFullReplay(snapshots, store, instants(times, random, 120), random);
    await snapshots.close();
  });

  it('fails a list while the store does not answer, and answers once it does again', async () => {
    const store = new MemoryEventStore();
    const times = await appendWorkload(store, 200, seeded(3), { ms: Date.parse('2026-01-01T00:00:00.000Z') });
    let down = true;
    const flaky = Object.assign(Object.create(store) as EventStore, {
      headPosition: () => (down ? Promise.reject(new Error('store down')) : store.headPosition()),
    });
    const snapshots = TokenSnapshots.open(join(dir, 's.sqlite'), flaky, { every: 40 });
    await expect(snapshots.replay(new Date(times[150]))).rejects.toThrow('store down');
    down = false;
    await expectSameAsFullReplay(snapshots, store, [times[150], times[150] - 1], seeded(4));
    expect(snapshots.positions).toHaveLength(5);
    await snapshots.close();
  });

  it('drops its snapshots when the store is not the one they were taken from', async () => {
    const file = join(dir, 'token-snapshots.v1.sqlite');
    const first = new MemoryEventStore();
    await appendWorkload(first, 300, seeded(1), { ms: Date.parse('2026-01-01T00:00:00.000Z') });
    const snapshots = TokenSnapshots.open(file, first, { every: 50 });
    await snapshots.extend();
    expect(snapshots.positions.length).toBeGreaterThan(3);
    await snapshots.close();

    // A shorter store (an older backup) and a longer one that is not the same.
    for (const length of [120, 400]) {
      const other = new MemoryEventStore();
      const random = seeded(length);
      const times = await appendWorkload(other, length, random, { ms: Date.parse('2026-02-01T00:00:00.000Z') });
      const reopened = TokenSnapshots.open(file, other, { every: 50 });
      expect(await reopened.check()).toBe(true);
      await expectSameAsFullReplay(reopened, other, instants(times, random, 30), random);
      await reopened.close();
    }
  });
});
