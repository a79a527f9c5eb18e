import { backoffDelay } from './backoff';

describe('resubscription backoff', () => {
  const backoff = { initialMs: 500, maxMs: 30_000 };

  it('doubles from the first wait up to the ceiling, half fixed and half random', () => {
    const low = [0, 1, 2, 3, 6, 7, 40].map((attempt) => backoffDelay(attempt, backoff, () => 0));
    const high = [0, 1, 2, 3, 6, 7, 40].map((attempt) => backoffDelay(attempt, backoff, () => 1));
    expect(low).toEqual([250, 500, 1000, 2000, 15_000, 15_000, 15_000]);
    expect(high).toEqual([500, 1000, 2000, 4000, 30_000, 30_000, 30_000]);
  });

  it('never retries at once, whatever the jitter', () => {
    for (let i = 0; i < 100; i++) expect(backoffDelay(0, backoff)).toBeGreaterThanOrEqual(250);
  });
});
