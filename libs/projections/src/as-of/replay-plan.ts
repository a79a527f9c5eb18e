import type { GlobalPosition } from '@ledger/event-store';

/**
 * What is known of one snapshot without loading its rows. Times are effective times in ms
 * (see eventTime) of the events that change a token row; an event whose time does not parse is
 * folded at every instant (as TokenReplay does), so it counts as the earliest possible time.
 */
export interface SnapshotMark {
  /** The last event folded into the snapshot. */
  position: GlobalPosition;
  /** Latest time of any row event up to `position`: the snapshot holds only the past of an instant at or after it. */
  maxTime: number;
  /** Earliest time of the row events after the previous snapshot up to `position`: before it, that stretch adds nothing. */
  chunkMinTime: number;
}

/** Events after `after`, up to `until` inclusive (Infinity: to the end of the log). */
export interface ReadRange {
  after: GlobalPosition;
  until: GlobalPosition;
}

export interface ReplayPlan {
  /** The snapshot to start from, or null for an empty list at position 0. */
  start: SnapshotMark | null;
  /** What to read after it, in order; each event read still has to be filtered by its time. */
  ranges: ReadRange[];
}

/** No time at all (no row event yet): below every instant. */
export const NO_TIME = Number.MIN_SAFE_INTEGER;
/** A stretch without row events: never needs reading. */
export const NO_EVENTS = Number.MAX_SAFE_INTEGER;

/**
 * Where to start and what to read for the token list at `asOfMs`. Event times are not monotonic
 * in position (replicas' clocks, a TokenExpired recorded after its instant), so the start is the
 * last snapshot whose every event is at or before the instant (maxTime ≤ asOf, a prefix maximum,
 * so it only grows), and each later stretch is read only if one of its events may be at or
 * before the instant (chunkMinTime ≤ asOf). The tail after the last snapshot is always read.
 * `marks` are in position order.
 */
export function planReplay(marks: readonly SnapshotMark[], asOfMs: number): ReplayPlan {
  let startIndex = -1;
  for (let i = 0; i < marks.length && marks[i].maxTime <= asOfMs; i++) startIndex = i;
  const start = startIndex >= 0 ? marks[startIndex] : null;
  const ranges: ReadRange[] = [];
  const read = (after: GlobalPosition, until: GlobalPosition) => {
    const last = ranges.at(-1);
    if (last && last.until === after) last.until = until;
    else ranges.push({ after, until });
  };
  let position = start?.position ?? 0;
  for (const mark of marks.slice(startIndex + 1)) {
    if (mark.chunkMinTime <= asOfMs) read(position, mark.position);
    position = mark.position;
  }
  read(position, Number.POSITIVE_INFINITY);
  return { start, ranges };
}
