import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { removeSqliteFile, type EventStoreLocation, type GlobalPosition, type StreamRange } from '@ledger/event-store';
import type { StreamRangeStore } from './fold-streams';
import { foldClaimedRanges, RangeClaims } from './range-claims';
import type { PartitionJob, PartitionMessage } from './rebuild-partition.worker';
import type { TokenListReadModel } from './token-list.read-model';

/** Where a worker thread opens its own connection to the store (it cannot share the caller's). */
export interface RebuildSource {
  location: EventStoreLocation;
  /** The embedded store's file, used when the location names no server. */
  sqliteFile: string;
}

export interface PartitionedRebuild {
  /** The caller's store, which this thread folds its ranges from. */
  store: StreamRangeStore;
  source: RebuildSource;
  /** EventStore.splitStreams: several a thread, each folded by the thread that claims it first. */
  ranges: StreamRange[];
  /** Threads that fold, this one included. */
  threads: number;
  head: GlobalPosition;
  batchSize: number;
  execArgv?: string[];
  onProgress?: (progress: { events: number; position: GlobalPosition }) => void;
}

// Built next to this file, in the same language (.js in dist, .ts under a TypeScript loader).
const WORKER_FILE = join(__dirname, `rebuild-partition.worker${extname(__filename)}`);

/**
 * Whether a worker can load its module here: always from the build; from TypeScript sources only
 * under a loader the thread inherits (ts-node in tests) or one given in `execArgv`.
 */
export function canStartRebuildWorkers(execArgv?: string[]): boolean {
  return extname(WORKER_FILE) === '.js' || execArgv !== undefined || require.extensions['.ts'] !== undefined;
}

/** The merge attaches one file per thread; SQLite attaches at most 10. */
export const MAX_WORKERS = 8;

export const partFile = (file: string, index: number): string => `${file}.part-${index}`;

/**
 * Folds the log up to `head` with `threads` threads: this one folds into `readModel` (new and
 * empty, open on `file`), worker threads each into its own file next to `file`, whose rows are
 * then copied into `readModel` with the checkpoint at `head`, in one transaction. Each thread
 * claims a range, folds it, then claims the next (RangeClaims): this thread starts on the first
 * range at once, and the workers join as their threads come up. The caller builds the indexes.
 */
export async function foldPartitions(
  readModel: TokenListReadModel,
  file: string,
  job: PartitionedRebuild,
): Promise<{ events: number; position: GlobalPosition }> {
  const parts = Array.from({ length: job.threads - 1 }, (_, index) => partFile(file, index + 1));
  const progress = Array.from({ length: job.threads }, () => ({ events: 0, position: 0, done: false }));
  const report = () =>
    job.onProgress?.({
      events: progress.reduce((sum, p) => sum + p.events, 0),
      // Every event up to the slowest thread's position is folded.
      position: Math.min(...progress.map((p) => (p.done ? job.head : p.position))),
    });
  const claims = RangeClaims.memory();
  const threads: Worker[] = [];
  let stopped = false;
  let here: Promise<unknown> = Promise.resolve();
  try {
    // Also what an interrupted rebuild with more threads left behind.
    for (let index = 0; index < MAX_WORKERS; index++) removeSqliteFile(partFile(file, index));
    const inThreads = parts.map((partFile, i) => {
      const index = i + 1;
      const partitionJob: PartitionJob = {
        // Only the two fields: a whole config object need not survive the copy to a thread.
        location: { eventStoreUrl: job.source.location.eventStoreUrl, databaseUrl: job.source.location.databaseUrl ?? null },
        sqliteFile: job.source.sqliteFile,
        ranges: job.ranges,
        claims,
        upTo: job.head,
        file: partFile,
        batchSize: job.batchSize,
      };
      // Through require, so that a TypeScript loader given in execArgv handles the .ts file.
      const thread = new Worker(`require(${JSON.stringify(WORKER_FILE)})`, { eval: true, workerData: partitionJob, execArgv: job.execArgv });
      threads.push(thread);
      return new Promise<void>((resolve, reject) => {
        thread.on('message', (message: PartitionMessage) => {
          progress[index] = message;
          report();
          if (message.done) resolve();
        });
        thread.once('error', reject);
        thread.once('exit', (code) => reject(new Error(`rebuild thread ${index} of ${job.threads} stopped (exit code ${code}) before the end`)));
      });
    });
    here = foldClaimedRanges(job.store, new RangeClaims(claims, job.ranges), readModel, {
      batchSize: job.batchSize,
      upTo: job.head,
      onPage: (events) => {
        progress[0] = { events, position: 0, done: false };
        report();
      },
      // A failed thread fails the rebuild: this fold stops at its next page.
      stopped: () => stopped,
    }).then((events) => {
      progress[0] = { events, position: job.head, done: true };
      report();
    });
    await Promise.all([here, ...inThreads]);
    readModel.copyRowsFrom(parts, job.head);
    return { events: progress.reduce((sum, p) => sum + p.events, 0), position: job.head };
  } finally {
    stopped = true;
    await here.catch(() => undefined);
    // A failed thread leaves the others running: they stop here, before their files go.
    await Promise.all(threads.map((thread) => thread.terminate()));
    parts.forEach(removeSqliteFile);
  }
}
