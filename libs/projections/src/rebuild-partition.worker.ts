/**
 * A worker thread of a parallel rebuild (partitioned-rebuild.ts): it opens its own connection to
 * the store, then folds ranges of streams, one after the other as it claims them, into its own
 * file, and reports its progress.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openEventStore, type EventStoreLocation, type GlobalPosition, type StreamRange } from '@ledger/event-store';
import { readsStreamRanges } from './fold-streams';
import { foldClaimedRanges, RangeClaims } from './range-claims';
import { TokenListReadModel } from './token-list.read-model';

export interface PartitionJob {
  location: EventStoreLocation;
  sqliteFile: string;
  /** Every range of the rebuild (EventStore.splitStreams), read in stream order. */
  ranges: StreamRange[];
  /** Shared by all the rebuild's threads: each range is folded by the thread that claims it. */
  claims: SharedArrayBuffer;
  upTo: GlobalPosition;
  file: string;
  batchSize: number;
}

/** What the thread posts: progress after each page, then its totals. */
export type PartitionMessage = { events: number; position: GlobalPosition; done: boolean };

async function foldPartition(job: PartitionJob, post: (message: PartitionMessage) => void): Promise<{ events: number; position: GlobalPosition }> {
  const store = openEventStore(job.location, job.sqliteFile);
  const readModel = TokenListReadModel.openForRebuild(job.file);
  try {
    // A source that names another (or an empty, just created) store would fold too little, silently.
    const head = await store.headPosition();
    if (head < job.upTo) throw new Error(`the store a rebuild thread opened ends at position ${head}, before ${job.upTo}: not the store being rebuilt`);
    if (!readsStreamRanges(store)) throw new Error('this event store cannot read a range of streams');
    // In stream order no position is folded through before the end.
    const onPage = (events: number) => post({ events, position: 0, done: false });
    const claims = new RangeClaims(job.claims, job.ranges);
    const events = await foldClaimedRanges(store, claims, readModel, { batchSize: job.batchSize, upTo: job.upTo, onPage });
    return { events, position: job.upTo };
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
