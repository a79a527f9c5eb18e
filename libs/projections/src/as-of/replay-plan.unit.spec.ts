import { planReplay, type SnapshotMark } from './replay-plan';

const mark = (position: number, maxTime: number, chunkMinTime: number): SnapshotMark => ({ position, maxTime, chunkMinTime });

describe('planReplay', () => {
  // In order: 10 events with times 100..199, 10 with 200..299, 10 with 300..399, then the tail.
  const monotonic = [mark(10, 199, 100), mark(20, 299, 200), mark(30, 399, 300)];

  it('starts from the last snapshot all of whose events are at or before the instant, then skips stretches entirely after it', () => {
    expect(planReplay(monotonic, 299)).toEqual({ start: monotonic[1], ranges: [{ after: 30, until: Infinity }] });
    expect(planReplay(monotonic, 300)).toEqual({ start: monotonic[1], ranges: [{ after: 20, until: Infinity }] });
    expect(planReplay(monotonic, 250)).toEqual({
      start: monotonic[0],
      ranges: [
        { after: 10, until: 20 },
        { after: 30, until: Infinity },
      ],
    });
  });

  it('starts from nothing before the first snapshot', () => {
    expect(planReplay(monotonic, 150)).toEqual({
      start: null,
      ranges: [
        { after: 0, until: 10 },
        { after: 30, until: Infinity },
      ],
    });
    expect(planReplay([], 150)).toEqual({ start: null, ranges: [{ after: 0, until: Infinity }] });
  });

  it('reads a later stretch holding one event back-dated to the instant', () => {
    const late = [mark(10, 199, 100), mark(20, 299, 200), mark(30, 399, 150)];
    expect(planReplay(late, 150)).toEqual({
      start: null,
      ranges: [
        { after: 0, until: 10 },
        { after: 20, until: Infinity },
      ],
    });
    expect(planReplay(late, 149)).toEqual({
      start: null,
      ranges: [
        { after: 0, until: 10 },
        { after: 30, until: Infinity },
      ],
    });
  });

  it('does not start from a snapshot holding one event after the instant', () => {
    // The first stretch holds an event at 250: the first snapshot is of no use before 250.
    const early = [mark(10, 250, 100), mark(20, 299, 200)];
    expect(planReplay(early, 249).start).toBeNull();
    expect(planReplay(early, 250).start).toEqual(early[0]);
  });
});
