import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error';
import { auditCommand } from './commands/audit.command';
import { bootstrapCommand } from './commands/bootstrap.command';
import { keysCommand } from './commands/keys.command';
import { projectionsCommand } from './commands/projections.command';
import { replayCommand } from './commands/replay.command';
import { projectsCommand } from './commands/projects-list.command';
import { tokensCommand } from './commands/tokens.command';
import { EXIT_CODES_HELP } from './exit-codes';
import type { SourceOptions } from './ledger-source';
import { packageVersion } from './version';

interface GlobalOptions {
  dataDir?: string;
  server?: string;
  token?: string;
}

/** `ledger`: the operator's and auditor's command line, on a data directory or a running server. */
export function ledgerProgram(): Command {
  const program = new Command('ledger')
    .description('Token Ledger command line: bootstrap, tokens, projects, audit export/verify, replay, projections, keys')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--data-dir <dir>', 'the ledger data directory (default: LEDGER_DATA_DIR or ./data)')
    .option('--server <url>', 'use a running server instead of the data directory (default: LEDGER_SERVER, unless --data-dir is given)')
    .option('--token <value>', 'token for --server (default: LEDGER_TOKEN), with the scope the command needs')
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride()
    .showHelpAfterError(false);
  const sourceOptions = (): SourceOptions => {
    const options = program.opts<GlobalOptions>();
    // An explicit --data-dir wins over LEDGER_SERVER from the environment.
    const server = options.server ?? (options.dataDir ? undefined : process.env.LEDGER_SERVER || undefined);
    return { ...options, server };
  };
  bootstrapCommand(program, sourceOptions);
  tokensCommand(program, sourceOptions);
  projectsCommand(program, sourceOptions);
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
