import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HealthIndicatorService } from '@nestjs/terminus';
import { SqliteEventStore, type EventStore, type RecordedEvent, type SubscriptionRetry } from '@ledger/event-store';
import { Projector } from '@ledger/projections';
import { LedgerHealth, MAX_INDEX_LAG_MS } from './ledger.health';

/** Positions far apart, as EventStoreDB's byte offsets are: only their order means anything. */
const SPREAD = 700;
function sparsePositions(store: EventStore): EventStore {
  const out = (e: RecordedEvent) => ({ ...e, position: e.position * SPREAD });
  return {
    appendToStream: async (...args) => {
      const result = await store.appendToStream(...args);
      return { ...result, position: result.position * SPREAD };
    },
    readStream: async (id) => (await store.readStream(id)).map(out),
    readAll: async (o = {}) => (await store.readAll({ ...o, after: o.after === undefined ? undefined : o.after / SPREAD })).map(out),
    headPosition: async () => (await store.headPosition()) * SPREAD,
    subscribeToAll: (o, handler, onError) =>
      store.subscribeToAll({ ...o, after: o.after === undefined ? undefined : o.after / SPREAD }, (batch) => handler(batch.map(out)), onError),
    close: () => store.close(),
  };
}

describe('readiness of the projection', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-health-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts the lag in events, so a few events behind on EventStoreDB-like positions is still ready', async () => {
    const file = join(dir, 'events.sqlite');
    // The reader does not poll during the test: what another writer appends stays unseen.
    const reader = SqliteEventStore.open(file, { pollIntervalMs: 60_000 });
    const writer = SqliteEventStore.open(file);
    const store = sparsePositions(reader);
    let checkpoint = 0;
    const projector = new Projector(store, { checkpoint: () => checkpoint, apply: (events) => void (checkpoint = events.at(-1)!.position) });
    await projector.start();
    const health = new LedgerHealth(store, projector, new HealthIndicatorService());
    const event = () => ({ id: randomUUID(), type: 'T', data: {}, metadata: {} });

    await writer.appendToStream('token-a', [event(), event(), event()], 'no_stream');
    expect(await health.projection()).toEqual({ projection: { status: 'up', position: 0, head: 3 * SPREAD, lag: 3, indexLagMs: 0 } });

    await writer.appendToStream('token-a', Array.from({ length: 1000 }, event), 2);
    expect(await health.projection()).toMatchObject({ projection: { status: 'down', lag: 1001, message: 'projection is behind' } });

    await projector.stop();
    await Promise.all([reader.close(), writer.close()]);
  });

  it('is down while the store’s subscription is retrying, and up again once it is back', async () => {
    const store = SqliteEventStore.open(join(dir, 'events.sqlite'));
    let retry: SubscriptionRetry | null = null;
    const retrying: EventStore = Object.assign(Object.create(store) as EventStore, { subscriptionRetry: () => retry });
    let checkpoint = 0;
    const projector = new Projector(retrying, { checkpoint: () => checkpoint, apply: (events) => void (checkpoint = events.at(-1)!.position) });
    await projector.start();
    const health = new LedgerHealth(retrying, projector, new HealthIndicatorService());
    expect(await health.projection()).toMatchObject({ projection: { status: 'up' } });

    retry = { since: '2026-03-01T12:00:00.000Z', attempts: 3, reason: '14 UNAVAILABLE: No connection established' };
    expect(await health.projection()).toEqual({
      projection: { status: 'down', position: 0, head: 0, lag: 0, indexLagMs: 0, message: 'subscription to the event store is retrying', ...retry },
    });
    retry = null;
    expect(await health.projection()).toMatchObject({ projection: { status: 'up' } });

    await projector.stop();
    await store.close();
  });

  it('is down once the verification index has stayed behind the store for more than the bound, even one event behind', async () => {
    let head = 10;
    const store = {
      headPosition: async () => head,
      readAll: async ({ after = 0 }: { after?: number }) => Array.from({ length: Math.max(0, head - after) }),
    } as unknown as EventStore;
    const projector = { position: 10, followersPosition: 10, running: true, error: null, stoppedForGood: false } as unknown as Projector;
    const moveTo = (p: number) => Object.assign(projector, { position: p, followersPosition: p });
    const health = new LedgerHealth(store, projector, new HealthIndicatorService());
    let now = Date.parse('2026-03-01T12:00:00Z');
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      expect(await health.projection()).toMatchObject({ projection: { status: 'up', indexLagMs: 0 } });

      head = 11; // a revoke recorded, and this replica's index does not move
      expect(await health.projection()).toMatchObject({ projection: { status: 'up', lag: 1, indexLagMs: 0 } });
      now += MAX_INDEX_LAG_MS;
      expect(await health.projection()).toMatchObject({ projection: { status: 'up', indexLagMs: MAX_INDEX_LAG_MS } });
      now += 1;
      expect(await health.projection()).toEqual({
        projection: {
          status: 'down',
          position: 10,
          head: 11,
          lag: 1,
          indexLagMs: MAX_INDEX_LAG_MS + 1,
          message: 'verification index is behind the store (revokes not yet enforced)',
        },
      });

      // Caught up: ready again at once.
      moveTo(11);
      expect(await health.projection()).toMatchObject({ projection: { status: 'up', indexLagMs: 0 } });

      // Always a little behind under steady writes, but past each head it was seen behind: ready.
      for (let i = 0; i < 5; i++) {
        head += 3;
        expect(await health.projection()).toMatchObject({ projection: { status: 'up' } });
        now += MAX_INDEX_LAG_MS - 1;
        moveTo(head - 1);
      }
      expect(await health.projection()).toMatchObject({ projection: { status: 'up' } });
    } finally {
      clock.mockRestore();
    }
  });
});
