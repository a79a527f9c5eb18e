/**
 * A worker thread of a parallel rebuild (partitioned-rebuild.ts): it opens its own connection to
 * the store, folds one stream partition of the log into its own file and reports its progress.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openEventStore, type EventStoreLocation, type GlobalPosition, type StreamPartition } from '@ledger/event-store';
import { foldLog } from './fold-log';
import { TokenListReadModel } from './token-list.read-model';

export interface PartitionJob {
  location: EventStoreLocation;
  sqliteFile: string;
  partition: StreamPartition;
  upTo: GlobalPosition;
  file: string;
  batchSize: number;
  rowsInMemory: number;
}

/** What the thread posts: progress after each page, then its totals. */
export type PartitionMessage = { events: number; position: GlobalPosition; done: boolean };

async function foldPartition(job: PartitionJob, post: (message: PartitionMessage) => void): Promise<{ events: number; position: GlobalPosition }> {
  const store = openEventStore(job.location, job.sqliteFile);
  const readModel = TokenListReadModel.openForRebuild(job.file);
  try {
    if (!store.readPartition) throw new Error('this event store cannot read a stream partition');
    // A source that names another (or an empty, just created) store would fold too little, silently.
    const head = await store.headPosition();
    if (head < job.upTo) throw new Error(`the store a rebuild thread opened ends at position ${head}, before ${job.upTo}: not the store being rebuilt`);
    const readPartition = store.readPartition.bind(store);
    return await foldLog((after, maxCount) => readPartition(job.partition, { after, maxCount }), readModel, {
      batchSize: job.batchSize,
      rowsInMemory: job.rowsInMemory,
      upTo: job.upTo,
      onPage: (events, position) => post({ events, position, done: false }),
    });
  } finally {
    readModel.close();
    await store.close();
  }
}

// Done only once the file is closed; thrown, the error ends the thread and reaches the parent's
// 'error' listener.
if (parentPort) {
  const post = (message: PartitionMessage) => parentPort!.postMessage(message);
  void foldPartition(workerData as PartitionJob, post).then((totals) => post({ ...totals, done: true }));
}
