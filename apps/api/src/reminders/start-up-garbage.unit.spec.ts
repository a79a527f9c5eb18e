import { collectStartUpGarbage } from './start-up-garbage';

describe('collectStartUpGarbage', () => {
  it('runs one full collection when node exposes it, and says how long it paused', () => {
    const gc = jest.fn();
    const pause = collectStartUpGarbage(gc);
    expect(gc).toHaveBeenCalledTimes(1);
    expect(pause).toEqual(expect.any(Number));
    expect(pause).toBeGreaterThanOrEqual(0);
  });

  it('does nothing without --expose-gc', () => {
    expect(collectStartUpGarbage(null)).toBeNull();
  });
});
