import { randomUUID } from 'node:crypto';
import { EventStoreUnavailableError, WrongExpectedRevisionError, type EventToAppend, type RecordedEvent } from '../event-store.port';
import { BACKWARDS, DeadlineExceededError, NO_STREAM, UnknownError } from './esdb-client';
import { EsdbEventStore } from './esdb-event-store';
import { NO_POSITION } from './esdb-mapping';
import { FakeEsdbClient, grpcError, recordedEvent } from './fake-esdb-client';

/**
 * The adapter against a FAKE client (fake-esdb-client.ts) replaying what a real server answers:
 * each case is one thing a production EventStoreDB does that the contract suite cannot show here.
 */
const event = (): EventToAppend => ({ id: randomUUID(), type: 'TokenCreated', data: {}, metadata: {} });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(condition: () => boolean, ms = 2000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await sleep(2);
  }
}

function storeOn(fake: FakeEsdbClient) {
  return new EsdbEventStore(fake.client, { appendRetries: 2, appendRetryDelayMs: 1, resubscribeDelayMs: 5, resubscribeMaxDelayMs: 20 });
}

/** A stream of `count` ledger events as the server stores it. */
function stream(fake: FakeEsdbClient, streamId: string, positions: bigint[]) {
  const events = positions.map((p, i) => recordedEvent(streamId, i, p, randomUUID()));
  fake.streams.set(streamId, events);
  return events;
}

// The client's own reply when a node does not handle a batch append (see esdb-errors.ts).
const notHandled = (reason: string) => new UnknownError(undefined, `Could not recognize ${reason}`);
const discoveryFailed = () => new Error('Failed to discover after 10 attempts.');
const rstStream = () => grpcError(13, 'Received RST_STREAM with code 2 triggered by internal client error: Protocol error');

