/**
 * Verification throughput: the built ledger with 100,000 active tokens against a bare Fastify
 * server doing the same hash + Map lookup, both driven by autocannon (50 connections, 10 s) on
 * loopback, for POST /v1/tokens/verify and GET /v1/auth/check. The ledger runs with `npm start`'s
 * node flags, first on the freshly seeded data (its reminder read model catches up), then
 * restarted; the restart is what is loaded. Prints one JSON line per run, one per route with the
 * ratios, and one with memory (first start, restart, under load, settled).
 * Run: npm run bench -- verify   (BENCH_DURATION_S, BENCH_SETTLE_S shorten it)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { GENESIS_HASH, SCHEMA_VERSION, SqliteEventStore, systemContext } from '@ledger/event-store';
import { rebuildTokenList, TokenIndex, TokenListReadModel } from '@ledger/projections';
import { formatTokenId, formatTokenValue, hashTokenValue, tokenHint } from '@ledger/token-domain';
import { autocannon, type AutocannonResult, buildIfNeeded, freePort, MAIN, ROOT, SERVICE_NODE_FLAGS, stopProcess } from './support/bench-kit';
import { cleanUpOnSignal } from './support/clean-up-on-signal';

const DIST = join(ROOT, 'dist');
const BARE = join(DIST, 'bench/support/bare-verify-server.js');
const TOKENS = 100_000;
const CONNECTIONS = 50;
const WARMUP_S = 2;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const START_TIMEOUT_MS = 60_000;
const TARGETS = { ratio: 0.6, p99_factor: 2, rss_mb: 150 };
const SETTLE_S = Number(process.env.BENCH_SETTLE_S ?? 25);

/** 100,000 TokenCreated events straight into the store, in group-committed batches; one value kept. */
async function seed(dataDir: string): Promise<string> {
  const store = SqliteEventStore.open(join(dataDir, 'events.sqlite'));
  let kept = '';
  const createdAt = new Date().toISOString();
  for (let done = 0; done < TOKENS; ) {
    const appends: Promise<unknown>[] = [];
    for (const end = Math.min(TOKENS, done + 5000); done < end; done++) {
      const value = formatTokenValue('integration', randomBytes(32));
      if (done === TOKENS / 2) kept = value;
      const tokenId = formatTokenId(randomBytes(16));
      const data = {
        tokenId,
        projectId: `project-${done % 50}`,
        name: `service ${done}`,
        type: 'integration',
        ownerId: null,
        scopes: ['orders:read', 'metrics'],
        expiresAt: null,
        secretHash: hashTokenValue(value),
        hint: tokenHint(value),
        createdAt,
        rotatedFrom: null,
        metadata: {},
      };
      const metadata = { ...systemContext('bench'), schemaVersion: SCHEMA_VERSION, occurredAt: createdAt, prevHash: GENESIS_HASH };
      appends.push(store.appendToStream(`token-${tokenId}`, [{ id: randomUUID(), type: 'TokenCreated', data, metadata }], 'no_stream'));
    }
    await Promise.all(appends);
  }
  await rebuildTokenList(store, join(dataDir, 'token-list.v1.sqlite'));
  await store.close();
  return kept;
}

/**
 * Memory held by the in-memory index for every token in the read model, after a full GC: the JS
 * heap plus array buffers (its columns are typed arrays, which live outside the heap).
 */
function indexBytesPerToken(file: string): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const used = () => {
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    return heapUsed + arrayBuffers;
  };
  const readModel = TokenListReadModel.open(file);
  gc();
  const before = used();
  const index = TokenIndex.load(readModel);
  gc();
  const bytes = (used() - before) / index.size;
  readModel.close();
  return Math.round(bytes);
}

function startProcess(args: string[], env: NodeJS.ProcessEnv, ready: (out: string) => Promise<boolean>): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (err += c));
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + START_TIMEOUT_MS;
    const poll = async () => {
      if (child.exitCode !== null) return reject(new Error(`${args[0]} exited early: ${err}`));
      if (await ready(out)) return resolve(child);
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        return reject(new Error(`${args[0]} not ready: ${err}`));
      }
      setTimeout(poll, 100);
    };
    poll();
  });
}

const rssMb = (pid: number, field: 'VmRSS' | 'VmHWM') =>
  Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);

/** Samples a process's RSS every 200 ms until stopped; the highest reading is the peak. */
function sampleRss(pid: number): () => number {
  let peak = rssMb(pid, 'VmRSS');
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid, 'VmRSS'))), 200);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

/**
 * RSS once the process has been idle for SETTLE_S: V8 returns the pages a start-up catch-up or a
 * load burst left behind only after a few quiet seconds (its memory reducer), so a reading taken
 * the moment the load stops shows garbage, not what the service holds.
 */
async function settledRss(pid: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, SETTLE_S * 1000));
  return rssMb(pid, 'VmRSS');
}

