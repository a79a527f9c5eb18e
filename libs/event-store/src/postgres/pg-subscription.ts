import { backoffDelay, type Backoff } from '../backoff';
import { startCatchUpSubscription, type LiveSubscription, type ReadPage } from '../catch-up-subscription';
import type { BatchHandler, SubscribeOptions, SubscriptionRetry } from '../event-store.port';
import { isUnavailable } from './pg-errors';

export interface PgSubscription extends LiveSubscription {
  /** Set from the first failed read until a read succeeds again. */
  retrying(): SubscriptionRetry | null;
}

export interface PgSubscriptionOptions {
  backoff: Backoff;
  /** Told about every lost connection it recovers from (for logs). */
  onReconnect?: (error: unknown) => void;
  random?: () => number;
}

/**
 * The shared catch-up loop (one reader, batches in order) over pages read from PostgreSQL. A read
 * that fails because the server is away is not the projection's error: it is read again after a
 * backoff, for as long as it takes, and `retrying()` says so meanwhile (readiness reports it).
 * Anything else, and the handler's errors, stop the subscription as on every adapter.
 */
export function subscribeWithRetry(
  readPage: ReadPage,
  options: SubscribeOptions,
  handler: BatchHandler,
  onError: ((error: unknown) => void) | undefined,
  onEnd: () => void,
  { backoff, onReconnect, random = Math.random }: PgSubscriptionOptions,
): PgSubscription {
  let stopped = false;
  let lost: SubscriptionRetry | null = null;
  let endWait: (() => void) | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      endWait = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const readUntilAnswered: ReadPage = async (after, maxCount) => {
    for (;;) {
      if (stopped) return [];
      try {
        const page = await readPage(after, maxCount);
        lost = null;
        return page;
      } catch (error) {
        if (!isUnavailable(error) || stopped) throw error;
        onReconnect?.(error);
        const attempts = lost ? lost.attempts + 1 : 0;
        lost = { since: lost?.since ?? new Date().toISOString(), attempts, reason: (error as Error).message || String(error) };
        await pause(backoffDelay(attempts, backoff, random));
      }
    }
  };

  const inner = startCatchUpSubscription(readUntilAnswered, options, handler, onError, onEnd);
  return {
    wake: () => inner.wake(),
    retrying: () => lost,
    async stop() {
      stopped = true;
      lost = null;
      endWait?.();
      await inner.stop();
    },
  };
}
