import { backoffDelay, TransientError, withRetries } from './retry';

describe('retry', () => {
  const policy = { retries: 3, baseDelayMs: 100, maxDelayMs: 300 };

  it('doubles the ceiling of the delay each retry, up to maxDelayMs, with full jitter', () => {
    expect([0, 1, 2, 3].map((n) => backoffDelay(policy, n, () => 0.999))).toEqual([99, 199, 299, 299]);
    expect(backoffDelay(policy, 2, () => 0)).toBe(0);
  });

  it('tries 1 + retries times on transient errors, then throws', async () => {
    let attempts = 0;
    const failing = () => {
      attempts++;
      return Promise.reject(new TransientError('down'));
    };
    await expect(withRetries({ ...policy, baseDelayMs: 1, maxDelayMs: 2 }, failing)).rejects.toThrow('down');
    expect(attempts).toBe(4);
  });

  it('does not retry other errors', async () => {
    let attempts = 0;
    const failing = () => {
      attempts++;
      return Promise.reject(new Error('bug'));
    };
    await expect(withRetries(policy, failing)).rejects.toThrow('bug');
    expect(attempts).toBe(1);
  });
});
