import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EventStore, GlobalPosition, RecordedEvent } from './event-store.port';

export interface ReadAllPagesOptions {
  /** Exclusive start position (default: from the beginning). */
  after?: GlobalPosition;
  /** Inclusive end: events after it are not read (default: no bound). */
  until?: GlobalPosition;
  pageSize?: number;
}

/**
 * The global stream as consecutive pages through the port, so every adapter serves it the same
 * way and memory holds one page at a time whatever the ledger's size. Between pages it lets the
 * event loop run: a verify or replay of a large ledger must not stall the server's requests
 * (an embedded store answers a page without ever yielding).
 */
export async function* readAllPages(
  store: EventStore,
  { after = 0, until = Number.POSITIVE_INFINITY, pageSize = 1000 }: ReadAllPagesOptions = {},
): AsyncGenerator<RecordedEvent[]> {
  let position = after;
  while (position < until) {
    const page = await store.readAll({ after: position, maxCount: pageSize });
    if (page.length === 0) return;
    const inRange = page[page.length - 1].position <= until ? page : page.filter((e) => e.position <= until);
    if (inRange.length > 0) yield inRange;
    if (inRange.length < page.length) return;
    position = page[page.length - 1].position;
    await nextTurn();
  }
}
