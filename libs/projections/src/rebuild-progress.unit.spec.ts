import { describeRebuild, rebuildDone } from './rebuild';

describe('a rebuild’s progress', () => {
  it('counts positions in global order, and events in stream order until the end', () => {
    const inPositionOrder = { events: 40, position: 55, head: 100, order: 'position' } as const;
    const inStreamOrder = { events: 40, position: 0, head: 100, order: 'stream' } as const;
    expect([rebuildDone(inPositionOrder), describeRebuild(inPositionOrder)]).toEqual([55, '40 events, position 55 of 100']);
    expect([rebuildDone(inStreamOrder), describeRebuild(inStreamOrder)]).toEqual([40, '40 events, stream by stream, of at most 100']);
    // At the end every position up to the head is folded, whatever the order.
    expect(rebuildDone({ ...inStreamOrder, events: 90, position: 100 })).toBe(100);
  });
});
