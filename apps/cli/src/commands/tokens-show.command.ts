import type { Command } from 'commander';
import type { TokenView } from '@ledger/tokens';
import { CliError, parseTime } from '../cli-error';
import { tokenPath } from '../cli-options';
import { EXIT } from '../exit-codes';
import { ServerClient } from '../server-client';
import type { SourceOptions } from '../ledger-source';
import { printToken } from '../token-details';
import { tokensAsOf } from './replay.command';

interface ShowOptions {
  project: string;
  asOf?: string;
  json?: boolean;
}

/** From a server its API; from the data directory a replay of the log (up to now, or --as-of). */
async function showToken(source: SourceOptions, tokenId: string, options: ShowOptions): Promise<TokenView> {
  const asOf = options.asOf === undefined ? undefined : parseTime('--as-of', options.asOf);
  if (source.server) {
    const client = new ServerClient(source.server, source.token ?? process.env.LEDGER_TOKEN);
    return client.json<TokenView>(tokenPath(options.project, tokenId), { asOf: asOf?.toISOString() });
  }
  const token = (await tokensAsOf(source, asOf ?? new Date(), options.project)).find((t) => t.id === tokenId);
  if (!token) throw new CliError(`token ${tokenId} does not exist in project ${options.project}${asOf ? ` at ${asOf.toISOString()}` : ''}`, EXIT.notFound);
  return token;
}

export function tokensShowCommand(tokens: Command, sourceOptions: () => SourceOptions): void {
  tokens
    .command('show <tokenId>')
    .description('one token: status, scopes, expiry, last use (never its value)')
    .requiredOption('--project <projectId>', 'the project of the token')
    .option('--as-of <time>', 'as it stood at this past instant (ISO-8601)')
    .option('--json', 'JSON instead of field: value lines')
    .action(async (tokenId: string, options: ShowOptions) => printToken(await showToken(sourceOptions(), tokenId, options), !!options.json));
}
