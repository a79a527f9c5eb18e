import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { AccessDeniedError, START, UnavailableError, type AllStreamResolvedEvent, type EventStoreDBClient, type SubscribeToAllOptions } from './esdb-client';
import type { RecordedEvent } from '../event-store.port';
import { subscribeToLedger } from './esdb-subscription';

/**
 * The subscription's own logic (batches, back-pressure, resubscribing, failing) driven through a
 * stand-in for the client's subscribeToAll: a readable stream of the client's resolved events.
 */
type FakeStream = PassThrough & { unsubscribe(): Promise<void> };

function fakeClient() {
  const subscriptions: Array<{ options: SubscribeToAllOptions; stream: FakeStream }> = [];
  const client = {
    subscribeToAll(options: SubscribeToAllOptions) {
      const stream = new PassThrough({ objectMode: true, highWaterMark: 4 }) as FakeStream;
      stream.unsubscribe = async () => void stream.destroy();
      subscriptions.push({ options, stream });
      return stream;
    },
  } as unknown as EventStoreDBClient;
  return { client, subscriptions, last: () => subscriptions[subscriptions.length - 1].stream };
}

const resolved = (position: number, streamId = 'token-a'): AllStreamResolvedEvent => ({
  event: {
    id: randomUUID(),
    streamId,
    revision: BigInt(position),
    type: 'T',
    isJson: true,
    created: new Date(),
    data: { position },
    metadata: {},
    position: { commit: BigInt(position), prepare: BigInt(position) },
  },
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(condition: () => boolean, ms = 2000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await sleep(2);
  }
}
const options = { prefixes: ['token-'], backoff: { initialMs: 10, maxMs: 10 } };

describe('EventStoreDB catch-up subscription', () => {
  it('subscribes from the checkpoint with the prefix filter and delivers only ledger events, in batches, one at a time', async () => {
    const { client, subscriptions, last } = fakeClient();
    const batches: RecordedEvent[][] = [];
    let handling = 0;
    let overlapped = false;
    const subscription = subscribeToLedger(
      client,
      { after: 100, batchSize: 2 },
      async (batch) => {
        overlapped ||= handling++ > 0;
        await sleep(3);
        batches.push(batch);
        handling--;
      },
      undefined,
      options,
    );

    expect(subscriptions[0].options.fromPosition).toEqual({ commit: 100n, prepare: 100n });
    expect(subscriptions[0].options.filter).toMatchObject({ filterOn: 'streamName', prefixes: ['token-'] });
    for (const e of [resolved(100), resolved(200), resolved(300, '$stats-node'), resolved(400, 'orders-1'), resolved(500), resolved(600), resolved(700)])
      last().write(e);
    await waitFor(() => batches.flat().length === 4);
    await subscription.stop();

    expect(batches.flat().map((e) => e.position)).toEqual([200, 500, 600, 700]);
    expect(batches.every((b) => b.length >= 1 && b.length <= 2)).toBe(true);
    expect(overlapped).toBe(false);
  });

  it('starts at the beginning without a checkpoint', async () => {
    const { client, subscriptions } = fakeClient();
    const subscription = subscribeToLedger(client, {}, () => undefined, undefined, options);
    expect(subscriptions[0].options.fromPosition).toBe(START);
    await subscription.stop();
  });

  it('pauses the server stream while a full batch waits for a slow handler, and resumes after', async () => {
    const { client, last } = fakeClient();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const seen: number[] = [];
    const subscription = subscribeToLedger(
      client,
      { batchSize: 2 },
      async (batch) => {
        seen.push(...batch.map((e) => e.position));
        await gate;
      },
      undefined,
      options,
    );
    for (let p = 1; p <= 8; p++) last().write(resolved(p * 10));
    await waitFor(() => seen.length > 0);
    await sleep(20);
    expect(last().isPaused()).toBe(true);
    release();
    await waitFor(() => seen.length === 8);
    expect(last().isPaused()).toBe(false);
    expect(seen).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);
    await subscription.stop();
  });

  it('subscribes again from the last event it queued when the server goes away, without duplicates or an error', async () => {
    const { client, subscriptions, last } = fakeClient();
    const seen: number[] = [];
    const errors: unknown[] = [];
    const reconnects: unknown[] = [];
    const subscription = subscribeToLedger(
      client,
      {},
      (batch) => void seen.push(...batch.map((e) => e.position)),
      (e) => errors.push(e),
      {
        ...options,
        onReconnect: (e) => reconnects.push(e),
      },
    );
    last().write(resolved(10));
    last().write(resolved(20));
    await waitFor(() => seen.length === 2);
    last().emit('error', new UnavailableError());
    await waitFor(() => subscriptions.length === 2);

    expect(subscriptions[1].options.fromPosition).toEqual({ commit: 20n, prepare: 20n });
    last().write(resolved(20)); // a server may repeat the checkpoint's event
    last().write(resolved(30));
    await waitFor(() => seen.length === 3);
    await subscription.stop();
    expect(seen).toEqual([10, 20, 30]);
    expect(errors).toEqual([]);
    expect(reconnects).toHaveLength(1);
  });

  it('stops and reports once when the handler throws, or the server denies access', async () => {
    for (const breakIt of ['handler', 'server'] as const) {
      const { client, last } = fakeClient();
      const errors: unknown[] = [];
      let calls = 0;
      const failure = new Error('projection failed');
      const subscription = subscribeToLedger(
        client,
        { batchSize: 1 },
        () => {
          calls++;
          if (breakIt === 'handler') throw failure;
        },
        (e) => errors.push(e),
        options,
      );
      last().write(resolved(1));
      if (breakIt === 'server') {
        await waitFor(() => calls === 1);
        last().emit('error', new AccessDeniedError());
      }
      await waitFor(() => errors.length > 0);
      if (!last().destroyed) last().write(resolved(2));
      await sleep(30);
      await subscription.stop();
      expect(errors).toHaveLength(1);
      expect(calls).toBe(1);
      if (breakIt === 'handler') expect(errors[0]).toBe(failure);
      else expect(errors[0]).toMatchObject({ name: 'EventStoreAccessDeniedError', message: expect.stringContaining('$all') });
    }
  });

  it('waits for the batch in hand when stopped', async () => {
    const { client, last } = fakeClient();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started = false;
    const subscription = subscribeToLedger(
      client,
      {},
      async () => {
        started = true;
        await gate;
      },
      undefined,
      options,
    );
    last().write(resolved(1));
    await waitFor(() => started);
    let stopped = false;
    const stopping = subscription.stop().then(() => (stopped = true));
    await sleep(20);
    expect(stopped).toBe(false);
    release();
    await stopping;
  });
});
