import type { StreamRange } from '@ledger/event-store';
import { foldRange, type FoldStreamsOptions, type StreamRangeStore } from './fold-streams';
import type { TokenListReadModel } from './token-list.read-model';

/**
 * The ranges of a parallel rebuild, handed out one at a time to whichever thread asks first: a
 * counter in memory shared by the threads (Atomics), so that no thread waits on another's event
 * loop to be given work. A thread that starts late, or reads a slower range, takes fewer ranges,
 * and all of them finish within about one range of each other.
 */
export class RangeClaims {
  private readonly claimed: Int32Array;

  constructor(
    shared: SharedArrayBuffer,
    private readonly ranges: readonly StreamRange[],
  ) {
    this.claimed = new Int32Array(shared);
  }

  /** The memory to share with the threads, no range claimed yet. */
  static memory(): SharedArrayBuffer {
    return new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  }

  /** The next unclaimed range, now this thread's; null once every range is claimed. */
  next(): StreamRange | null {
    return this.ranges[Atomics.add(this.claimed, 0, 1)] ?? null;
  }
}

/**
 * One thread's share of a parallel rebuild: range after range, as long as there are unclaimed
 * ones. `onPage` counts the thread's events across its ranges.
 */
export async function foldClaimedRanges(
  store: StreamRangeStore,
  claims: RangeClaims,
  readModel: TokenListReadModel,
  options: FoldStreamsOptions & { stopped?: () => boolean },
): Promise<number> {
  let events = 0;
  for (let range = claims.next(); range; range = claims.next()) {
    const onPage = (inRange: number) => options.onPage?.(events + inRange);
    events += (await foldRange(store, range, readModel, { ...options, onPage })).events;
  }
  return events;
}
