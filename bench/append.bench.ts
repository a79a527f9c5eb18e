/**
 * Durable append rate of the SQLite event store, against a bare better-sqlite3 loop with the
 * same durability, plus group-commit throughput and readAll speed. Prints one JSON line each.
 * Run: npm run bench -- append   (BENCH_DIR picks the disk; default tmp)
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../libs/event-store/src/sqlite-event-store';
import { tokenEvent } from './support/token-event';

const MAX_MS = 3000; // per measurement; the single-writer pair shares it
const MAX_APPENDS = 5000;
const CONCURRENT_APPENDERS = 16;
const READ_EVENTS = 100_000;

const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'ledger-bench-'));
let files = 0;
const newFile = () => join(dir, `events-${++files}.db`);

interface Runner {
  /** Runs one append at a time until `ms` passed or `count` appends; returns how many it did. */
  run(ms: number, count: number): Promise<number>;
  close(): Promise<void>;
}

async function loop(ms: number, count: number, step: () => unknown): Promise<number> {
  const start = performance.now();
  let done = 0;
  while (done < count && performance.now() - start < ms) {
    await step();
    done++;
  }
  return done;
}

function adapterRunner(): Runner {
  const store = SqliteEventStore.open(newFile());
  return {
    run: (ms, count) => loop(ms, count, () => store.appendToStream(`token-${randomUUID()}`, [tokenEvent()], 'no_stream')),
    close: () => store.close(),
  };
}

/** Same schema, same pragmas, one insert per transaction, no queue, no promises. */
async function bareRunner(): Promise<Runner> {
  const file = newFile();
  await SqliteEventStore.open(file).close(); // creates the same schema
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const insert = db.prepare('INSERT INTO events (id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, 0, ?, ?, ?, ?)');
  const insertOne = db.transaction((e: ReturnType<typeof tokenEvent>) =>
    insert.run(e.id, `token-${randomUUID()}`, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata), new Date().toISOString()),
  );
  return { run: (ms, count) => loop(ms, count, () => insertOne(tokenEvent())), close: async () => void db.close() };
}

/** Alternates short rounds of both so that disk noise and warm-up hit them alike. */
async function singleWriter(): Promise<{ adapter: number; bare: number }> {
  const rounds = 6;
  const runners = { adapter: adapterRunner(), bare: await bareRunner() };
  const totals = { adapter: { count: 0, ms: 0 }, bare: { count: 0, ms: 0 } };
  for (let i = 0; i < rounds; i++) {
    for (const name of ['bare', 'adapter'] as const) {
      const start = performance.now();
      totals[name].count += await runners[name].run(MAX_MS / rounds / 2, MAX_APPENDS / rounds);
      totals[name].ms += performance.now() - start;
    }
  }
  await Promise.all([runners.adapter.close(), runners.bare.close()]);
  return {
    adapter: (totals.adapter.count * 1000) / totals.adapter.ms,
    bare: (totals.bare.count * 1000) / totals.bare.ms,
  };
}

async function groupCommit(): Promise<{ events_per_s: number; appends_per_commit: number }> {
  const store = SqliteEventStore.open(newFile());
  let appended = 0;
  const start = performance.now();
  const appender = async () => {
    while (appended < MAX_APPENDS * 4 && performance.now() - start < MAX_MS) {
      await store.appendToStream(`token-${randomUUID()}`, [tokenEvent()], 'no_stream');
      appended++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_APPENDERS }, appender));
  const seconds = (performance.now() - start) / 1000;
  const result = { events_per_s: Math.round(appended / seconds), appends_per_commit: round(appended / store.commits) };
  await store.close();
  return result;
}

/** A projection rebuild: every event read and parsed, in pages of 1000. */
async function readAll(): Promise<number> {
  const file = newFile();
  const db = new Database(file);
  await SqliteEventStore.open(file).close();
  const insert = db.prepare('INSERT INTO events (id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, 0, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < READ_EVENTS; i++) {
      const e = tokenEvent();
      insert.run(e.id, `token-${i}`, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata), new Date().toISOString());
    }
  })();
  db.close();
  const store = SqliteEventStore.open(file);
  const start = performance.now();
  let read = 0;
  for (let after = 0; ;) {
    const page = await store.readAll({ after, maxCount: 1000 });
    if (page.length === 0) break;
    read += page.length;
    after = page[page.length - 1].position;
  }
  const eventsPerSecond = (read * 1000) / (performance.now() - start);
  await store.close();
  return eventsPerSecond;
}

const round = (n: number) => Math.round(n * 100) / 100;

async function main(): Promise<void> {
  try {
    const { adapter: single, bare } = await singleWriter();
    const print = (result: object) => process.stdout.write(`${JSON.stringify(result)}\n`);
    print({ bench: 'sqlite-append', events_per_s: Math.round(single), bare_events_per_s: Math.round(bare), ratio: round(single / bare), target_ratio: 0.7 });
    print({ bench: 'sqlite-group-commit', appenders: CONCURRENT_APPENDERS, ...(await groupCommit()) });
    print({ bench: 'sqlite-read-all', events: READ_EVENTS, events_per_s: Math.round(await readAll()), target_events_per_s: 100_000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
