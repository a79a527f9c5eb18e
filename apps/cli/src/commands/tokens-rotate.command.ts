import type { Command } from 'commander';
import type { RotatedTokenView } from '@ledger/tokens';
import { tokenPath, writeClient } from '../cli-options';
import type { SourceOptions } from '../ledger-source';
import { printIssued } from '../token-details';

interface RotateOptions {
  project: string;
  gracePeriod?: string;
  expiresIn?: string;
  json?: boolean;
  quiet?: boolean;
}

export function tokensRotateCommand(tokens: Command, sourceOptions: () => SourceOptions): void {
  tokens
    .command('rotate <tokenId>')
    .description('replace a token by a new one with the same name, scopes and metadata (needs --server); the new value is printed once')
    .requiredOption('--project <projectId>', 'the project of the token')
    .option('--grace-period <duration>', 'how long the old token keeps working (0 ends it now, at most 30d; default 24h)')
    .option('--expires-in <duration>', "the new token's lifetime (default: the old token's expiry)")
    .option('--json', 'print {token, value, previous} as JSON')
    .option('--quiet', 'print the new value alone')
    .action(async (tokenId: string, options: RotateOptions) => {
      const client = writeClient(sourceOptions(), 'tokens rotate');
      const body = { gracePeriod: options.gracePeriod, expiresIn: options.expiresIn };
      const rotated = await client.send<RotatedTokenView>('POST', `${tokenPath(options.project, tokenId)}/rotate`, body);
      printIssued(rotated, options, `Rotated ${tokenId} to ${rotated.token.id}.`);
    });
}
