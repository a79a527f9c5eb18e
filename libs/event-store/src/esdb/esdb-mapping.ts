import {
  ANY,
  CancelledError,
  DeadlineExceededError,
  jsonEvent,
  NO_STREAM,
  NotLeaderError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
  type AllStreamRecordedEvent,
  type AppendExpectedRevision,
  type CurrentRevision,
  type EventData,
  type Position,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import {
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
  type EventToAppend,
  type ExpectedRevision,
  type GlobalPosition,
  type RecordedEvent,
} from '../event-store.port';

/*
 * How the port's plain numbers map to EventStoreDB's types.
 *
 * Positions: an EventStoreDB position is (commit, prepare), byte offsets in the transaction log.
 * For every append made through the gRPC API (no explicit TCP transactions, which the ledger
 * never uses) each event is its own committed prepare record, and the server reports it with
 * commit == prepare == that record's log position (IndexReaderBackend: `new CommitEventRecord(
 * eventRecord, prepare.LogPosition)` for commit-alike prepares; its append tests assert
 * `PreparePosition == CommitPosition`). So one number is the whole position, unique per event
 * and increasing in $all order. Numbers stay exact up to 2^53 bytes (8 PiB) of log. A position
 * with commit != prepare (a legacy transaction) cannot be one number: it is refused loudly
 * rather than mis-ordered.
 */

export function toEsdbExpected(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'any') return ANY;
  return BigInt(expected);
}

/** The port's "actual": the revision of the stream's last event, -1 when there is none. */
export function fromCurrentRevision(current: CurrentRevision): number {
  return current === NO_STREAM ? -1 : revisionNumber(current);
}

export function revisionNumber(revision: bigint): number {
  if (revision > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`stream revision ${revision} exceeds 2^53`);
  return Number(revision);
}

export function toGlobalPosition({ commit, prepare }: Position): GlobalPosition {
  if (commit !== prepare) {
    throw new RangeError(`position (${commit}, ${prepare}) belongs to a multi-record transaction; the ledger never writes those`);
  }
  if (commit > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`position ${commit} exceeds 2^53`);
  return Number(commit);
}

export function toEsdbPosition(position: GlobalPosition): Position {
  if (!Number.isSafeInteger(position) || position < 0) throw new RangeError(`not a store position: ${position}`);
  return { commit: BigInt(position), prepare: BigInt(position) };
}

export function toEventData(event: EventToAppend): EventData {
  // The id is the caller's: EventStoreDB drops an append whose ids are already recorded there.
  return jsonEvent({ id: event.id, type: event.type, data: event.data, metadata: event.metadata });
}

/** The ledger's own events: its stream prefixes, never a system stream ($…) or a link. */
export function isLedgerEvent(event: EsdbRecordedEvent | undefined, prefixes: readonly string[]): boolean {
  return event !== undefined && !event.streamId.startsWith('$') && prefixes.some((p) => event.streamId.startsWith(p));
}

/**
 * `fallbackPosition` is for stream reads only, where a server may leave the position out; a
 * read of $all always carries it.
 */
export function toRecorded(event: EsdbRecordedEvent | AllStreamRecordedEvent, fallbackPosition?: GlobalPosition): RecordedEvent {
  let position = fallbackPosition;
  if (event.position) position = toGlobalPosition(event.position);
  if (position === undefined) throw new RangeError(`event ${event.id} was read without its position`);
  return {
    id: event.id,
    streamId: event.streamId,
    revision: revisionNumber(event.revision),
    position,
    type: event.type,
    data: json(event.data, event.id, 'data'),
    metadata: event.metadata === undefined ? {} : json(event.metadata, event.id, 'metadata'),
    recordedAt: event.created.toISOString(),
  };
}

function json(value: unknown, id: string, part: string): Record<string, unknown> {
  // The ledger writes JSON objects only; anything else was written by someone else.
  if (value instanceof Uint8Array || value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`event ${id}: ${part} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** Errors that mean "the store is not reachable right now", as the client raises them. */
export function isUnavailable(error: unknown): boolean {
  if (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof NotLeaderError ||
    error instanceof CancelledError
  ) {
    return true;
  }
  // gRPC status codes the client can pass through unwrapped: 4 DEADLINE_EXCEEDED, 14 UNAVAILABLE.
  const code = (error as { code?: unknown } | null)?.code;
  return code === 4 || code === 14;
}

/** The port's errors for what an append can fail with; anything else is passed on as it is. */
export function toPortError(error: unknown, streamId: string, expected: ExpectedRevision): unknown {
  if (error instanceof WrongExpectedVersionError) {
    return new WrongExpectedRevisionError(streamId, expected, fromCurrentRevision(error.actualVersion as CurrentRevision));
  }
  if (isUnavailable(error)) return new EventStoreUnavailableError((error as Error).message);
  return error;
}
