import { randomUUID } from 'node:crypto';
import { MemoryEventStore, type RecordedEvent } from '@ledger/event-store';
import { Projector, type ProjectionTarget } from './projector';
import { TokenIndex, UnplacedTokenEventError } from './token-index';
import { TokenListReadModel } from './token-list.read-model';

const sqliteError = (code: string) => Object.assign(new Error(code), { code });
const append = (store: MemoryEventStore, stream: string, n: number) =>
  store.appendToStream(
    stream,
    Array.from({ length: n }, () => ({ id: randomUUID(), type: 'T', data: {}, metadata: {} })),
    'any',
  );

/** A target whose writes fail with `failWith` while it is set. */
function flakyTarget(): ProjectionTarget & { failWith: Error | null; positions: number[] } {
  let checkpoint = 0;
  const target = {
    failWith: null as Error | null,
    positions: [] as number[],
    checkpoint: () => checkpoint,
    apply(events: RecordedEvent[]) {
      if (target.failWith) throw target.failWith;
      target.positions.push(...events.map((e) => e.position));
      checkpoint = events[events.length - 1].position;
    },
  };
  return target;
}

async function until(what: string, probe: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`not reached: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('projector faults', () => {
  let store: MemoryEventStore;
  beforeEach(() => (store = new MemoryEventStore()));
  afterEach(() => store.close());

  it('given a full disk, feeds followers each event once, retries from the checkpoint, and recovers', async () => {
    const target = flakyTarget();
    const followed: number[] = [];
    const retries: number[] = [];
    const projector = new Projector(store, target, {
      followers: [{ apply: (events) => followed.push(...events.map((e) => e.position)) }],
      onRetry: (_error, delayMs) => retries.push(delayMs),
      onFatal: () => {
        throw new Error('not fatal');
      },
      retryDelayMs: 5,
      maxRetryDelayMs: 20,
    });
    await append(store, 'a', 2);
    await projector.start();
    target.failWith = sqliteError('SQLITE_FULL');
    await append(store, 'a', 1);
    await until('the follower has the event the target could not take', () => followed.length === 3);
    expect(projector.running).toBe(false);
    expect(projector.position).toBe(2);
    expect(projector.followersPosition).toBe(3);
    await append(store, 'a', 1); // reaches the follower on a retry, while the target still fails
    await until('the follower has the next event too', () => followed.length === 4);
    // Under load the follower can take event 4 on the first retry: the backoff is read once three retries happened.
    await until('three retries', () => retries.length >= 3);
    expect(retries.slice(0, 3)).toEqual([5, 10, 20]);
    expect(retries.every((d) => d <= 20)).toBe(true);

    target.failWith = null;
    await until('caught up', () => projector.running && projector.position === 4);
    expect(target.positions).toEqual([1, 2, 3, 4]);
    expect(followed).toEqual([1, 2, 3, 4]); // never twice
    await projector.stop();
  });

  it('given an error a retry cannot mend, stops for good and reports it once', async () => {
    const target = flakyTarget();
    const fatal: unknown[] = [];
    const projector = new Projector(store, target, { onFatal: (e) => fatal.push(e), retryDelayMs: 5 });
    await projector.start();
    target.failWith = sqliteError('SQLITE_CORRUPT');
    await append(store, 'a', 1);
    await until('reported', () => fatal.length === 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(fatal).toHaveLength(1);
    expect(projector.running).toBe(false);
    expect(projector.stoppedForGood).toBe(true);
    await projector.stop();
  });

  it('rejects its start when the catch-up fails, even on a transient error', async () => {
    const target = flakyTarget();
    target.failWith = sqliteError('SQLITE_FULL');
    await append(store, 'a', 1);
    const projector = new Projector(store, target, { onFatal: () => undefined });
    await expect(projector.start()).rejects.toThrow('SQLITE_FULL');
    await projector.stop();
  });

  it('stops for good when the verification index cannot place a revoke of a token created in the store', async () => {
    const readModel = TokenListReadModel.open(':memory:');
    const index = TokenIndex.load(readModel);
    const fatal: unknown[] = [];
    const projector = new Projector(store, readModel, { followers: [index], onFatal: (e) => fatal.push(e), retryDelayMs: 5 });
    await projector.start();
    // A stream whose creation the index never saw (standing in for a lost hash): the revoke is its second event.
    await store.appendToStream('token-tok_lost', [{ id: randomUUID(), type: 'Unknown', data: { tokenId: 'tok_lost' }, metadata: {} }], 'no_stream');
    await store.appendToStream(
      'token-tok_lost',
      [{ id: randomUUID(), type: 'TokenRevoked', data: { tokenId: 'tok_lost', revokedAt: new Date().toISOString(), reason: null }, metadata: {} }],
      0,
    );
    await until('reported', () => fatal.length === 1);
    expect(fatal[0]).toBeInstanceOf(UnplacedTokenEventError);
    expect(projector.stoppedForGood).toBe(true);
    expect(projector.position).toBe(1); // the read model did not move past the revoke either
    await projector.stop();
    readModel.close();
  });
});
