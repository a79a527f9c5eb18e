import { randomUUID } from 'node:crypto';
import { REFUSED_PORT } from '../../../../test/support/refused-port';
import { EventStoreUnavailableError } from '../event-store.port';
import { EsdbEventStore } from './esdb-event-store';

/** The real client against a port where no server listens: what a replica sees when the store is gone. */
describe('EsdbEventStore without a server', () => {
  let store: EsdbEventStore;
  let reconnects: unknown[];
  beforeEach(async () => {
    reconnects = [];
    store = EsdbEventStore.connect(`esdb://127.0.0.1:${REFUSED_PORT}?tls=false&defaultDeadline=2000`, {
      resubscribeDelayMs: 50,
      onReconnect: (error) => reconnects.push(error),
    });
  });
  afterEach(() => store.close());

  it('answers appends, reads and the head with EventStoreUnavailableError, promptly', async () => {
    const started = Date.now();
    const event = { id: randomUUID(), type: 'T', data: {}, metadata: {} };
    await expect(store.appendToStream('token-x', [event], 'no_stream')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.readStream('token-x')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.readAll({ maxCount: 1 })).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('keeps its subscription trying instead of failing the projection, and stops when asked', async () => {
    const errors: unknown[] = [];
    const subscription = store.subscribeToAll(
      {},
      () => undefined,
      (error) => errors.push(error),
    );
    const deadline = Date.now() + 10_000;
    while (reconnects.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await subscription.stop();

    expect(reconnects.length).toBeGreaterThanOrEqual(2);
    expect(errors).toEqual([]);
    const count = reconnects.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(reconnects).toHaveLength(count);
  });
});
