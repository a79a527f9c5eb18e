import { execFile } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
// As TS_NODE_ARGS, but the path aliases are registered without tsconfig-paths reading `--project`.
const CLI_NODE_ARGS = ['-r', 'ts-node/register/transpile-only', '-r', join(__dirname, 'register-paths.js')];

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `ledger <args>` as its own process (the CLI's TypeScript through ts-node). */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...CLI_NODE_ARGS, join(ROOT, 'apps/cli/src/main.ts'), ...args],
      { cwd: ROOT, env: { ...process.env, LEDGER_DATA_DIR: '', LEDGER_TOKEN: '', LEDGER_SERVER: '', ...env }, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const shellQuote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

/**
 * Runs `ledger <args>` on a pseudo-terminal through util-linux `script`, as a person at a
 * terminal would; null when `script` is not installed.
 */
export function runCliOnTerminal(args: string[]): Promise<CliResult | null> {
  const command = [process.execPath, ...CLI_NODE_ARGS, join(ROOT, 'apps/cli/src/main.ts'), ...args].map(shellQuote).join(' ');
  return new Promise((resolve) => {
    execFile(
      'script',
      ['-qec', command, '/dev/null'],
      { cwd: ROOT, env: { ...process.env, LEDGER_DATA_DIR: '', LEDGER_SERVER: '' }, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return resolve(null);
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}
