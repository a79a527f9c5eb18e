import { DeadlineExceededError, type StreamingRead } from './esdb-client';

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

/** `promise`, or the client's deadline error once `ms` have passed (for calls the client sends without one). */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(undefined, `${what}: no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
