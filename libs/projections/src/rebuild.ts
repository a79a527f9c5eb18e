import { renameSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { removeSqliteFile, type EventStore } from '@ledger/event-store';
import { foldLog } from './fold-log';
import { canStartRebuildWorkers, foldPartitions, MAX_WORKERS, type RebuildSource } from './partitioned-rebuild';
import { TokenListReadModel } from './token-list.read-model';

export type { RebuildSource } from './partitioned-rebuild';

export interface RebuildProgress {
  events: number;
  position: number;
  head: number;
}

/** Rows held in memory before they are written, over all threads (docs/performance.md, "Rebuild"). */
const ROWS_IN_MEMORY = 250_000;
/** Below this many events a thread's start (about 100 ms) costs more than it saves. */
const EVENTS_FOR_WORKERS = 20_000;

export interface RebuildResult {
  events: number;
  /** The checkpoint the rebuilt read model holds. */
  position: number;
  /** Threads that folded the log. */
  threads: number;
}

export interface RebuildOptions {
  onProgress?: (progress: RebuildProgress) => void;
  batchSize?: number;
  rowsInMemory?: number;
  /**
   * Where worker threads open their own connection to the store. Given, with a store that reads
   * stream partitions (SQLite, PostgreSQL), the log is folded by several threads at once.
   */
  source?: RebuildSource;
  /** Threads to fold with (default: one per core, one only for small ledgers). */
  workers?: number;
  /** Node options for the threads: only for running them from TypeScript sources (tests). */
  workerExecArgv?: string[];
}

/** Where a rebuild writes until it is complete: only a finished file ever has the read model's name. */
export const rebuildingFile = (file: string): string => `${file}.rebuilding`;

/**
 * Replays the whole store from position 0 into a fresh read model file. Nothing needs fsync or a
 * journal: the file is written under another name and renamed into place when complete, and a
 * rebuild interrupted half-way is simply started again.
 */
export async function rebuildTokenList(store: EventStore, file: string, options: RebuildOptions = {}): Promise<RebuildResult> {
  const { onProgress, batchSize = 1000, rowsInMemory = ROWS_IN_MEMORY } = options;
  const output = rebuildingFile(file);
  removeSqliteFile(file);
  removeSqliteFile(output);
  const head = await store.headPosition();
  const workers = workersFor(store, head, options);
  const readModel = TokenListReadModel.openForRebuild(output);
  try {
    const result =
      workers > 1
        ? await foldPartitions(readModel, output, {
            source: options.source!,
            workers,
            head,
            batchSize,
            rowsInMemory: Math.ceil(rowsInMemory / workers),
            execArgv: options.workerExecArgv,
            onProgress,
          })
        : await foldLog((after, maxCount) => store.readAll({ after, maxCount }), readModel, {
            batchSize,
            rowsInMemory,
            onPage: (events, position) => onProgress?.({ events, position, head }),
          });
    // SQLite's sorter may then use helper threads: a third off a million rows' indexes.
    readModel.db.pragma(`threads = ${Math.min(availableParallelism(), MAX_WORKERS)}`);
    readModel.createIndexes();
    readModel.seal();
    readModel.close();
    renameSync(output, file);
    return { ...result, threads: workers };
  } catch (error) {
    // Nothing half-built stays behind: the next rebuild starts afresh.
    readModel.close();
    removeSqliteFile(output);
    throw error;
  }
}

function workersFor(store: EventStore, head: number, { source, workers, workerExecArgv }: RebuildOptions): number {
  if (!source || !store.readPartition || !canStartRebuildWorkers(workerExecArgv)) return 1;
  const wanted = workers ?? (head >= EVENTS_FOR_WORKERS ? availableParallelism() : 1);
  return Math.max(1, Math.min(wanted, MAX_WORKERS));
}
