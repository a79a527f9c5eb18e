export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  /** Delay before the first retry; doubled each time, with full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 2, baseDelayMs: 100, maxDelayMs: 1000 };

/** Exponential backoff with full jitter: a fleet of services retrying does not hit the ledger in step. */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry));
}

/** Worth another attempt: the ledger or the network failed, not the request. */
export class TransientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransientError';
  }
}

/** Runs `attempt` until it succeeds, throws a non-transient error, or the retries are spent. */
export async function withRetries<T>(policy: RetryPolicy, attempt: () => Promise<T>): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof TransientError) || retry >= policy.retries) throw error;
      await new Promise((resolve) => setTimeout(resolve, backoffDelay(policy, retry)));
    }
  }
}
