import type { Command } from 'commander';
import type { TokenView } from '@ledger/tokens';
import { tokenPath, writeClient } from '../cli-options';
import type { SourceOptions } from '../ledger-source';
import { printToken } from '../token-details';

interface RevokeOptions {
  project: string;
  reason?: string;
  json?: boolean;
}

export function tokensRevokeCommand(tokens: Command, sourceOptions: () => SourceOptions): void {
  tokens
    .command('revoke <tokenId>')
    .description('revoke a token now (needs --server); revoking a revoked token changes nothing')
    .requiredOption('--project <projectId>', 'the project of the token')
    .option('--reason <text>', 'why, recorded in the history')
    .option('--json', 'print the revoked token as JSON')
    .action(async (tokenId: string, options: RevokeOptions) => {
      const client = writeClient(sourceOptions(), 'tokens revoke');
      const token = await client.send<TokenView>('DELETE', tokenPath(options.project, tokenId), undefined, { reason: options.reason });
      printToken(token, !!options.json);
    });
}
