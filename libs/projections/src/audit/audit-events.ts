import { readAllPages, type EventStore, type RecordedEvent } from '@ledger/event-store';
import { matchesAuditFilter, type AuditFilter } from './audit-filter';

export interface AuditPage {
  items: RecordedEvent[];
  /** The `after` of the following page; null when the log has nothing after this page. */
  next: number | null;
}

export interface AuditPageOptions {
  after?: number;
  limit: number;
  /**
   * Most events one request reads while looking for matches: a rare filter then answers with
   * fewer items (even none) and a `next` to go on from, instead of scanning the whole log at once.
   */
  scanLimit?: number;
}

/**
 * One page of the log in global order. A token's events come from its own stream (the store's
 * index); other filters scan the global stream through the port, page by page.
 */
export async function readAuditPage(store: EventStore, filter: AuditFilter, { after = 0, limit, scanLimit = 10_000 }: AuditPageOptions): Promise<AuditPage> {
  if (filter.tokenId !== undefined) {
    const events = (await store.readStream(`token-${filter.tokenId}`)).filter((e) => e.position > after && matchesAuditFilter(e, filter));
    const items = events.slice(0, limit);
    return { items, next: events.length > limit ? items[items.length - 1].position : null };
  }
  const unfiltered = Object.values(filter).every((v) => v === undefined);
  const items: RecordedEvent[] = [];
  let scanned = 0;
  let last = after;
  for await (const page of readAllPages(store, { after, pageSize: unfiltered ? limit : 1000 })) {
    for (const event of page) {
      last = event.position;
      scanned++;
      if (matchesAuditFilter(event, filter)) items.push(event);
      if (items.length === limit || scanned >= scanLimit) {
        return { items, next: last < (await store.headPosition()) ? last : null };
      }
    }
  }
  return { items, next: null };
}

/** Every matching event up to `until`, page by page, in global order. */
export async function* auditEvents(store: EventStore, filter: AuditFilter, until: number): AsyncGenerator<RecordedEvent[]> {
  if (filter.tokenId !== undefined) {
    yield (await store.readStream(`token-${filter.tokenId}`)).filter((e) => e.position <= until && matchesAuditFilter(e, filter));
    return;
  }
  for await (const page of readAllPages(store, { until })) {
    const matching = page.filter((e) => matchesAuditFilter(e, filter));
    if (matching.length > 0) yield matching;
  }
}
