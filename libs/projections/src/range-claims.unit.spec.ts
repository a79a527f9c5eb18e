import { RangeClaims } from './range-claims';

describe('RangeClaims', () => {
  it('hands each range to one claimer only, in order, then null to everyone', () => {
    const ranges = [
      { from: null, to: 'b' },
      { from: 'b', to: 'd' },
      { from: 'd', to: null },
    ];
    const memory = RangeClaims.memory();
    // Two threads' views of the same shared counter.
    const [here, there] = [new RangeClaims(memory, ranges), new RangeClaims(memory, ranges)];
    expect([here.next(), there.next(), there.next()]).toEqual(ranges);
    expect([here.next(), there.next()]).toEqual([null, null]);
  });
});
