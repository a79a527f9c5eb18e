import type { BatchHandler, GlobalPosition, RecordedEvent, SubscribeOptions, Subscription } from './event-store.port';

export const DEFAULT_BATCH_SIZE = 1000;

export interface LiveSubscription extends Subscription {
  /** Events may have been recorded since the last read: read again if caught up. */
  wake(): void;
}

export type ReadPage = (after: GlobalPosition, maxCount: number) => RecordedEvent[] | Promise<RecordedEvent[]>;

/**
 * One subscription is one loop: read the page after the checkpoint, hand it to the handler, and
 * repeat; once caught up, sleep until the store wakes it. A single loop is what guarantees that
 * batches arrive in order, without gaps or duplicates, and are never handled concurrently.
 */
export function startCatchUpSubscription(
  readPage: ReadPage,
  options: SubscribeOptions,
  handler: BatchHandler,
  onError: ((error: unknown) => void) | undefined,
  onEnd: () => void,
): LiveSubscription {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  let checkpoint = options.after ?? 0;
  let stopped = false;
  // Set by wake(); a wake that arrives while a page is being read must not be slept through.
  let woken = false;
  let endSleep: (() => void) | undefined;

  const wake = () => {
    woken = true;
    const end = endSleep;
    endSleep = undefined;
    end?.();
  };

  const run = async () => {
    while (!stopped) {
      woken = false;
      const batch = await readPage(checkpoint, batchSize);
      if (stopped) return;
      if (batch.length > 0) {
        await handler(batch);
        checkpoint = batch[batch.length - 1].position;
        // A long catch-up must not starve the event loop (and the appends waiting on it).
        await new Promise<void>((resolve) => setImmediate(resolve));
      } else if (!woken) {
        await new Promise<void>((resolve) => (endSleep = resolve));
      }
    }
  };

  const finished = run()
    .catch((error: unknown) => {
      stopped = true;
      if (onError) onError(error);
      else process.emitWarning(error instanceof Error ? error : String(error));
    })
    .finally(onEnd);

  return {
    wake,
    async stop() {
      stopped = true;
      wake();
      await finished;
    },
  };
}
