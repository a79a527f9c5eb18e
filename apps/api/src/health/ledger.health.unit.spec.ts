import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HealthIndicatorService } from '@nestjs/terminus';
import { SqliteEventStore, type EventStore, type RecordedEvent, type SubscriptionRetry } from '@ledger/event-store';
import { Projector } from '@ledger/projections';
import { LedgerHealth } from './ledger.health';

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
    expect(await health.projection()).toEqual({ projection: { status: 'up', position: 0, head: 3 * SPREAD, lag: 3 } });

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
      projection: { status: 'down', position: 0, head: 0, lag: 0, message: 'subscription to the event store is retrying', ...retry },
    });
    retry = null;
    expect(await health.projection()).toMatchObject({ projection: { status: 'up' } });

    await projector.stop();
    await store.close();
  });
});
