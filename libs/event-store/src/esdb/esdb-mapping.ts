import {
  ANY,
  NO_STREAM,
  jsonEvent,
  type AllStreamRecordedEvent,
  type AppendExpectedRevision,
  type EventData,
  type EsdbRecordedEvent,
  type Position,
} from './esdb-client';
import type { EventToAppend, ExpectedRevision, GlobalPosition, RecordedEvent } from '../event-store.port';

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

/**
 * Only a safe non-negative integer is a revision: the client would send a negative bigint as
 * one of the special values ("no stream", "any", "exists"), switching the concurrency check off.
 */
export function toEsdbExpected(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'any') return ANY;
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new RangeError(`not an expected revision: ${String(expected)} (a whole number from 0 to 2^53-1, 'no_stream' or 'any')`);
  }
  return BigInt(expected);
}

export function revisionNumber(revision: bigint): number {
  if (revision > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`stream revision ${revision} exceeds 2^53`);
  return Number(revision);
}

/**
 * The server's "no position" (2^64-1, ulong.MaxValue). Servers before 22.6 put it on every event
 * read from a stream; the ledger needs real positions there (audit filters, read-your-writes).
 */
export const NO_POSITION = 2n ** 64n - 1n;
export const MINIMUM_SERVER_VERSION = '22.6';

/** A server too old for what the ledger needs from it: a configuration problem, not an outage. */
export class EventStoreUnsupportedServerError extends Error {
  constructor(detail: string) {
    super(`${detail}; the ledger needs EventStoreDB ${MINIMUM_SERVER_VERSION} or later`);
    this.name = 'EventStoreUnsupportedServerError';
  }
}

/** Why the ledger cannot run on a server of this version, or null when it can. */
export function serverVersionProblem(version: string): string | null {
  const match = /^(\d+)\.(\d+)/.exec(version);
  const [major, minor] = MINIMUM_SERVER_VERSION.split('.').map(Number);
  if (match && (Number(match[1]) > major || (Number(match[1]) === major && Number(match[2]) >= minor))) return null;
  return `EventStoreDB ${match ? version : `of an unknown version (${version}, so before 21.10)`} is not supported`;
}

/** A position as the server reported it, or undefined when it reported none. */
export function readPosition(position: Position | undefined): GlobalPosition | undefined {
  if (!position || position.commit === NO_POSITION || position.prepare === NO_POSITION) return undefined;
  return toGlobalPosition(position);
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

export function toRecorded(event: EsdbRecordedEvent | AllStreamRecordedEvent): RecordedEvent {
  const position = readPosition(event.position);
  if (position === undefined) {
    throw new EventStoreUnsupportedServerError(
      `event ${event.id} of ${event.streamId} was read without its position (servers before ${MINIMUM_SERVER_VERSION} leave it out of stream reads)`,
    );
  }
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
