import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error';
import { auditCommand } from './commands/audit.command';
import { bootstrapCommand } from './commands/bootstrap.command';
import { keysCommand } from './commands/keys.command';
import { projectionsCommand } from './commands/projections.command';
import { replayCommand } from './commands/replay.command';
import { tokensCommand } from './commands/tokens-list.command';
import type { SourceOptions } from './ledger-source';

interface GlobalOptions {
  dataDir?: string;
  server?: string;
  token?: string;
}

/** `ledger`: the operator's and auditor's command line, on a data directory or a running server. */
export function ledgerProgram(): Command {
  const program = new Command('ledger')
    .description('Token Ledger command line: bootstrap, tokens, audit export/verify, replay, projections, keys')
    .option('--data-dir <dir>', 'the ledger data directory (default: LEDGER_DATA_DIR or ./data)')
    .option('--server <url>', 'use a running server instead of the data directory')
    .option('--token <value>', 'token for --server (default: LEDGER_TOKEN); needs audit:read or tokens:read')
    .exitOverride()
    .showHelpAfterError(false);
  const sourceOptions = (): SourceOptions => program.opts<GlobalOptions>();
  bootstrapCommand(program, sourceOptions);
  tokensCommand(program, sourceOptions);
  auditCommand(program, sourceOptions);
  replayCommand(program, sourceOptions);
  projectionsCommand(program, sourceOptions);
  keysCommand(program, sourceOptions);
  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    await ledgerProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its one line (or the help); keep its exit code (0 for --help).
      process.exitCode = error.exitCode;
      return;
    }
    const message = error instanceof CliError ? error.message : error instanceof Error ? error.message : String(error);
    process.stderr.write(`ledger: ${message}\n`);
    process.exitCode = error instanceof CliError ? error.exitCode : 1;
  }
}

void main(process.argv);
