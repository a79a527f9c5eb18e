import { systemContext } from './event-metadata';
import type { EventStore } from './event-store.port';
import { ConcurrencyConflictError, handleCommand, type Decider } from './handle-command';
import { canonicalJson, eventHash, GENESIS_HASH } from './hash-chain';
import { MemoryEventStore } from './memory-event-store';

type CounterEvent = { type: 'Incremented'; data: { by: number } };
type Increment = { by: number; max: number };

/** A tiny decider: increments a counter up to a maximum. */
const counter: Decider<Increment, CounterEvent, number> = {
  initialState: () => 0,
  evolve: (state, event) => state + event.data.by,
  decide: (command, state) => (state + command.by > command.max ? [] : [{ type: 'Incremented', data: { by: command.by } }]),
  isEvent: <E extends { type: string }>(event: E): event is E & CounterEvent => event.type === 'Incremented',
};

const ctx = systemContext('test');

describe('handleCommand', () => {
  it('folds only the events its decider recognises', async () => {
    const store = new MemoryEventStore();
    await store.appendToStream('counter-x', [{ id: 'a', type: 'Noted', data: { by: 100 }, metadata: {} }], 'no_stream');
    const result = await handleCommand(store, 'counter-x', counter, { by: 1, max: 5 }, ctx);
    expect(result.state).toBe(1);
  });

  let store: MemoryEventStore;
  beforeEach(() => {
    store = new MemoryEventStore();
  });
  afterEach(() => store.close());

  it('appends the decided events with metadata and a hash chain', async () => {
    await handleCommand(store, 'c-1', counter, { by: 1, max: 10 }, ctx);
    const result = await handleCommand(store, 'c-1', counter, { by: 2, max: 10 }, ctx, { occurredAt: new Date('2026-01-01T00:00:00Z') });
    expect(result.state).toBe(3);
    const [first, second] = await store.readStream('c-1');
    expect(result.position).toBe(second.position);
    expect(first.metadata).toMatchObject({ actor: { type: 'system', id: 'test' }, schemaVersion: 1, prevHash: GENESIS_HASH });
    expect(second.metadata).toMatchObject({ prevHash: eventHash(first), occurredAt: '2026-01-01T00:00:00.000Z' });
  });

  it('appends nothing when the decision is empty, answering the position it was based on', async () => {
    const first = await handleCommand(store, 'c-2', counter, { by: 5, max: 5 }, ctx);
    const none = await handleCommand(store, 'c-2', counter, { by: 1, max: 5 }, ctx);
    expect(none.appended).toEqual([]);
    expect(none.position).toBe(first.position);
    expect(await store.readStream('c-2')).toHaveLength(1);
  });

  it('gives events ids that sort by the time they were decided (UUIDv7)', async () => {
    const first = await handleCommand(store, 'c-5', counter, { by: 1, max: 10 }, ctx);
    await new Promise((resolve) => setTimeout(resolve, 2));
    const second = await handleCommand(store, 'c-6', counter, { by: 1, max: 10 }, ctx);
    const [a, b] = [first.appended[0].id, second.appended[0].id];
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a < b).toBe(true);
  });

  it('decides again on fresh state after a conflict', async () => {
    // Another writer slips an event in between this command's read and its append, once.
    const racing = raceOnce(store, async () => {
      await handleCommand(store, 'c-3', counter, { by: 4, max: 5 }, ctx);
    });
    const result = await handleCommand(racing, 'c-3', counter, { by: 2, max: 5 }, ctx);
    // Re-decided on state 4: 4 + 2 > 5, so nothing is appended rather than a stale +2.
    expect(result.appended).toEqual([]);
    expect((await store.readStream('c-3')).map((e) => e.data.by)).toEqual([4]);
  });

  it('gives up with ConcurrencyConflictError when every retry conflicts', async () => {
    const alwaysRacing: EventStore = Object.create(store);
    alwaysRacing.readStream = async (id) => {
      const events = await store.readStream(id);
      await handleCommand(store, id, counter, { by: 1, max: 1000 }, ctx);
      return events;
    };
    await expect(handleCommand(alwaysRacing, 'c-4', counter, { by: 1, max: 1000 }, ctx, { retries: 2 })).rejects.toBeInstanceOf(ConcurrencyConflictError);
  });
});

describe('handleCommand on a stream taken to be new', () => {
  let store: MemoryEventStore;
  let reads: number;
  let counting: EventStore;
  beforeEach(() => {
    store = new MemoryEventStore();
    reads = 0;
    counting = Object.create(store);
    counting.readStream = (id) => {
      reads++;
      return store.readStream(id);
    };
  });
  afterEach(() => store.close());

  it('appends without reading the stream first', async () => {
    const result = await handleCommand(counting, 'n-1', counter, { by: 1, max: 5 }, ctx, { newStream: true });
    expect(reads).toBe(0);
    expect(result.state).toBe(1);
    const [event] = await store.readStream('n-1');
    expect(event.metadata).toMatchObject({ prevHash: GENESIS_HASH });
  });

  it('reads and decides again when the stream exists after all, without counting it as a conflict', async () => {
    await handleCommand(store, 'n-2', counter, { by: 4, max: 5 }, ctx);
    // retries 0: a real conflict would end it, the assumption that the stream was new does not.
    const result = await handleCommand(counting, 'n-2', counter, { by: 2, max: 5 }, ctx, { newStream: true, retries: 0 });
    expect(reads).toBe(1);
    expect(result.appended).toEqual([]);
    expect(result.state).toBe(4);
    const more = await handleCommand(counting, 'n-2', counter, { by: 1, max: 5 }, ctx, { newStream: true, retries: 0 });
    expect(more.state).toBe(5);
    const events = await store.readStream('n-2');
    expect(events.map((e) => e.data.by)).toEqual([4, 1]);
    expect(events[1].metadata.prevHash).toBe(eventHash(events[0]));
  });

  it('answers a repeated command with the same event ids with what was recorded', async () => {
    const first = await handleCommand(counting, 'n-3', counter, { by: 1, max: 5 }, ctx, { newStream: true, eventIds: ['e-1'] });
    const again = await handleCommand(counting, 'n-3', counter, { by: 1, max: 5 }, ctx, { newStream: true, eventIds: ['e-1'] });
    expect(again.position).toBe(first.position);
    expect(await store.readStream('n-3')).toHaveLength(1);
  });
});

describe('hash chain', () => {
  it('is canonical: key order and undefined fields do not change it', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: null, e: 'x' }], c: undefined } })).toBe('{"a":{"d":[1,{"e":"x","f":null}]},"b":1}');
  });

  it('changes with any field of the event', () => {
    const event = { id: 'e1', streamId: 's', revision: 0, type: 'T', data: { a: 1 }, metadata: { prevHash: GENESIS_HASH } };
    const hash = eventHash(event);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(eventHash({ ...event, data: { a: 2 } })).not.toBe(hash);
    expect(eventHash({ ...event, revision: 1 })).not.toBe(hash);
    expect(eventHash({ ...event, metadata: { prevHash: '1'.repeat(64) } })).not.toBe(hash);
    expect(eventHash({ ...event, data: { a: 1 } })).toBe(hash);
  });
});

/** A store whose first readStream lets `interfere` write to the real store right after reading. */
function raceOnce(store: EventStore, interfere: () => Promise<void>): EventStore {
  let raced = false;
  const racing: EventStore = Object.create(store);
  racing.readStream = async (id) => {
    const events = await store.readStream(id);
    if (!raced) {
      raced = true;
      await interfere();
    }
    return events;
  };
  return racing;
}
