import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { handleCommand, hasTokenEvents, type CommandContext } from '@ledger/event-store';
import { createRootToken, tokenDecider, tokenStreamId } from '@ledger/token-domain';
import { mintToken } from '@ledger/tokens';
import { CliError } from '../cli-error';
import { openDataDir, refuseServer, type SourceOptions } from '../ledger-source';

const cliContext = (): CommandContext => ({
  actor: { type: 'cli', id: userInfo().username || 'unknown' },
  requestId: null,
  ip: null,
  userAgent: 'ledger-cli',
  correlationId: null,
  causationId: null,
});

/**
 * Creates a root token in the data directory and prints it once, as the server's first start
 * does. On a ledger that already has events it needs --force: that is the recovery path for an
 * operator with access to the files who lost the root token (the event names the OS user).
 */
async function bootstrap(options: SourceOptions, force: boolean, json: boolean): Promise<void> {
  refuseServer(options, 'bootstrap');
  const { dataDir, store } = openDataDir(options, { create: true });
  try {
    if ((await hasTokenEvents(store)) && !force) {
      throw new CliError(`the ledger in ${dataDir} already has events; use --force to add another root token`);
    }
    const minted = mintToken('root');
    await handleCommand(store, tokenStreamId(minted.tokenId), tokenDecider, createRootToken(minted, new Date()), cliContext());
    process.stderr.write(`created root token ${minted.tokenId} (${minted.hint}) in ${dataDir}\n`);
    process.stdout.write(
      json ? JSON.stringify({ tokenId: minted.tokenId, hint: minted.hint, value: minted.value }) + '\n' : `Root token (shown once): ${minted.value}\n`,
    );
  } finally {
    await store.close();
  }
}

export function bootstrapCommand(program: Command, sourceOptions: () => SourceOptions): void {
  program
    .command('bootstrap')
    .description('create a root token in the data directory and print it once')
    .option('--force', 'also when the ledger already has events (a lost root token)')
    .option('--json', 'print {tokenId, hint, value} as JSON (the value is still shown only this once)')
    .action((options: { force?: boolean; json?: boolean }) => bootstrap(sourceOptions(), !!options.force, !!options.json));
}
