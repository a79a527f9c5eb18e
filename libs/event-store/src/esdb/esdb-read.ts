import {
  BACKWARDS,
  DeadlineExceededError,
  END,
  FORWARDS,
  START,
  type AllStreamResolvedEvent,
  type EsdbClient,
  type Position,
  type StreamingRead,
} from './esdb-client';
import type { GlobalPosition, RecordedEvent } from '../event-store.port';
import { isLedgerEvent, toEsdbPosition, toRecorded } from './esdb-mapping';

/** Events asked of the server per read of $all: each gRPC read is bounded (the client's default is not). */
const ALL_PAGE = 512;
const HEAD_PAGE = 128;

/**
 * Reads to the end, or until `take` answers false or throws. A loop that stops early cancels the
 * gRPC call: leaving the loop only pauses it, and a paused read has no deadline, so it would hold
 * one of the connection's streams open on the server until the stream limit is reached.
 * Resolves with the number of items read.
 */
export async function drain<E>(read: StreamingRead<E>, take: (item: E) => boolean): Promise<number> {
  let count = 0;
  let finished = false;
  try {
    for await (const item of read) {
      count++;
      if (!take(item)) return count;
    }
    finished = true;
    return count;
  } finally {
    if (!finished) await read.cancel().catch(() => undefined);
  }
}

/** `promise`, or the client's deadline error once `ms` have passed (for calls the client sends without one). */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(undefined, `${what}: no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Up to `maxCount` ledger events after `after`, in $all order. $all holds other writers' and
 * system events too (and the client sends no filter with a read), so the server pages and this
 * filters. Throws the client's errors.
 */
export async function readLedgerPage(client: EsdbClient, prefixes: readonly string[], after: GlobalPosition, maxCount: number): Promise<RecordedEvent[]> {
  const page = Number.isFinite(maxCount) ? Math.min(ALL_PAGE, maxCount + 16) : ALL_PAGE;
  const events: RecordedEvent[] = [];
  let from: Position | typeof START = after > 0 ? toEsdbPosition(after) : START;
  // A read from a position includes the event there: the port's `after` does not, nor does the
  // next page include the last event of the one before.
  let seen = BigInt(after);
  for (;;) {
    let last: Position | undefined;
    const read = client.readAll({ fromPosition: from, direction: FORWARDS, maxCount: page, requiresLeader: true });
    const count = await drain(read, ({ event }: AllStreamResolvedEvent) => {
      if (!event?.position || event.position.commit <= seen) return true;
      last = event.position;
      seen = event.position.commit;
      if (!isLedgerEvent(event, prefixes)) return true;
      events.push(toRecorded(event));
      return events.length < maxCount;
    });
    if (events.length >= maxCount || count < page || !last) return events;
    from = last;
  }
}

/** The position of the last ledger event in $all, 0 when there is none. Throws the client's errors. */
export async function readLedgerHead(client: EsdbClient, prefixes: readonly string[]): Promise<GlobalPosition> {
  let from: Position | typeof END = END;
  let seen: bigint | undefined;
  for (;;) {
    let head: GlobalPosition | undefined;
    let last: Position | undefined;
    const read = client.readAll({ fromPosition: from, direction: BACKWARDS, maxCount: HEAD_PAGE, requiresLeader: true });
    const count = await drain(read, ({ event }: AllStreamResolvedEvent) => {
      // Whether a read from a position includes it or not, a page never repeats what was seen.
      if (!event?.position || (seen !== undefined && event.position.commit >= seen)) return true;
      last = event.position;
      seen = event.position.commit;
      if (!isLedgerEvent(event, prefixes)) return true;
      head = toRecorded(event).position;
      return false;
    });
    if (head !== undefined) return head;
    if (count < HEAD_PAGE || !last) return 0;
    from = last;
  }
}
