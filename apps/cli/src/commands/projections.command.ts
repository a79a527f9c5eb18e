import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { join } from 'node:path';
import { describeRebuild, lockDataDir, rebuildDone, rebuildTokenList, type RebuildProgress } from '@ledger/projections';
import { READ_MODEL_FILE } from '@ledger/config';
import { openDataDir, refuseServer, type SourceOptions } from '../ledger-source';

/** A bar on a terminal; elsewhere (CI logs, pipes) a plain line every 10% instead of redraws. */
function progressReporter(): { update(p: RebuildProgress): void; stop(): void } {
  if (process.stderr.isTTY) {
    const bar = new SingleBar({ stream: process.stderr, format: 'rebuilding token list [{bar}] {percentage}% {value}/{total} {unit}' }, Presets.shades_classic);
    let started = false;
    return {
      update: (p) => {
        // In stream order the bar counts events, at most one per position up to the head.
        if (!started) bar.start(Math.max(p.head, 1), 0, { unit: p.order === 'stream' ? 'events' : 'positions' });
        started = true;
        bar.update(rebuildDone(p));
      },
      stop: () => started && bar.stop(),
    };
  }
  let nextReport = 0;
  return {
    update: (p) => {
      const percent = p.head ? Math.floor((rebuildDone(p) / p.head) * 100) : 100;
      if (percent < nextReport) return;
      process.stderr.write(`rebuilding token list: ${describeRebuild(p)} (${percent}%)\n`);
      nextReport = percent + 10;
    },
    stop: () => undefined,
  };
}

/** Replays the whole log into a fresh token list read model. Stop the server first: it holds the file. */
async function rebuild(options: SourceOptions, json: boolean): Promise<void> {
  refuseServer(options, 'projections rebuild');
  const { dataDir, store, source } = openDataDir(options);
  // The server's lock: rebuilding under a running server would replace the file it writes to.
  let lock: ReturnType<typeof lockDataDir>;
  try {
    lock = lockDataDir(dataDir, 'api');
  } catch (error) {
    await store.close();
    throw error;
  }
  const progress = progressReporter();
  try {
    const started = Date.now();
    const result = await rebuildTokenList(store, join(dataDir, READ_MODEL_FILE), { source, onProgress: (p) => progress.update(p) });
    progress.stop();
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      json
        ? JSON.stringify({ events: result.events, position: result.position, threads: result.threads, seconds }) + '\n'
        : `Rebuilt the token list from ${result.events} events (up to position ${result.position}) in ${seconds.toFixed(1)} s on ${result.threads} thread${result.threads === 1 ? '' : 's'}\n`,
    );
  } finally {
    await store.close();
    lock.release();
  }
}

export function projectionsCommand(program: Command, sourceOptions: () => SourceOptions): void {
  program
    .command('projections')
    .description('read models derived from the log')
    .command('rebuild')
    .description('rebuild the token list read model from position 0 (stop the server first)')
    .option('--json', 'print {events, position, threads, seconds} as JSON')
    .action((options: { json?: boolean }) => rebuild(sourceOptions(), !!options.json));
}
