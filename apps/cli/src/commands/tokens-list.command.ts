import type { Command } from 'commander';
import type { TokenPage, TokenView } from '@ledger/tokens';
import { CliError } from '../cli-error';
import { ServerClient } from '../server-client';
import type { SourceOptions } from '../ledger-source';
import { printTokens } from '../token-table';
import { tokensAsOf } from './replay.command';

const STATUSES = ['active', 'revoked', 'expired', 'all'];

interface ListOptions {
  project?: string;
  status: string;
  json?: boolean;
}

/** Every page of a project's token list from a running server. */
async function listFromServer(client: ServerClient, projectId: string, status: string): Promise<TokenView[]> {
  const tokens: TokenView[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.json<TokenPage>(`/v1/projects/${encodeURIComponent(projectId)}/tokens`, { status, limit: 200, cursor });
    tokens.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return tokens;
}

export function tokensListCommand(tokens: Command, sourceOptions: () => SourceOptions): void {
  tokens
    .command('list')
    .description('list tokens (from the data directory: a replay of the log up to now)')
    .option('--project <projectId>', 'only this project (required with --server)')
    .option('--status <status>', `one of ${STATUSES.join(', ')}`, 'all')
    .option('--json', 'JSON instead of a table')
    .action(async (options: ListOptions) => {
      if (!STATUSES.includes(options.status)) throw new CliError(`--status must be one of ${STATUSES.join(', ')} (got "${options.status}")`);
      const source = sourceOptions();
      let list: TokenView[];
      if (source.server) {
        if (!options.project) throw new CliError('--project is needed with --server (the API lists one project at a time)');
        list = await listFromServer(new ServerClient(source.server, source.token ?? process.env.LEDGER_TOKEN), options.project, options.status);
      } else {
        list = (await tokensAsOf(source, new Date(), options.project)).filter((t) => options.status === 'all' || t.status === options.status);
      }
      printTokens(list, !!options.json);
    });
}
