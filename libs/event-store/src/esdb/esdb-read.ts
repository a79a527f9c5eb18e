import type { StreamingRead } from './esdb-client';

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
      if (!take(item as E)) return count;
    }
    finished = true;
    return count;
  } finally {
    if (!finished) await read.cancel().catch(() => undefined);
  }
}
