import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = process.env.LEDGER_TEST_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';
/** Only names the socket file (.s.PGSQL.5432) in the server's own directory: no TCP port is bound. */
const PORT = 5432;

export interface PrivatePostgres {
  /** URL of its `postgres` database. */
  serverUrl: string;
  start(): void;
  /** An immediate shutdown: every connection cut, as a crash would. */
  stop(): void;
  destroy(): void;
}

/**
 * A PostgreSQL server of the test's own, in a temporary directory, which it may stop and start at
 * will (never the machine's shared server). It listens on a Unix socket in that directory only:
 * a TCP port free at the start could be taken by another suite's server while this one is
 * stopped, and the restart would then fail. PostgreSQL refuses to run as root: as root, the
 * server runs as the `postgres` user.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-private-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  const run = (tool: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : join(BIN, tool), asRoot ? ['-u', 'postgres', '--', join(BIN, tool), ...args] : args, { stdio: 'pipe', timeout: 60_000 });
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '--no-instructions']);
  const start = () => run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${PORT} -k ${dir} -c listen_addresses=''`, 'start']);
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  start();
  let running = true;
  return {
    serverUrl: `postgres://postgres@localhost:${PORT}/postgres?host=${encodeURIComponent(dir)}`,
    start: () => {
      start();
      running = true;
    },
    stop: () => {
      stop();
      running = false;
    },
    destroy: () => {
      if (running) stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
