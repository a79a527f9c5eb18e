export interface Backoff {
  /** Wait before the first retry. */
  initialMs: number;
  /** Ceiling of any one wait. */
  maxMs: number;
}

/**
 * Exponential backoff with "equal jitter": half the doubled delay fixed, half random. Replicas
 * that lost the server together do not come back in step, and no retry is immediate.
 * `attempt` counts from 0 (the first retry).
 */
export function backoffDelay(attempt: number, { initialMs, maxMs }: Backoff, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