describe('EsdbEventStore against a fake client replaying server replies', () => {
  describe('appends', () => {
    it('answers a retry racing its original: repeats the write timeout with the same ids and expected revision', async () => {
      const fake = new FakeEsdbClient();
      stream(fake, 'token-a', [100n, 200n]);
      fake.appendReplies.push(
        { success: true, nextExpectedRevision: 1n, position: { commit: 200n, prepare: 100n } },
        // The server dropped the second write while the first was not yet indexed.
        new DeadlineExceededError(),
        // The repeat finds the ids in the stream: the original's result, without a position.
        { success: true, nextExpectedRevision: 1n, position: undefined },
      );
      const store = storeOn(fake);
      const events = [event(), event()];

      const [a, b] = await Promise.all([store.appendToStream('token-a', events, 'no_stream'), store.appendToStream('token-a', events, 'no_stream')]);

      expect(a).toEqual({ nextExpectedRevision: 1, position: 200 });
      expect(b).toEqual(a);
      expect(fake.appends).toHaveLength(3);
      expect(fake.appends[2].events.map((e) => e.id)).toEqual(events.map((e) => e.id));
      expect(fake.appends[2].options.expectedRevision).toBe(NO_STREAM);
      expect(fake.appends[1].options.expectedRevision).toBe(NO_STREAM);
    });

    it('repeats a bounded number of times, and never an append with "any"', async () => {
      const fake = new FakeEsdbClient();
      fake.appendReplies.push(new DeadlineExceededError(), new DeadlineExceededError(), new DeadlineExceededError(), new DeadlineExceededError());
      const store = storeOn(fake);
      await expect(store.appendToStream('token-a', [event()], 3)).rejects.toBeInstanceOf(EventStoreUnavailableError);
      expect(fake.appends).toHaveLength(3);
      expect(fake.appends.map((a) => a.options.expectedRevision)).toEqual([3n, 3n, 3n]);

      await expect(store.appendToStream('token-a', [event()], 'any')).rejects.toBeInstanceOf(EventStoreUnavailableError);
      expect(fake.appends).toHaveLength(4);
    });

    it('reports {success: false} (throwOnAppendFailure=false) as a conflict, not as another writer’s event', async () => {
      const fake = new FakeEsdbClient();
      stream(fake, 'token-a', [100n, 200n, 300n, 400n]);
      fake.appendReplies.push({ success: false, nextExpectedRevision: 3n, position: undefined });
      const error = await storeOn(fake)
        .appendToStream('token-a', [event()], 1)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ streamId: 'token-a', expected: 1, actual: 3 });
    });

    it('answers "not ready", "busy" and "no leader" as unavailable (a 503), retrying where safe', async () => {
      for (const reason of ['Server Is Not Ready', 'Server Is Busy', 'No leader info available in response']) {
        const fake = new FakeEsdbClient();
        fake.appendReplies.push(notHandled(reason), { success: true, nextExpectedRevision: 0n, position: { commit: 50n, prepare: 50n } });
        const store = storeOn(fake);
        await expect(store.appendToStream('token-a', [event()], 'any')).rejects.toBeInstanceOf(EventStoreUnavailableError);
        await expect(store.appendToStream('token-a', [event()], 'no_stream')).resolves.toEqual({ nextExpectedRevision: 0, position: 50 });
      }
    });

    it('refuses negative, fractional and unsafe revisions before sending anything', async () => {
      const fake = new FakeEsdbClient();
      const store = storeOn(fake);
      for (const expected of [-1, -2, -3, 1.5, 2 ** 53, Number.NaN]) {
        await expect(store.appendToStream('token-a', [event()], expected)).rejects.toThrow(RangeError);
      }
      expect(fake.appends).toEqual([]);
    });

    it('refuses a next revision past 2^53 instead of rounding it', async () => {
      const fake = new FakeEsdbClient();
      fake.appendReplies.push({ success: true, nextExpectedRevision: 2n ** 60n, position: { commit: 9n, prepare: 9n } });
      await expect(storeOn(fake).appendToStream('token-a', [event()], 'any')).rejects.toThrow(RangeError);
    });
  });

  describe('reads', () => {
    it('reads streams from the leader, including the read-back of its own append', async () => {
      const fake = new FakeEsdbClient();
      stream(fake, 'token-a', [100n, 200n]);
      fake.appendReplies.push({ success: true, nextExpectedRevision: 1n, position: { commit: 200n, prepare: 100n } });
      const store = storeOn(fake);
      await store.readStream('token-a');
      await store.appendToStream('token-a', [event(), event()], 'no_stream');
      fake.all = [recordedEvent('token-a', 0, 100n, randomUUID())];
      await store.readAll();
      await store.headPosition();
      expect(fake.reads.map((r) => [r.kind, r.options.requiresLeader])).toEqual([
        ['stream', true],
        ['stream', true],
        ['all', true],
        ['all', true],
      ]);
    });

    it('asks a read once more when a follower answered "not leader" (the client moves to the leader it names)', async () => {
      const fake = new FakeEsdbClient();
      const events = stream(fake, 'token-a', [100n, 200n]);
      const notLeader = () =>
        grpcError(5, 'Leader info available', { exception: 'not-leader', 'leader-endpoint-host': 'node2', 'leader-endpoint-port': '2113' });
      fake.readFailures.push(notLeader());
      const store = storeOn(fake);
      expect((await store.readStream('token-a')).map((e) => e.id)).toEqual(events.map((e) => e.id));
      expect(fake.reads).toHaveLength(2);

      fake.readFailures.push(notLeader(), notLeader());
      await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      expect(fake.reads).toHaveLength(4);
    });

    it('bounds every read of $all and cancels one that stops early, after a page or a head', async () => {
      const fake = new FakeEsdbClient();
      fake.all = Array.from({ length: 60 }, (_, i) => recordedEvent(`token-${i}`, 0, BigInt((i + 1) * 100), randomUUID()));
      const store = storeOn(fake);

      expect((await store.readAll({ maxCount: 1 })).map((e) => e.position)).toEqual([100]);
      expect(await store.headPosition()).toBe(6000);

      expect(fake.reads.map((r) => Number(r.options.maxCount))).toEqual([expect.any(Number), expect.any(Number)]);
      expect(fake.reads.every((r) => Number(r.options.maxCount) <= 512)).toBe(true);
      expect(fake.reads[1].options).toMatchObject({ direction: BACKWARDS });
      expect(fake.reads.map((r) => r.cancelled)).toEqual([true, true]);
      expect(fake.openReads()).toEqual([]);
    });

    it('pages past other writers’ events, without repeating the event a page starts from', async () => {
      const fake = new FakeEsdbClient();
      const others = Array.from({ length: 1200 }, (_, i) => recordedEvent(`orders-${i}`, 0, BigInt(1000 + i), randomUUID()));
      fake.all = [recordedEvent('token-a', 0, 10n, randomUUID()), ...others, recordedEvent('token-b', 0, 5000n, randomUUID())];
      const store = storeOn(fake);

      expect((await store.readAll()).map((e) => e.position)).toEqual([10, 5000]);
      expect((await store.readAll({ after: 10 })).map((e) => e.position)).toEqual([5000]);
      fake.all = [recordedEvent('token-a', 0, 10n, randomUUID()), ...others];
      expect(await store.headPosition()).toBe(10);
      expect(fake.reads.length).toBeGreaterThan(3);
      expect(fake.openReads()).toEqual([]);
    });

    it('answers a discovery failure and a dropped HTTP/2 stream (code 13) as unavailable', async () => {
      const fake = new FakeEsdbClient();
      fake.readFailures.push(discoveryFailed(), rstStream(), rstStream());
      const store = storeOn(fake);
      await expect(store.readStream('token-a')).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.readAll()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });

    it('says which credentials are missing when the server denies access to $all', async () => {
      const fake = new FakeEsdbClient();
      fake.readFailures.push(grpcError(7, 'Access Denied', { exception: 'access-denied' }));
      await expect(storeOn(fake).readAll()).rejects.toMatchObject({
        name: 'EventStoreAccessDeniedError',
        message: expect.stringMatching(/read \$all \(a member of \$admins/),
      });
    });

    it('names the minimum server version when a stream read carries no position (2^64-1, before 22.6)', async () => {
      const fake = new FakeEsdbClient();
      stream(fake, 'token-a', [NO_POSITION, NO_POSITION]);
      fake.appendReplies.push({ success: true, nextExpectedRevision: 3n, position: { commit: 400n, prepare: 300n } });
      const store = storeOn(fake);
      await expect(store.readStream('token-a')).rejects.toMatchObject({
        name: 'EventStoreUnsupportedServerError',
        message: expect.stringContaining('22.6 or later'),
      });
      stream(fake, 'token-b', [NO_POSITION, NO_POSITION, NO_POSITION, NO_POSITION]);
      await expect(store.appendToStream('token-b', [event(), event()], 1)).rejects.toMatchObject({ name: 'EventStoreUnsupportedServerError' });
      expect(fake.openReads()).toEqual([]);
    });
  });

  describe('the server version', () => {
    it('refuses a server before 22.6 by name before reading or writing anything, asking once', async () => {
      for (const version of ['21.10.9', '22.5.0', '20.10.2', 'unknown']) {
        const fake = new FakeEsdbClient();
        fake.serverVersion = version;
        const store = storeOn(fake);
        await expect(store.headPosition()).rejects.toMatchObject({
          name: 'EventStoreUnsupportedServerError',
          message: expect.stringMatching(/not supported; the ledger needs EventStoreDB 22\.6 or later/),
        });
        await expect(store.appendToStream('token-a', [event()], 'no_stream')).rejects.toMatchObject({ name: 'EventStoreUnsupportedServerError' });
        expect([fake.reads, fake.appends, fake.versionQueries]).toEqual([[], [], 1]);
      }
    });

    it('runs on 22.6 and later, and asks again after the question itself failed', async () => {
      for (const version of ['22.6.0', '22.10.1', '24.10.0', '25.0.0']) {
        const fake = new FakeEsdbClient();
        fake.serverVersion = version;
        await expect(storeOn(fake).headPosition()).resolves.toBe(0);
      }
      const fake = new FakeEsdbClient();
      fake.serverVersion = grpcError(14, 'No connection established');
      const store = storeOn(fake);
      await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      fake.serverVersion = '24.10.0';
      await expect(store.headPosition()).resolves.toBe(0);
      expect(fake.versionQueries).toBe(2);
    });
  });

  describe('the subscription', () => {
    it('subscribes again after a discovery failure or a code-13 error, from its last event, and calls no error path', async () => {
      const fake = new FakeEsdbClient();
      const store = storeOn(fake);
      const errors: unknown[] = [];
      const seen: RecordedEvent[] = [];
      const subscription = store.subscribeToAll(
        {},
        (batch) => void seen.push(...batch),
        (e) => errors.push(e),
      );

      fake.subscriptions[0].write({ event: recordedEvent('token-a', 0, 100n, randomUUID()) });
      await waitFor(() => seen.length === 1);
      fake.subscriptions[0].emit('error', discoveryFailed());
      await waitFor(() => fake.subscriptions.length === 2);
      fake.subscriptions[1].emit('error', rstStream());
      await waitFor(() => fake.subscriptions.length === 3);

      expect(fake.subscriptions[2].options.fromPosition).toEqual({ commit: 100n, prepare: 100n });
      fake.subscriptions[2].write({ event: recordedEvent('token-a', 1, 200n, randomUUID()) });
      await waitFor(() => seen.length === 2);
      await subscription.stop();
      expect(errors).toEqual([]);
    });

    it('tells readiness it is retrying, how often and why, until the server confirms a new subscription', async () => {
      const fake = new FakeEsdbClient();
      const store = storeOn(fake);
      const subscription = store.subscribeToAll({}, () => undefined);
      expect(store.subscriptionRetry()).toBeNull();

      fake.subscriptions[0].emit('error', discoveryFailed());
      expect(store.subscriptionRetry()).toMatchObject({ attempts: 0, reason: 'Failed to discover after 10 attempts.', since: expect.any(String) });
      await waitFor(() => fake.subscriptions.length === 2);
      fake.subscriptions[1].emit('error', rstStream());
      expect(store.subscriptionRetry()).toMatchObject({ attempts: 1, reason: expect.stringContaining('RST_STREAM') });
      await waitFor(() => fake.subscriptions.length === 3);
      fake.subscriptions[2].emit('confirmation');
      expect(store.subscriptionRetry()).toBeNull();
      await subscription.stop();
    });

    it('subscribes again after the server ends it as not ready, and stops only when access is denied', async () => {
      const fake = new FakeEsdbClient();
      const store = storeOn(fake);
      const errors: unknown[] = [];
      store.subscribeToAll(
        {},
        () => undefined,
        (e) => errors.push(e),
      );
      fake.subscriptions[0].emit('error', notHandled('Server Is Not Ready'));
      await waitFor(() => fake.subscriptions.length === 2);
      fake.subscriptions[1].emit('error', grpcError(16, 'Access Denied'));
      await sleep(50);
      expect(fake.subscriptions).toHaveLength(2);
      expect(errors).toEqual([expect.objectContaining({ name: 'EventStoreAccessDeniedError' })]);
      expect(store.subscriptionRetry()).toBeNull();
      await store.close();
    });
  });
});
