import type { Command } from 'commander';
import { join } from 'node:path';
import { asOfSnapshotEvery, TOKEN_SNAPSHOTS_FILE } from '@ledger/config';
import { readAllPages, type EventStore } from '@ledger/event-store';
import { replayTokens, TokenSnapshots, type TokenRow } from '@ledger/projections';
import { toTokenView, type TokenView } from '@ledger/tokens';
import { CliError, parseTime } from '../cli-error';
import { closeSource, openSource, type SourceOptions } from '../ledger-source';
import { printTokens } from '../token-table';

interface ReplayOptions {
  asOf: string;
  project?: string;
  all?: boolean;
  json?: boolean;
}

/**
 * The tokens as they stood at an instant, from a replay of the log (the token list projection's
 * fold over the events that took effect by then). Against a server the events come from its
 * audit export and are replayed here, so both sources answer with the same code.
 */
export async function tokensAsOf(options: SourceOptions, asOf: Date, projectId: string | undefined): Promise<TokenView[]> {
  if (asOf.getTime() > Date.now()) throw new CliError(`--as-of ${asOf.toISOString()} is in the future; history is known up to now`);
  const source = openSource(options);
  try {
    const rows =
      source.kind === 'server'
        ? await replayTokens(source.client.events({ projectId }), asOf, projectId)
        : await replayFromSnapshots(source.store, source.dataDir, asOf, projectId);
    rows.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
    return rows.map((row) => toTokenView(row, asOf));
  } finally {
    await closeSource(source);
  }
}

/** In the data directory, from the snapshots the server keeps there too (taken here if missing). */
async function replayFromSnapshots(store: EventStore, dataDir: string, asOf: Date, projectId: string | undefined): Promise<TokenRow[]> {
  let snapshots: TokenSnapshots;
  try {
    snapshots = TokenSnapshots.open(join(dataDir, TOKEN_SNAPSHOTS_FILE), store, { every: asOfSnapshotEvery(process.env.ASOF_SNAPSHOT_EVERY) });
  } catch {
    // A read-only data directory: the same answer, from position 0.
    return replayTokens(readAllPages(store), asOf, projectId);
  }
  try {
    return await snapshots.replay(asOf, projectId);
  } finally {
    await snapshots.close();
  }
}

export function replayCommand(program: Command, sourceOptions: () => SourceOptions): void {
  program
    .command('replay')
    .description('print the tokens valid at a past instant, replayed from the log')
    .requiredOption('--as-of <time>', 'ISO-8601 instant, e.g. 2026-03-01T00:00:00Z')
    .option('--project <projectId>', 'only this project')
    .option('--all', 'every token that existed then, whatever its status')
    .option('--json', 'JSON instead of a table')
    .action(async (options: ReplayOptions) => {
      const asOf = parseTime('--as-of', options.asOf);
      const tokens = await tokensAsOf(sourceOptions(), asOf, options.project);
      printTokens(options.all ? tokens : tokens.filter((t) => t.status === 'active'), !!options.json);
    });
}
