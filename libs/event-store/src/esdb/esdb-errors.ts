import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  NO_STREAM,
  TimeoutError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
  type CurrentRevision,
} from './esdb-client';
import { EventStoreUnavailableError, WrongExpectedRevisionError, type ExpectedRevision } from '../event-store.port';
import { revisionNumber } from './esdb-mapping';

/**
 * The server refused the connection string's credentials for what the ledger does. Not
 * transient: retrying cannot help until an operator changes the user or the ACL.
 */
export class EventStoreAccessDeniedError extends Error {
  constructor(operation: string) {
    super(
      `EventStoreDB denied access (${operation}): the user in EVENTSTORE_URL must be able to read $all ` +
        `(a member of $admins, or a user that the ACL of $all grants read) and to read and write the token-… streams`,
    );
    this.name = 'EventStoreAccessDeniedError';
  }
}

/**
 * What a batch append reports when the node did not handle the write (server's BatchAppend:
 * NotHandled → a status with these messages and an empty detail, which the client can only
 * wrap as UnknownError "Could not recognize …").
 */
const NOT_HANDLED = /Server Is Not Ready|Server Is (Too )?Busy|No leader info available/i;
/** The client's cluster discovery gives up with a plain Error (discovery.js). */
const DISCOVERY_FAILED = /^Failed to discover after \d+ attempts/;
// gRPC status codes: 4 DEADLINE_EXCEEDED, 13 INTERNAL (RST_STREAM, a dropped HTTP/2 stream), 14 UNAVAILABLE.
const TRANSIENT_CODES = new Set([4, 13, 14]);
// 7 PERMISSION_DENIED, 16 UNAUTHENTICATED (the client maps 16 and "access-denied" to AccessDeniedError).
const DENIED_CODES = new Set([7, 16]);

/** Errors that mean "the store is not reachable or not serving right now": retry later. */
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
  if (!(error instanceof Error)) return false;
  if (error instanceof UnknownError && NOT_HANDLED.test(error.message)) return true;
  if (DISCOVERY_FAILED.test(error.message)) return true;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' && TRANSIENT_CODES.has(code);
}

export function isAccessDenied(error: unknown): boolean {
  if (error instanceof AccessDeniedError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && DENIED_CODES.has(code);
}

/** The port's error for a failed read: unavailable, access denied, or the error as it is. */
export function toReadError(error: unknown, operation: string): unknown {
  if (isAccessDenied(error)) return new EventStoreAccessDeniedError(operation);
  if (isUnavailable(error)) return new EventStoreUnavailableError((error as Error).message || (error as Error).name);
  return error;
}

/** The port's errors for what an append can fail with; anything else is passed on as it is. */
export function toPortError(error: unknown, streamId: string, expected: ExpectedRevision): unknown {
  if (error instanceof WrongExpectedVersionError) {
    return new WrongExpectedRevisionError(streamId, expected, fromCurrentRevision(error.actualVersion));
  }
  return toReadError(error, `appending to ${streamId}`);
}

/** The port's "actual": the revision of the stream's last event, -1 when there is none. */
export function fromCurrentRevision(current: CurrentRevision): number {
  return current === NO_STREAM || (typeof current === 'bigint' && current < 0n) ? -1 : revisionNumber(current);
}
