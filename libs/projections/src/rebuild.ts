import { rmSync } from 'node:fs';
import type { EventStore } from '@ledger/event-store';
import type { TokenRow } from './token-list.projection';
import { TokenListReadModel } from './token-list.read-model';

export interface RebuildProgress {
  events: number;
  position: number;
  head: number;
}

/**
 * Rows are folded in memory and written when this many have gathered (and at the end): each
 * token is then written once instead of once per event, and revokes or rotations of tokens
 * folded earlier need no read. The bound keeps memory flat for ledgers of any size.
 */
const ROWS_IN_MEMORY = 250_000;

export interface RebuildOptions {
  onProgress?: (progress: RebuildProgress) => void;
  batchSize?: number;
  rowsInMemory?: number;
}

/**
 * Replays the whole store from position 0 into a fresh read model file. Nothing needs fsync
 * until the end: a rebuild interrupted half-way is simply started again. Pages stay small
 * (1,000 events) so that each dies young: larger ones outlive V8's young generation and the
 * garbage collector then costs more than the reading.
 */
export async function rebuildTokenList(
  store: EventStore,
  file: string,
  { onProgress, batchSize = 1000, rowsInMemory = ROWS_IN_MEMORY }: RebuildOptions = {},
): Promise<{ events: number; position: number }> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  const head = await store.headPosition();
  const readModel = TokenListReadModel.open(file, { durable: false, deferIndexes: true });
  let rows = new Map<string, TokenRow | null>();
  let position = 0;
  let events = 0;
  try {
    for (;;) {
      const batch = await store.readAll({ after: position, maxCount: batchSize });
      if (batch.length === 0) break;
      readModel.fold(batch, rows);
      events += batch.length;
      position = batch[batch.length - 1].position;
      if (rows.size >= rowsInMemory) {
        // From now on rows are also looked up and updated in the file: that needs the id index.
        readModel.write(rows, position);
        readModel.createIdIndex();
        rows = new Map();
      }
      onProgress?.({ events, position, head });
    }
    readModel.write(rows, position);
    readModel.createIndexes();
    readModel.db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    readModel.close();
  }
  return { events, position };
}
