/**
 * Projection rebuild speed: the token list rebuilt from position 0 out of a 100,000-event ledger,
 * against a bare read of the same events table as the floor. Prints one JSON line.
 * Run: npm run bench -- rebuild
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { rebuildTokenList } from '@ledger/projections';
import { cleanUpOnSignal } from './support/clean-up-on-signal';
import { appendSampleLedger } from './support/sample-ledger';

const EVENTS = 100_000;
const PAGE = 1000; // rebuildTokenList's default batch size
const CHILD_TIMEOUT_MS = 120_000;

interface ChildResult {
  events: number;
  threads: number;
  seconds: number;
  peak_rss_mb: number;
  start_rss_mb: number;
}

const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024); // maxRSS is in KiB

/** Runs in its own process, so that the peak RSS is the rebuild's alone, not the setup's. */
async function child(eventsFile: string, readModelFile: string): Promise<void> {
  const start_rss_mb = rssMb();
  const store = SqliteEventStore.open(eventsFile);
  const started = performance.now();
  const { events, threads } = await rebuildTokenList(store, readModelFile, { source: { location: { eventStoreUrl: null }, sqliteFile: eventsFile } });
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  const result: ChildResult = { events, threads, seconds, peak_rss_mb: rssMb(), start_rss_mb };
  process.stdout.write(JSON.stringify(result));
}

/**
 * Same pages, same SQL shape, the columns a rebuild reads (see SqliteEventStore.readStreamRange):
 * the streams in order, page after page from a cursor, parsing each event's data, but building nothing.
 */
function bareRead(file: string): number {
  const db = new Database(file, { readonly: true });
  const columns = 'position, stream_id, type, data, revision';
  const first = db.prepare<[number], [number, string, string, string, number]>(`SELECT ${columns} FROM events ORDER BY stream_id, revision LIMIT ?`).raw();
  const next = db
    .prepare<[string, number, number], [number, string, string, string, number]>(
      `SELECT ${columns} FROM events WHERE (stream_id, revision) > (?, ?) ORDER BY stream_id, revision LIMIT ?`,
    )
    .raw();
  const started = performance.now();
  let read = 0;
  for (let rows = first.all(PAGE); rows.length > 0;) {
    for (const row of rows) JSON.parse(row[3]);
    read += rows.length;
    const last = rows[rows.length - 1];
    rows = next.all(last[1], last[4], PAGE);
  }
  const perSecond = read / ((performance.now() - started) / 1000);
  db.close();
  return perSecond;
}

function runChild(eventsFile: string, readModelFile: string): Promise<ChildResult> {
  // execArgv carries the TypeScript loader (or --cpu-prof) over to the child.
  const proc = spawn(process.execPath, [...process.execArgv, __filename, '--child', eventsFile, readModelFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout.on('data', (chunk) => (out += chunk));
  const timer = setTimeout(() => proc.kill('SIGKILL'), CHILD_TIMEOUT_MS);
  return new Promise((resolve, reject) => {
    proc.once('error', reject);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(JSON.parse(out) as ChildResult);
      else reject(new Error(`rebuild child ended with ${signal ?? code}`));
    });
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'ledger-bench-rebuild-'));
  const removeHandlers = cleanUpOnSignal(() => rmSync(dir, { recursive: true, force: true }));
  try {
    const eventsFile = join(dir, 'events.db');
    const store = SqliteEventStore.open(eventsFile);
    await appendSampleLedger(store, EVENTS);
    await store.close();

    const bare = bareRead(eventsFile);
    const result = await runChild(eventsFile, join(dir, 'token-list.db'));
    if (result.events !== EVENTS) throw new Error(`rebuild applied ${result.events} events, expected ${EVENTS}`);
    const line = {
      bench: 'projection-rebuild',
      events: result.events,
      threads: result.threads,
      seconds: Math.round(result.seconds * 1000) / 1000,
      events_per_s: Math.round(result.events / result.seconds),
      peak_rss_mb: result.peak_rss_mb,
      start_rss_mb: result.start_rss_mb,
      bare_read_events_per_s: Math.round(bare),
      target_events_per_s: 100_000,
    };
    process.stdout.write(JSON.stringify(line) + '\n');
  } finally {
    removeHandlers();
    rmSync(dir, { recursive: true, force: true });
  }
}

const [mode, ...files] = process.argv.slice(2);
(mode === '--child' ? child(files[0], files[1]) : main()).catch((error) => {
  process.stderr.write(`rebuild bench failed: ${error instanceof Error ? error.stack : error}\n`);
  process.exitCode = 1;
});
