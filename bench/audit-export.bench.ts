/**
 * Audit export of a 200,000-event ledger over HTTP: the built server runs as its own process on
 * a seeded data directory; this process reads GET /v1/audit/export to the end and samples the
 * server's resident memory (/proc/<pid>/status) before and while it streams. Prints one JSON line.
 * Run: npm run bench -- audit-export
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { MAIN, ROOT, SERVICE_NODE_FLAGS, buildIfNeeded, freePort } from './support/bench-kit';
import { cleanUpOnSignal } from './support/clean-up-on-signal';
import { appendUsageLedger } from './support/usage-ledger';

const EVENTS = 200_000;
const START_TIMEOUT_MS = 120_000;
const MB = 1024 * 1024;
// A second server runs with this V8 old-space cap: if the export held itself in memory it would
// die of "heap out of memory" half-way (the file is more than twice this size).
const CAPPED_OLD_SPACE_MB = 64;

const { formatRootToken }: { formatRootToken(bytes: Buffer): string } = require(join(ROOT, 'scripts/root-token.js'));

/** Resident memory of a process in MB (Linux), or NaN elsewhere. */
function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function ready(child: ChildProcess, url: string): Promise<void> {
  let err = '';
  child.stderr!.on('data', (chunk) => (err += chunk));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}): ${err}`);
    if (
      await fetch(`${url}/health/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not ready after ${START_TIMEOUT_MS} ms: ${err}`);
}

async function exportOnce(url: string, token: string, format: 'ndjson' | 'csv', pid: number) {
  const before = rssMb(pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 20);
  const started = performance.now();
  let bytes = 0;
  try {
    const response = await fetch(`${url}/v1/audit/export?format=${format}`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`export answered ${response.status}`);
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    format,
    mb: Math.round(bytes / MB),
    seconds: Math.round(seconds * 100) / 100,
    events_per_s: Math.round(EVENTS / seconds),
    server_rss_before_mb: Math.round(before),
    server_rss_peak_mb: Math.round(peak),
  };
}

async function main(): Promise<void> {
  buildIfNeeded();
  const dataDir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'ledger-bench-export-'));
  let child: ChildProcess | null = null;
  const removeHandlers = cleanUpOnSignal(() => {
    child?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });
  try {
    const store = SqliteEventStore.open(join(dataDir, 'events.sqlite'));
    await appendUsageLedger(store, EVENTS);
    await store.close();

    const root = formatRootToken(randomBytes(32));
    const startServer = async (nodeArgs: string[]) => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, ...nodeArgs, MAIN], {
        cwd: ROOT,
        env: { ...process.env, LEDGER_DATA_DIR: dataDir, LEDGER_BOOTSTRAP_TOKEN: root, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port) },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      await ready(child, url);
      return { url, server: child };
    };
    const stopServer = async (server: ChildProcess) => {
      if (server.exitCode !== null || server.signalCode !== null) return;
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    };

    const first = await startServer([]);
    const ndjson = await exportOnce(first.url, root, 'ndjson', first.server.pid!);
    const csv = await exportOnce(first.url, root, 'csv', first.server.pid!);
    await stopServer(first.server);

    const capped = await startServer([`--max-old-space-size=${CAPPED_OLD_SPACE_MB}`]);
    const cappedRun = await exportOnce(capped.url, root, 'ndjson', capped.server.pid!).then(
      (run) => ({ completed: run.mb === ndjson.mb, ...run }),
      (error: Error) => ({ completed: false, error: error.message }),
    );
    await stopServer(capped.server);

    const line = {
      bench: 'audit-export',
      events: EVENTS,
      ndjson,
      csv,
      // RSS also holds garbage the collector has not reclaimed yet; the capped run bounds what is live.
      server_rss_growth_mb: Math.round(Math.max(ndjson.server_rss_peak_mb, csv.server_rss_peak_mb) - ndjson.server_rss_before_mb),
      capped_old_space_mb: CAPPED_OLD_SPACE_MB,
      capped: cappedRun,
    };
    process.stdout.write(JSON.stringify(line) + '\n');
  } finally {
    removeHandlers();
    const last = child as ChildProcess | null;
    if (last && last.exitCode === null && last.signalCode === null) {
      const exited = new Promise((resolve) => last.once('exit', resolve));
      last.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`audit-export bench failed: ${error instanceof Error ? error.stack : error}\n`);
  process.exitCode = 1;
});
