import { rmSync } from 'node:fs';
import type { EventStore } from '@ledger/event-store';
import { TokenListReadModel } from './token-list.read-model';

export interface RebuildProgress {
  events: number;
  position: number;
  head: number;
}

/**
 * Replays the whole store from position 0 into a fresh read model file. Nothing needs fsync
 * until the end: a rebuild interrupted half-way is simply started again.
 */
export async function rebuildTokenList(
  store: EventStore,
  file: string,
  onProgress?: (progress: RebuildProgress) => void,
  batchSize = 5000,
): Promise<{ events: number; position: number }> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  const head = await store.headPosition();
  const readModel = TokenListReadModel.open(file, { durable: false, deferIndexes: true });
  let position = 0;
  let events = 0;
  try {
    for (;;) {
      const batch = await store.readAll({ after: position, maxCount: batchSize });
      if (batch.length === 0) break;
      readModel.apply(batch);
      events += batch.length;
      position = batch[batch.length - 1].position;
      onProgress?.({ events, position, head });
    }
    readModel.createIndexes();
    readModel.db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    readModel.close();
  }
  return { events, position };
}
