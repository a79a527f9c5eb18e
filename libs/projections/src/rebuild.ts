import { renameSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { removeSqliteFile, type EventStore, type StreamRange } from '@ledger/event-store';
import { foldLog } from './fold-log';
import { foldRange, readsStreamRanges, type StreamRangeStore } from './fold-streams';
import { canStartRebuildWorkers, foldPartitions, MAX_WORKERS, type RebuildSource } from './partitioned-rebuild';
import { TokenListReadModel } from './token-list.read-model';

export type { RebuildSource } from './partitioned-rebuild';

export interface RebuildProgress {
  events: number;
  /** Every event up to this position is folded. In stream order: 0 until the end, then the head. */
  position: number;
  head: number;
  /** The order the log is read in: by position, or stream by stream (readStreamRange). */
  order: 'position' | 'stream';
}

/**
 * How far a rebuild is, against its head: the position folded through or, in stream order, where
 * no position is passed before the end, the events folded (at most one per position up to the head).
 */
export const rebuildDone = (p: RebuildProgress): number => (p.order === 'stream' && p.position < p.head ? Math.min(p.events, p.head) : p.position);

/** How far a rebuild is, in words, for a log line or a progress line. */
export const describeRebuild = (p: RebuildProgress): string =>
  `${p.events} events, ${p.order === 'stream' ? `stream by stream, of at most ${p.head}` : `position ${p.position} of ${p.head}`}`;

/** Rows held in memory before they are written, in a fold in global order (docs/performance.md, "Rebuild"). */
const ROWS_IN_MEMORY = 250_000;
/** Below this many events a thread's start (about 100 ms) costs more than it saves. */
const EVENTS_FOR_WORKERS = 20_000;
/**
 * Ranges cut per thread: threads claim them one at a time, so none waits long for the slowest
 * (docs/performance.md, "Several threads, ranges of streams claimed in turn").
 */
const RANGES_PER_THREAD = 8;

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
  /** Only for stores read in global order (memory, EventStoreDB): a fold in stream order holds two pages' rows at most. */
  rowsInMemory?: number;
  /**
   * Where worker threads open their own connection to the store. Given, with a store that reads
   * ranges of streams (SQLite, PostgreSQL), the log is folded by several threads at once.
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
  const order = readsStreamRanges(store) ? 'stream' : 'position';
  const report = (progress: { events: number; position: number }) => onProgress?.({ ...progress, head, order });
  const readModel = TokenListReadModel.openForRebuild(output);
  try {
    const result = readsStreamRanges(store)
      ? await foldInStreamOrder(store, readModel, output, head, { ...options, batchSize, report })
      : {
          ...(await foldLog((after, maxCount) => store.readAll({ after, maxCount }), readModel, {
            batchSize,
            rowsInMemory,
            onPage: (events, position) => report({ events, position }),
          })),
          threads: 1,
        };
    // SQLite's sorter may then use helper threads: a third off a million rows' indexes. It sorts
    // in runs no bigger than the cache (2 MB, SQLite's default), which the helpers sort side by side.
    readModel.db.pragma(`threads = ${Math.min(availableParallelism(), MAX_WORKERS)}`);
    readModel.createIndexes();
    readModel.seal();
    readModel.close();
    renameSync(output, file);
    return result;
  } catch (error) {
    // Nothing half-built stays behind: the next rebuild starts afresh.
    readModel.close();
    removeSqliteFile(output);
    throw error;
  }
}

const ALL_STREAMS: StreamRange = { from: null, to: null };

/** Ranges of streams claimed in turn by several threads (this one too), or all of them on this thread alone. */
async function foldInStreamOrder(
  store: StreamRangeStore,
  readModel: TokenListReadModel,
  output: string,
  head: number,
  options: RebuildOptions & { batchSize: number; report: (progress: { events: number; position: number }) => void },
): Promise<RebuildResult> {
  const { batchSize, report } = options;
  const workers = workersFor(head, options);
  const ranges = workers > 1 ? await store.splitStreams(workers * RANGES_PER_THREAD, head) : [ALL_STREAMS];
  const threads = Math.min(workers, ranges.length);
  const folded =
    threads > 1
      ? await foldPartitions(readModel, output, {
          store,
          source: options.source!,
          ranges,
          threads,
          head,
          batchSize,
          execArgv: options.workerExecArgv,
          onProgress: report,
        })
      : await foldRange(store, ALL_STREAMS, readModel, { batchSize, upTo: head, onPage: (events) => report({ events, position: 0 }) });
  return { ...folded, threads };
}

function workersFor(head: number, { source, workers, workerExecArgv }: RebuildOptions): number {
  if (!source || !canStartRebuildWorkers(workerExecArgv)) return 1;
  const wanted = workers ?? (head >= EVENTS_FOR_WORKERS ? availableParallelism() : 1);
  return Math.max(1, Math.min(wanted, MAX_WORKERS));
}
