import type { Command } from 'commander';
import type { IssuedTokenView } from '@ledger/tokens';
import { parseMetadata, parseScopes, writeClient } from '../cli-options';
import type { SourceOptions } from '../ledger-source';
import { printIssued } from '../token-details';

interface CreateOptions {
  project: string;
  name: string;
  scopes: string;
  type?: string;
  owner?: string;
  expiresIn?: string;
  expiresAt?: string;
  metadata?: string;
  json?: boolean;
  quiet?: boolean;
}

export function tokensCreateCommand(tokens: Command, sourceOptions: () => SourceOptions): void {
  tokens
    .command('create')
    .description('issue a token (needs --server); its value is printed once')
    .requiredOption('--project <projectId>', 'the project the token belongs to')
    .requiredOption('--name <name>', 'what the token is for, 1-200 characters')
    .option('--scopes <list>', 'comma-separated scopes, e.g. orders:read,tokens:read', '')
    .option('--type <type>', 'project, integration or personal', 'project')
    .option('--owner <ownerId>', 'the owner of a personal token')
    .option('--expires-in <duration>', 'lifetime: 30m, 24h, 90d, 1y or seconds')
    .option('--expires-at <time>', 'absolute expiry (ISO-8601) instead of --expires-in')
    .option('--metadata <json>', 'a JSON object of at most 4 KB')
    .option('--json', 'print {token, value} as JSON')
    .option('--quiet', 'print the value alone (for scripts: VALUE=$(ledger tokens create … --quiet))')
    .action(async (options: CreateOptions) => {
      const client = writeClient(sourceOptions(), 'tokens create');
      const body = {
        name: options.name,
        scopes: parseScopes(options.scopes),
        type: options.type,
        ownerId: options.owner,
        expiresIn: options.expiresIn,
        expiresAt: options.expiresAt,
        metadata: options.metadata === undefined ? undefined : parseMetadata(options.metadata),
      };
      const issued = await client.send<IssuedTokenView>('POST', `/v1/projects/${encodeURIComponent(options.project)}/tokens`, body);
      printIssued(issued, options, `Created token ${issued.token.id} in project ${issued.token.projectId}.`);
    });
}
