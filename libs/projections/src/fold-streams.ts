import type { EventStore, GlobalPosition, StreamCursor, StreamRange, StreamRangeEvent } from '@ledger/event-store';
import { isTokenEvent } from '@ledger/token-domain';
import { prefetch } from './fold-log';
import { tokenRowId, type TokenRow } from './token-list.projection';
import type { TokenListReadModel } from './token-list.read-model';

/** A store that reads ranges of streams (SQLite, PostgreSQL): a rebuild folds it in stream order. */
export type StreamRangeStore = EventStore & Required<Pick<EventStore, 'splitStreams' | 'readStreamRange'>>;

export const readsStreamRanges = (store: EventStore): store is StreamRangeStore => store.splitStreams !== undefined && store.readStreamRange !== undefined;

export interface FoldStreamsOptions {
  batchSize: number;
  /** The position the read stops at, the file's checkpoint once folded. */
  upTo: GlobalPosition;
  onPage?: (events: number) => void;
}

/**
 * Folds pages read in stream order (EventStore.readStreamRange) into a new read model file. Each
 * stream's events come one after the other, so a row is complete once its stream ends: rows are
 * written page by page, each once, and only the rows of the stream a page ends in wait for the
 * next page. Nothing is looked up in the file and no row lives longer than two pages, where a
 * fold in global order holds every row until the end (docs/performance.md, "Rebuild in stream order").
 */
export async function foldStreams(
  readPage: (after: StreamCursor | undefined, maxCount: number) => Promise<StreamRangeEvent[]>,
  readModel: TokenListReadModel,
  { batchSize, upTo, onPage }: FoldStreamsOptions,
): Promise<{ events: number; position: GlobalPosition }> {
  let carried = new Map<string, TokenRow | null>();
  let events = 0;
  let next = prefetch(readPage, undefined, batchSize);
  for (;;) {
    const page = await next;
    if (page.length === 0) break;
    const last = page[page.length - 1];
    next = prefetch(readPage, { streamId: last.streamId, revision: last.revision }, batchSize);
    const rows = readModel.fold(page, carried);
    carried = new Map();
    for (let i = page.length - 1; i >= 0 && page[i].streamId === last.streamId; i--) {
      const event = page[i];
      if (!isTokenEvent(event)) continue;
      const id = tokenRowId(event);
      if (rows.has(id)) carried.set(id, rows.get(id)!);
      rows.delete(id);
    }
    // The checkpoint means nothing before the end: the file is put in place only once complete.
    readModel.write(rows, 0);
    events += page.length;
    onPage?.(events);
  }
  readModel.write(carried, upTo);
  return { events, position: upTo };
}

/**
 * Folds one range of `store`'s streams up to `upTo`. Once `stopped` says so (another thread of the
 * same rebuild failed), the fold fails at its next page instead of reading on.
 */
export function foldRange(
  store: StreamRangeStore,
  range: StreamRange,
  readModel: TokenListReadModel,
  options: FoldStreamsOptions & { stopped?: () => boolean },
): Promise<{ events: number; position: GlobalPosition }> {
  const readPage = (after: StreamCursor | undefined, maxCount: number) =>
    options.stopped?.() ? Promise.reject(new Error('the rebuild stopped')) : store.readStreamRange(range, { after, maxCount, upTo: options.upTo });
  return foldStreams(readPage, readModel, options);
}