async function load(name: string, route: string, url: string, options: object, pid?: number): Promise<AutocannonResult & { rssPeak?: number }> {
  await autocannon({ url, connections: CONNECTIONS, duration: WARMUP_S, ...options });
  const peak = pid === undefined ? undefined : sampleRss(pid);
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, ...options });
  const rssPeak = peak?.();
  const line = {
    bench: 'verify',
    server: name,
    route,
    connections: CONNECTIONS,
    seconds: DURATION_S,
    req_per_s: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    non_2xx: result.non2xx,
    ...(rssPeak === undefined ? {} : { rss_peak_mb: rssPeak }),
  };
  process.stdout.write(JSON.stringify(line) + '\n');
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${name} ${route}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return { ...result, rssPeak };
}

function startLedger(dataDir: string, port: number): Promise<ChildProcess> {
  // The ledger is not empty, so it prints no root token: readiness says every read model caught up.
  return startProcess([...SERVICE_NODE_FLAGS, MAIN], { LEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port) }, () =>
    fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.ok, () => false),
  );
}

async function main(): Promise<void> {
  buildIfNeeded();
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-bench-verify-'));
  let ledger: ChildProcess | undefined;
  let bare: ChildProcess | undefined;
  const removeHandlers = cleanUpOnSignal(() => {
    ledger?.kill('SIGKILL');
    bare?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });
  try {
    const seedStarted = performance.now();
    const value = await seed(dataDir);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const bytesPerToken = indexBytesPerToken(join(dataDir, 'token-list.v1.sqlite'));
    const [ledgerPort, barePort] = [await freePort(), await freePort()];

    // First start: the reminder read model folds all 100,000 tokens (what an upgrade to a ledger
    // that already holds them does once). Then a restart, which is what the service is measured on.
    let started = performance.now();
    ledger = await startLedger(dataDir, ledgerPort);
    const firstStart = { seconds: (performance.now() - started) / 1000, rss: rssMb(ledger.pid!, 'VmRSS'), peak: rssMb(ledger.pid!, 'VmHWM') };
    await stopProcess(ledger);
    started = performance.now();
    ledger = await startLedger(dataDir, ledgerPort);
    const restartSeconds = (performance.now() - started) / 1000;
    const rssAtStart = rssMb(ledger.pid!, 'VmRSS');
    const rssSettledAtStart = await settledRss(ledger.pid!);
    bare = await startProcess([BARE, join(dataDir, 'token-list.v1.sqlite'), String(barePort)], {}, async (out) => out.includes('ready'));

    const verifyOptions = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: value, scopes: ['orders:read'] }) };
    const checkOptions = { method: 'GET', headers: { authorization: `Bearer ${value}` } };
    let rssUnderLoad = 0;
    for (const [route, path, options] of [
      ['verify', '/v1/tokens/verify', verifyOptions],
      ['auth-check', '/v1/auth/check?scope=orders:read', checkOptions],
    ] as const) {
      const floor = await load('bare-fastify', route, `http://127.0.0.1:${barePort}${path}`, options);
      const ours = await load('ledger', route, `http://127.0.0.1:${ledgerPort}${path}`, options, ledger.pid!);
      rssUnderLoad = Math.max(rssUnderLoad, ours.rssPeak ?? 0);
      const ratio = Math.round((ours.requests.average / floor.requests.average) * 100) / 100;
      const p99Factor = Math.round((ours.latency.p99 / Math.max(floor.latency.p99, 1)) * 100) / 100;
      process.stdout.write(
        JSON.stringify({
          bench: 'verify-summary',
          route,
          ratio_req_per_s: ratio,
          target_ratio: TARGETS.ratio,
          p99_vs_bare: p99Factor,
          target_p99_vs_bare: TARGETS.p99_factor,
          met: ratio >= TARGETS.ratio && p99Factor <= TARGETS.p99_factor,
        }) + '\n',
      );
    }
    const rssAfterLoad = rssMb(ledger.pid!, 'VmRSS');
    const rssSettledAfterLoad = await settledRss(ledger.pid!);
    process.stdout.write(
      JSON.stringify({
        bench: 'verify-memory',
        tokens: TOKENS,
        seed_s: round1(seedSeconds),
        index_bytes_per_token: bytesPerToken,
        first_start: { ready_s: round1(firstStart.seconds), rss_mb: firstStart.rss, peak_rss_mb: firstStart.peak },
        restart_ready_s: round1(restartSeconds),
        rss_mb_at_start: rssAtStart,
        rss_mb_settled: rssSettledAtStart,
        rss_mb_under_load_peak: rssUnderLoad,
        rss_mb_after_load: rssAfterLoad,
        rss_mb_settled_after_load: rssSettledAfterLoad,
        settle_s: SETTLE_S,
        target_rss_mb: TARGETS.rss_mb,
        met: Math.max(rssSettledAtStart, rssSettledAfterLoad) <= TARGETS.rss_mb,
      }) + '\n',
    );
  } finally {
    await Promise.all([stopProcess(ledger), stopProcess(bare)]);
    removeHandlers();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10;

main().catch((error) => {
  process.stderr.write(`verify bench failed: ${error instanceof Error ? error.message : error}\n`);
  process.exitCode = 1;
});
