import { randomUUID } from 'node:crypto';
import {
  WrongExpectedRevisionError,
  type EventStore,
  type EventToAppend,
  type GlobalPosition,
  type RecordedEvent,
  type StreamCursor,
  type StreamRangeEvent,
} from './event-store.port';

export interface ContractOptions {
  /** A freshly opened store holds no events (false for a shared EventStoreDB server). */
  startsEmpty?: boolean;
  /** The adapter reads ranges of streams, splitStreams and readStreamRange (stores another thread can open: SQLite, PostgreSQL). */
  streamRanges?: boolean;
  /**
   * For a store whose global stream shows an event only once every transaction begun before it
   * has ended (PostgreSQL: any transaction on the server, another suite's too): resolves once
   * `position` can be read. Each append of the contract then waits for it before resolving, so
   * that what a test reads from the global stream does not depend on what else the server runs.
   */
  settled?: (store: EventStore, position: GlobalPosition) => Promise<void>;
}

/**
 * The behaviour every adapter must have. Written for a shared server too: each test uses its own
 * streams and only looks at its own events in the global stream, and positions are only assumed
 * to increase, never to be consecutive.
 */
export function describeEventStoreContract(
  adapterName: string,
  open: () => Promise<{ store: EventStore; cleanup: () => Promise<void> }>,
  { startsEmpty = true, streamRanges = false, settled }: ContractOptions = {},
): void {
  describe(`event store contract: ${adapterName}`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await open());
      if (settled) store = withSettledAppends(store, settled);
    });
    afterEach(() => cleanup());

    describe('appending and reading a stream', () => {
      it('records a new stream with revisions from 0, in order, with its data', async () => {
        const streamId = newStreamId();
        const events = [event('A', { n: 1 }), event('B', { nested: { list: [1, 'x'] } }), event('C')];
        const result = await store.appendToStream(streamId, events, 'no_stream');

        const recorded = await store.readStream(streamId);
        expect(recorded.map((e) => [e.id, e.streamId, e.revision, e.type, e.data, e.metadata])).toEqual(
          events.map((e, i) => [e.id, streamId, i, e.type, e.data, e.metadata]),
        );
        expectIncreasing(recorded.map((e) => e.position));
        expect(result).toEqual({ nextExpectedRevision: 2, position: recorded[2].position });
        for (const e of recorded) expect(new Date(e.recordedAt).toISOString()).toBe(e.recordedAt);
      });

      it('continues a stream at the expected revision', async () => {
        const streamId = newStreamId();
        const first = await store.appendToStream(streamId, [event(), event()], 'no_stream');
        const next = await store.appendToStream(streamId, [event()], first.nextExpectedRevision);

        expect(next.nextExpectedRevision).toBe(2);
        expect(next.position).toBeGreaterThan(first.position);
        expect((await store.readStream(streamId)).map((e) => e.revision)).toEqual([0, 1, 2]);
      });

      it('reads a stream that does not exist as empty', async () => {
        expect(await store.readStream(newStreamId())).toEqual([]);
      });

      it('appends with "any" whatever the stream revision', async () => {
        const streamId = newStreamId();
        expect((await store.appendToStream(streamId, [event()], 'any')).nextExpectedRevision).toBe(0);
        expect((await store.appendToStream(streamId, [event()], 'any')).nextExpectedRevision).toBe(1);
      });
    });

    describe('optimistic concurrency', () => {
      it('rejects no_stream when the stream exists, with its actual revision', async () => {
        const streamId = newStreamId();
        await store.appendToStream(streamId, [event(), event()], 'no_stream');

        await expectConflict(store.appendToStream(streamId, [event()], 'no_stream'), streamId, 'no_stream', 1);
        expect(await store.readStream(streamId)).toHaveLength(2);
      });

      it('rejects a stale or future numeric revision, with the actual revision', async () => {
        const streamId = newStreamId();
        await store.appendToStream(streamId, [event(), event()], 'no_stream');

        await expectConflict(store.appendToStream(streamId, [event()], 0), streamId, 0, 1);
        await expectConflict(store.appendToStream(streamId, [event()], 5), streamId, 5, 1);
        expect(await store.readStream(streamId)).toHaveLength(2);
      });

      it('rejects a numeric revision on a missing stream with actual -1', async () => {
        const streamId = newStreamId();
        await expectConflict(store.appendToStream(streamId, [event()], 0), streamId, 0, -1);
        expect(await store.readStream(streamId)).toEqual([]);
      });

      it('lets exactly one of many concurrent appends at the same revision win', async () => {
        const streamId = newStreamId();
        await store.appendToStream(streamId, [event()], 'no_stream');
        const attempts = Array.from({ length: 20 }, () => event());

        const outcomes = await Promise.allSettled(attempts.map((e) => store.appendToStream(streamId, [e], 0)));

        const winners = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [attempts[i].id] : []));
        expect(winners).toHaveLength(1);
        for (const o of outcomes) {
          if (o.status === 'rejected') expectConflictError(o.reason, streamId, 0, 1);
        }
        expect((await store.readStream(streamId)).map((e) => e.id).slice(1)).toEqual(winners);
      });

      it('lets exactly one of many concurrent creations of a stream win', async () => {
        const streamId = newStreamId();
        const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => store.appendToStream(streamId, [event()], 'no_stream')));

        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        for (const o of outcomes) {
          if (o.status === 'rejected') expectConflictError(o.reason, streamId, 'no_stream', 0);
        }
        expect(await store.readStream(streamId)).toHaveLength(1);
      });

      it('accepts concurrent appends to different streams at distinct increasing positions', async () => {
        const before = await store.headPosition();
        const streams = Array.from({ length: 20 }, () => ({ streamId: newStreamId(), e: event() }));

        const results = await Promise.all(streams.map((s) => store.appendToStream(s.streamId, [s.e], 'no_stream')));

        expect(results.every((r) => r.nextExpectedRevision === 0)).toBe(true);
        expect(new Set(results.map((r) => r.position)).size).toBe(streams.length);
        const recorded = ours(
          await store.readAll({ after: before }),
          streams.map((s) => s.streamId),
        );
        expectIncreasing(recorded.map((e) => e.position));
        const positionById = new Map(streams.map((s, i) => [s.e.id, results[i].position]));
        expect(recorded.map((e) => positionById.get(e.id))).toEqual(recorded.map((e) => e.position));
      });
    });

    describe('idempotent retries', () => {
      it('answers a repeated append of the same event ids with the original result', async () => {
        const streamId = newStreamId();
        const created = [event(), event()];
        const first = await store.appendToStream(streamId, created, 'no_stream');
        expect(await store.appendToStream(streamId, created, 'no_stream')).toEqual(first);

        const third = event();
        const appended = await store.appendToStream(streamId, [third], 1);
        await store.appendToStream(streamId, [event()], 2);
        expect(await store.appendToStream(streamId, [third], 1)).toEqual(appended);

        expect((await store.readStream(streamId)).map((e) => e.revision)).toEqual([0, 1, 2, 3]);
        await expectConflict(store.appendToStream(streamId, [event()], 1), streamId, 1, 3);
      });

      it('answers a retry racing its original with the same result, recording once', async () => {
        const streamId = newStreamId();
        const events = [event(), event()];
        const [a, b] = await Promise.all([store.appendToStream(streamId, events, 'no_stream'), store.appendToStream(streamId, events, 'no_stream')]);
        expect(b).toEqual(a);
        expect(await store.readStream(streamId)).toHaveLength(2);
      });

      it('does not take ids recorded at another revision for a retry', async () => {
        const streamId = newStreamId();
        const e = event();
        await store.appendToStream(streamId, [event(), e], 'no_stream');
        await expectConflict(store.appendToStream(streamId, [e], 'no_stream'), streamId, 'no_stream', 1);
      });
    });

    describe('the global stream', () => {
      it('pages through all streams in global order with after and maxCount', async () => {
        const before = await store.headPosition();
        const [a, b] = [newStreamId(), newStreamId()];
        const [a0, b0, a1, a2, b1] = [event(), event(), event(), event(), event()];
        await store.appendToStream(a, [a0], 'no_stream');
        await store.appendToStream(b, [b0], 'no_stream');
        await store.appendToStream(a, [a1, a2], 0);
        await store.appendToStream(b, [b1], 0);

        const pages: RecordedEvent[][] = [];
        for (let after = before; ;) {
          const page = await store.readAll({ after, maxCount: 2 });
          if (page.length === 0) break;
          pages.push(page);
          after = page[page.length - 1].position;
        }

        expect(pages.every((page) => page.length <= 2)).toBe(true);
        const all = pages.flat();
        expectIncreasing(all.map((e) => e.position));
        expect(ours(all, [a, b]).map((e) => e.id)).toEqual([a0, b0, a1, a2, b1].map((e) => e.id));
      });

      it('reads everything after a position when maxCount is not given', async () => {
        const streamId = newStreamId();
        const events = [event(), event(), event()];
        const { position } = await store.appendToStream(streamId, events.slice(0, 1), 'no_stream');
        await store.appendToStream(streamId, events.slice(1), 0);

        const after = ours(await store.readAll({ after: position }), [streamId]);
        expect(after.map((e) => e.id)).toEqual(events.slice(1).map((e) => e.id));
      });

      it('reports the position of the last recorded event as the head', async () => {
        const before = await store.headPosition();
        const { position } = await store.appendToStream(newStreamId(), [event()], 'no_stream');
        const head = await store.headPosition();

        expect(position).toBeGreaterThan(before);
        expect(head).toBeGreaterThanOrEqual(position);
        expect(await store.readAll({ after: head })).toEqual([]);
      });

      if (streamRanges) {
        it('splits the streams into ranges that, read in stream order, hold every event up to the head once', async () => {
          const before = await store.headPosition();
          const streamIds = [...'0123456789abcdef'].map((last) => `${newStreamId()}-${last}`);
          for (const round of [0, 1]) for (const streamId of streamIds) await store.appendToStream(streamId, [event()], round === 0 ? 'no_stream' : 0);
          const head = await store.headPosition();
          // Past the head: left out.
          await store.appendToStream(streamIds[0], [event()], 1);

          const ranges = await store.splitStreams!(3, head);
          expect(ranges.length).toBeGreaterThan(1);
          expect(ranges.length).toBeLessThanOrEqual(3);
          expect(ranges[0].from).toBeNull();
          expect(ranges.at(-1)!.to).toBeNull();
          for (let i = 1; i < ranges.length; i++) expect(ranges[i].from).toBe(ranges[i - 1].to);

          const read: StreamRangeEvent[] = [];
          for (const range of ranges) {
            // Pages of 3 cut streams of 2 events in the middle: the cursor goes on inside a stream.
            for (let after: StreamCursor | undefined; ;) {
              const page = await store.readStreamRange!(range, { after, upTo: head, maxCount: 3 });
              if (page.length === 0) break;
              expect(page.length).toBeLessThanOrEqual(3);
              read.push(...page);
              after = { streamId: page[page.length - 1].streamId, revision: page[page.length - 1].revision };
            }
          }
          const mine = ours(read, streamIds);
          // Each stream's events one after the other, in revision order.
          for (const streamId of streamIds) {
            const at = mine.flatMap((e, i) => (e.streamId === streamId ? [i] : []));
            expect(at).toEqual([at[0], at[0] + 1]);
            expect(at.map((i) => mine[i].revision)).toEqual([0, 1]);
          }
          // Every event up to the head once, with only what a fold reads and the revision.
          const whole = ours(await store.readAll({ after: before }), streamIds).filter((e) => e.position <= head);
          expect(whole).toHaveLength(32);
          expect([...mine].sort((a, b) => a.position - b.position)).toEqual(
            whole.map(({ position, streamId, type, data, revision }) => ({ position, streamId, type, data, revision })),
          );
        });

        it('reads a range from its start, and nothing past its end', async () => {
          const base = newStreamId();
          const [a, b, c] = ['a', 'b', 'c'].map((name) => `${base}-${name}`);
          for (const streamId of [c, a, b]) await store.appendToStream(streamId, [event()], 'no_stream');
          const upTo = await store.headPosition();
          const page = await store.readStreamRange!({ from: b, to: c }, { upTo, maxCount: 10 });
          expect(page.map((e) => e.streamId)).toEqual([b]);
          expect(await store.splitStreams!(1, upTo)).toEqual([{ from: null, to: null }]);
        });
      }

      if (startsEmpty) {
        it('is empty when new: head 0, nothing to read', async () => {
          expect(await store.headPosition()).toBe(0);
          expect(await store.readAll()).toEqual([]);
          expect(await store.readAll({ after: 0, maxCount: 10 })).toEqual([]);
        });
      }
    });

    describe('subscribing to all', () => {
      it('catches up, then goes live: every event once, in order, one batch at a time', async () => {
        const before = await store.headPosition();
        const [a, b] = [newStreamId(), newStreamId()];
        const early = [event(), event(), event()];
        await store.appendToStream(a, early.slice(0, 2), 'no_stream');
        await store.appendToStream(b, early.slice(2), 'no_stream');

        const batches: RecordedEvent[][] = [];
        let handling = 0;
        let overlapped = false;
        const subscription = store.subscribeToAll({ after: before, batchSize: 2 }, async (batch) => {
          overlapped ||= handling > 0;
          handling++;
          await sleep(5);
          batches.push(batch);
          handling--;
        });
        const late = [event(), event()];
        await store.appendToStream(a, late.slice(0, 1), 1);
        await store.appendToStream(b, late.slice(1), 0);
        await waitFor(() => ours(batches.flat(), [a, b]).length >= 5);
        await sleep(100);
        await subscription.stop();

        const delivered = batches.flat();
        expect(ours(delivered, [a, b]).map((e) => e.id)).toEqual([...early, ...late].map((e) => e.id));
        expectIncreasing(delivered.map((e) => e.position));
        expect(delivered[0].position).toBeGreaterThan(before);
        expect(batches.every((batch) => batch.length >= 1 && batch.length <= 2)).toBe(true);
        expect(overlapped).toBe(false);
      });

      it('delivers from the start of the store when no position is given', async () => {
        const streamId = newStreamId();
        const e = event();
        await store.appendToStream(streamId, [e], 'no_stream');

        const seen: RecordedEvent[] = [];
        const subscription = store.subscribeToAll({}, (batch) => void seen.push(...batch));
        await waitFor(() => ours(seen, [streamId]).length === 1);
        await subscription.stop();
        expect(ours(seen, [streamId])[0].id).toBe(e.id);
      });

      it('skips the events up to the position it subscribes after', async () => {
        const streamId = newStreamId();
        const events = [event(), event(), event()];
        await store.appendToStream(streamId, events.slice(0, 1), 'no_stream');
        const { position } = await store.appendToStream(streamId, events.slice(1, 2), 0);
        await store.appendToStream(streamId, events.slice(2), 1);

        const seen: RecordedEvent[] = [];
        const subscription = store.subscribeToAll({ after: position }, (batch) => void seen.push(...batch));
        await waitFor(() => ours(seen, [streamId]).length >= 1);
        await sleep(50);
        await subscription.stop();
        expect(seen.every((e) => e.position > position)).toBe(true);
        expect(ours(seen, [streamId]).map((e) => e.id)).toEqual([events[2].id]);
      });

      it('stops delivering once stop() resolves, and waits for the batch in hand', async () => {
        const streamId = newStreamId();
        const before = await store.headPosition();
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const seen: RecordedEvent[] = [];
        const subscription = store.subscribeToAll({ after: before }, async (batch) => {
          seen.push(...batch);
          await gate;
        });
        await store.appendToStream(streamId, [event()], 'no_stream');
        await waitFor(() => seen.length > 0);

        let stopped = false;
        const stopping = subscription.stop().then(() => (stopped = true));
        await sleep(50);
        expect(stopped).toBe(false);
        release();
        await stopping;

        const count = seen.length;
        await store.appendToStream(streamId, [event()], 0);
        await sleep(400);
        expect(seen).toHaveLength(count);
      });

      it('stops and reports the error when the handler throws', async () => {
        const streamId = newStreamId();
        const before = await store.headPosition();
        const failure = new Error('projection failed');
        let calls = 0;
        const errors: unknown[] = [];
        const subscription = store.subscribeToAll(
          { after: before },
          () => {
            calls++;
            throw failure;
          },
          (error) => errors.push(error),
        );
        await store.appendToStream(streamId, [event()], 'no_stream');
        await waitFor(() => errors.length > 0);
        await store.appendToStream(streamId, [event()], 0);
        await sleep(400);
        await subscription.stop();

        expect(errors).toEqual([failure]);
        expect(calls).toBe(1);
      });
    });
  });
}

