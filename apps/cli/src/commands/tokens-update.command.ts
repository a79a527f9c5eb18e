import type { Command } from 'commander';
import type { TokenView } from '@ledger/tokens';
import { CliError } from '../cli-error';
import { parseMetadata, parseScopes, tokenPath, writeClient } from '../cli-options';
import type { SourceOptions } from '../ledger-source';
import { printToken } from '../token-details';

interface UpdateOptions {
  project: string;
  name?: string;
  metadata?: string;
  scopes?: string;
  expiresIn?: string;
  expiresAt?: string;
  json?: boolean;
}

export function tokensUpdateCommand(tokens: Command, sourceOptions: () => SourceOptions): void {
  tokens
    .command('update <tokenId>')
    .description('edit a token in place (needs --server): rename, replace metadata, narrow scopes, shorten expiry')
    .requiredOption('--project <projectId>', 'the project of the token')
    .option('--name <name>', 'a new name')
    .option('--metadata <json>', 'new metadata, replacing the old as a whole (a JSON object)')
    .option('--scopes <list>', "the scopes to keep, comma-separated ('' for none); never more than it has")
    .option('--expires-in <duration>', 'a new lifetime from now, ending no later than the current expiry')
    .option('--expires-at <time>', 'a new expiry (ISO-8601), no later than the current one')
    .option('--json', 'print the edited token as JSON')
    .action(async (tokenId: string, options: UpdateOptions) => {
      const body = {
        name: options.name,
        metadata: options.metadata === undefined ? undefined : parseMetadata(options.metadata),
        scopes: options.scopes === undefined ? undefined : parseScopes(options.scopes),
        expiresIn: options.expiresIn,
        expiresAt: options.expiresAt,
      };
      if (Object.values(body).every((value) => value === undefined)) {
        throw new CliError('tokens update needs at least one of --name, --metadata, --scopes, --expires-in, --expires-at');
      }
      const client = writeClient(sourceOptions(), 'tokens update');
      printToken(await client.send<TokenView>('PATCH', tokenPath(options.project, tokenId), body), !!options.json);
    });
}
