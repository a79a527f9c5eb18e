import { describeEventStoreContract } from './event-store.contract';
import { MemoryEventStore } from './memory-event-store';

describeEventStoreContract('memory', async () => {
  const store = new MemoryEventStore();
  return { store, cleanup: () => store.close() };
});

describe('MemoryEventStore', () => {
  it('numbers positions 1, 2, 3, … across streams', async () => {
    const store = new MemoryEventStore();
    const event = (id: string) => ({ id, type: 'T', data: {}, metadata: {} });
    await store.appendToStream('a', [event('1'), event('2')], 'no_stream');
    await store.appendToStream('b', [event('3')], 'no_stream');

    expect((await store.readAll()).map((e) => e.position)).toEqual([1, 2, 3]);
    expect(await store.readAll({ after: 1, maxCount: 1 })).toMatchObject([{ id: '2', position: 2 }]);
    expect(await store.headPosition()).toBe(3);
    await store.close();
  });

  it('hands out copies, so a reader cannot change what is recorded', async () => {
    const store = new MemoryEventStore();
    const data = { scopes: ['read'] };
    await store.appendToStream('a', [{ id: '1', type: 'T', data, metadata: {} }], 'no_stream');
    data.scopes.push('write');
    (await store.readStream('a'))[0].data.scopes = [];

    expect((await store.readStream('a'))[0].data).toEqual({ scopes: ['read'] });
    await store.close();
  });
});
