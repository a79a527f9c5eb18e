import type { AppendResult, ExpectedRevision, GlobalPosition } from './event-store.port';

/** Where an event id is already recorded, as an adapter finds it by id. */
export interface RecordedAt {
  streamId: string;
  revision: number;
  position: GlobalPosition;
}

/** `actual` is the revision of the stream's last event, -1 when the stream does not exist. */
export function isExpected(expected: ExpectedRevision, actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === -1;
  return expected === actual;
}

/**
 * Idempotent retry (EventStoreDB semantics): when every event of an append is already recorded
 * in this stream, consecutively, right after the expected revision, the first attempt succeeded
 * and only its answer was lost, so the retry gets the original result instead of a conflict.
 */
export function originalResult(streamId: string, expected: ExpectedRevision, recorded: Array<RecordedAt | undefined>): AppendResult | undefined {
  const first = recorded[0];
  if (!first) return undefined;
  const start = expected === 'any' ? first.revision : expected === 'no_stream' ? 0 : expected + 1;
  const intact = recorded.every((at, i) => at?.streamId === streamId && at.revision === start + i);
  if (!intact) return undefined;
  const last = recorded[recorded.length - 1]!;
  return { nextExpectedRevision: last.revision, position: last.position };
}