/**
 * `store`, whose appends resolve once their position can be read from the global stream. Every
 * other method runs on `store` itself: state a method sets on `this` (a lazily opened pool, the
 * migrated schema) must land on the store that cleanup closes, not on a wrapper.
 */
function withSettledAppends(store: EventStore, settled: NonNullable<ContractOptions['settled']>): EventStore {
  const appendToStream: EventStore['appendToStream'] = async (...args) => {
    const result = await store.appendToStream(...args);
    await settled(store, result.position);
    return result;
  };
  return new Proxy(store, {
    get(target, key) {
      if (key === 'appendToStream') return appendToStream;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function newStreamId(): string {
  return `contract-${randomUUID()}`;
}

function event(type = 'ContractTested', data: Record<string, unknown> = {}): EventToAppend {
  return { id: randomUUID(), type, data: { ...data, marker: randomUUID() }, metadata: { actor: 'contract' } };
}

/** Only this test's events: a shared store may hold other streams. */
function ours<E extends Pick<RecordedEvent, 'streamId'>>(events: E[], streamIds: string[]): E[] {
  return events.filter((e) => streamIds.includes(e.streamId));
}

function expectIncreasing(positions: GlobalPosition[]): void {
  positions.slice(1).forEach((position, i) => expect(position).toBeGreaterThan(positions[i]));
}

async function expectConflict(append: Promise<unknown>, streamId: string, expected: WrongExpectedRevisionError['expected'], actual: number): Promise<void> {
  expectConflictError(
    await append.then(
      () => undefined,
      (error: unknown) => error,
    ),
    streamId,
    expected,
    actual,
  );
}

function expectConflictError(error: unknown, streamId: string, expected: WrongExpectedRevisionError['expected'], actual: number): void {
  expect(error).toBeInstanceOf(WrongExpectedRevisionError);
  expect(error).toMatchObject({ streamId, expected, actual });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}
