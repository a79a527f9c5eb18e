/**
 * The PostgreSQL event store: durable token creation over HTTP at 16 connections, the built
 * server on PostgreSQL and on SQLite in the same run; durable appends from 16 concurrent writers
 * against the SQLite store, the lag of a second replica's subscription behind acknowledged appends, and a
 * token-list rebuild read from PostgreSQL. One JSON line each. Each run uses a database of its
 * own on the server (dropped after).
 * Run: npm run bench -- postgres
 *   BENCH_HTTP_SECONDS (default 5) per HTTP measurement, BENCH_SECONDS (default 3) per append measurement, BENCH_PG_EVENTS (default 100000) for the
 *   rebuild, LEDGER_TEST_POSTGRES_URL for another server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import { rebuildTokenList } from '@ledger/projections';
import { PostgresEventStore } from '../libs/event-store/src/postgres/postgres-event-store';
import { createTestDatabase, type TestDatabase } from '../libs/event-store/src/postgres/pg-test-database';
import { autocannon, buildIfNeeded, freePort, MAIN, ROOT, SERVICE_NODE_FLAGS, stopProcess } from './support/bench-kit';
import { cleanUpOnSignal } from './support/clean-up-on-signal';
import { appendSampleLedger } from './support/sample-ledger';
import { tokenEvent } from './support/token-event';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
const EVENTS = Number(process.env.BENCH_PG_EVENTS ?? 100_000);
const WRITERS = 16;
const REBUILD_TARGET = 100_000;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/** 16 writers, each appending one new stream at a time until the time is up. */
async function concurrentAppends(store: EventStore, onAppended?: (id: string, at: number) => void) {
  const latencies: number[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (performance.now() < deadline) {
        const event = tokenEvent();
        const begun = performance.now();
        await store.appendToStream(`token-${randomUUID()}`, [event], 'no_stream');
        const done = performance.now();
        latencies.push(done - begun);
        onAppended?.(event.id, done);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { appends_per_s: Math.round(latencies.length / seconds), p50_ms: round(percentile(latencies, 50), 2), p99_ms: round(percentile(latencies, 99), 2) };
}

/** The built server on its own process with `env`; resolves once ready, with its root token. */
async function startServer(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string; rootToken: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, MAIN], {
    cwd: ROOT,
    // One caller creating flat out: no admin rate limit, and no cap of active tokens in the one
    // project (the default 10,000 was passed mid-run on SQLite, and its 409s counted as answers).
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      ADMIN_RATE_LIMIT: 'off',
      MAX_ACTIVE_TOKENS_PER_PROJECT: '10000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (err += chunk));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}): ${err}`);
    const rootToken = /Root token \(shown once\): (tlr_\S+)/.exec(out)?.[1];
    if (
      rootToken &&
      (await fetch(`${url}/health/ready`).then(
        (r) => r.ok,
        () => false,
      ))
    )
      return { child, url, rootToken };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server not ready: ${err}`);
}

/** POST /v1/projects/bench/tokens at 16 connections: 1 s of warm-up, then HTTP_SECONDS measured. */
async function createOverHttp(env: NodeJS.ProcessEnv) {
  const { child, url, rootToken } = await startServer(env);
  try {
    const load = (duration: number) =>
      autocannon({
        url: `${url}/v1/projects/bench/tokens`,
        method: 'POST',
        headers: { authorization: `Bearer ${rootToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'bench', scopes: ['read'] }),
        connections: WRITERS,
        duration,
      });
    await load(1);
    const result = await load(HTTP_SECONDS);
    // An error answer is fast: a rate that counts them is not a create rate.
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`create over HTTP: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    return {
      req_per_s: Math.round(result.requests.average),
      p50_ms: result.latency.p50,
      p99_ms: result.latency.p99,
      non_2xx: result.non2xx,
      errors: result.errors,
    };
  } finally {
    await stopProcess(child);
  }
}

async function main() {
  buildIfNeeded();
  const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-pg-'));
  const databases: TestDatabase[] = [];
  const newDatabase = async () => {
    const database = await createTestDatabase();
    databases.push(database);
    return database;
  };
  const removeHandlers = cleanUpOnSignal(() => rmSync(dir, { recursive: true, force: true }));
  try {
    // 0. Durable create over HTTP, 16 connections: the built server on each store.
    const sqliteDir = mkdtempSync(join(dir, 'http-sqlite-'));
    const sqliteHttp = await createOverHttp({ LEDGER_DATA_DIR: sqliteDir });
    const httpDatabase = await newDatabase();
    const postgresHttp = await createOverHttp({ LEDGER_DATA_DIR: mkdtempSync(join(dir, 'http-pg-')), DATABASE_URL: httpDatabase.url });
    process.stdout.write(
      JSON.stringify({ bench: 'postgres-create-http-16', seconds: HTTP_SECONDS, connections: WRITERS, postgres: postgresHttp, sqlite: sqliteHttp }) + '\n',
    );

    // 1. Durable appends, 16 writers: PostgreSQL and SQLite in the same run.
    const sqlite = SqliteEventStore.open(join(dir, 'events.sqlite'));
    const sqliteResult = await concurrentAppends(sqlite);
    await sqlite.close();
    const database = await newDatabase();
    const postgres = PostgresEventStore.connect(database.url);
    await postgres.headPosition(); // schema made before the clock starts
    const commitsBefore = postgres.commits;
    const postgresResult = await concurrentAppends(postgres);
    const appendsPerCommit = round((postgresResult.appends_per_s * SECONDS) / Math.max(1, postgres.commits - commitsBefore));
    await postgres.close();
    process.stdout.write(
      JSON.stringify({
        bench: 'postgres-append-16',
        seconds: SECONDS,
        writers: WRITERS,
        postgres: { ...postgresResult, appends_per_commit: appendsPerCommit },
        sqlite: sqliteResult,
      }) + '\n',
    );

    // 2. Replica lag: B's subscription behind A's acknowledged appends, under the same load.
    const laggy = await newDatabase();
    const a = PostgresEventStore.connect(laggy.url);
    const b = PostgresEventStore.connect(laggy.url);
    await a.headPosition();
    const acknowledgedAt = new Map<string, number>();
    const lags: number[] = [];
    const early = new Map<string, number>();
    const subscription = b.subscribeToAll({}, (batch) => {
      const now = performance.now();
      for (const e of batch) {
        const at = acknowledgedAt.get(e.id);
        if (at === undefined) early.set(e.id, now);
        else lags.push(now - at);
      }
    });
    const load = await concurrentAppends(a, (id, at) => {
      const seen = early.get(id);
      if (seen === undefined) acknowledgedAt.set(id, at);
      else lags.push(Math.max(0, seen - at));
    });
    const total = load.appends_per_s * SECONDS;
    const deadline = Date.now() + 10_000;
    while (lags.length < acknowledgedAt.size + early.size && lags.length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await subscription.stop();
    await Promise.all([a.close(), b.close()]);
    lags.sort((x, y) => x - y);
    process.stdout.write(
      JSON.stringify({
        bench: 'postgres-replica-lag',
        writers: WRITERS,
        appends_per_s: load.appends_per_s,
        samples: lags.length,
        p50_ms: round(percentile(lags, 50), 2),
        p99_ms: round(percentile(lags, 99), 2),
      }) + '\n',
    );

    // 3. Rebuild of the token list reading from PostgreSQL.
    const big = await newDatabase();
    const source = PostgresEventStore.connect(big.url);
    const filled = performance.now();
    await appendSampleLedger(source, EVENTS);
    const fillSeconds = (performance.now() - filled) / 1000;
    const started = performance.now();
    const { events, threads } = await rebuildTokenList(source, join(dir, 'token-list.sqlite'), {
      source: { location: { eventStoreUrl: null, databaseUrl: big.url }, sqliteFile: join(dir, 'unused-events.sqlite') },
    });
    const seconds = (performance.now() - started) / 1000;
    await source.close();
    const eventsPerS = Math.round(events / seconds);
    process.stdout.write(
      JSON.stringify({
        bench: 'postgres-rebuild',
        events,
        threads,
        seconds: round(seconds, 2),
        events_per_s: eventsPerS,
        target_events_per_s: REBUILD_TARGET,
        met: eventsPerS >= REBUILD_TARGET,
        fill_events_per_s: Math.round(EVENTS / fillSeconds),
      }) + '\n',
    );
  } finally {
    for (const database of databases) await database.drop();
    rmSync(dir, { recursive: true, force: true });
    removeHandlers();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
