import type { GlobalPosition, PartitionEvent } from '@ledger/event-store';
import type { TokenRow } from './token-list.projection';
import type { TokenListReadModel } from './token-list.read-model';

export interface FoldLogOptions {
  batchSize: number;
  /** Rows held in memory before they are written (and from then on looked up in the file). */
  rowsInMemory: number;
  /** Last position to fold: later events are left to the projector (default: to the end). */
  upTo?: GlobalPosition;
  onPage?: (events: number, position: GlobalPosition) => void;
}

/**
 * Folds pages of events into a read model file without fsync, each token written once. Rows are
 * gathered in memory up to a bound (revokes or rotations of tokens folded earlier then need no
 * read) and written when it is reached and at the end, which keeps memory flat for ledgers of any
 * size. Pages stay small (1,000 events) so that each dies young: larger ones outlive V8's young
 * generation and the garbage collector then costs more than the reading.
 */
export async function foldLog(
  readPage: (after: GlobalPosition, maxCount: number) => Promise<PartitionEvent[]>,
  readModel: TokenListReadModel,
  { batchSize, rowsInMemory, upTo = Number.POSITIVE_INFINITY, onPage }: FoldLogOptions,
): Promise<{ events: number; position: GlobalPosition }> {
  let rows = new Map<string, TokenRow | null>();
  let position = 0;
  let events = 0;
  let next = prefetch(readPage, 0, batchSize);
  for (;;) {
    const page = await next;
    if (page.length === 0) break;
    const pastEnd = page[page.length - 1].position >= upTo;
    // A server store reads the next page while this one is folded (no idle round trip).
    if (!pastEnd) next = prefetch(readPage, page[page.length - 1].position, batchSize);
    const batch = pastEnd ? page.filter((event) => event.position <= upTo) : page;
    if (batch.length > 0) {
      readModel.fold(batch, rows);
      events += batch.length;
      position = batch[batch.length - 1].position;
      if (rows.size >= rowsInMemory) {
        // From now on rows are also looked up and updated in the file: that needs the id index.
        readModel.write(rows, position);
        readModel.createIdIndex();
        rows = new Map();
      }
      onPage?.(events, position);
    }
    if (pastEnd) break;
  }
  readModel.write(rows, position);
  return { events, position };
}

/** A page asked for ahead: awaited in turn, and no unhandled rejection if the fold stops first. */
export function prefetch<After, Page>(readPage: (after: After, maxCount: number) => Promise<Page>, after: After, maxCount: number): Promise<Page> {
  const page = readPage(after, maxCount);
  page.catch(() => undefined);
  return page;
}
