/**
 * A million tokens: a ledger of BENCH_TOKENS (1,000,000) active tokens plus 10 % revoked and 5 %
 * rotated ones, seeded straight through the store's append path in group-committed batches,
 * next to one of a tenth of that size (100,000: the verify bench's figure) seeded the same way.
 * Prints JSON lines:
 * - million-rebuild: the full token-list projection rebuild of the big ledger's events (events/s);
 * - million-start (per ledger): first start (the reminder read model catches up once), restart
 *   to ready, RSS once settled, and where the memory is (V8 heap, array buffers, the rest);
 * - million-verify: POST /v1/tokens/verify runs, both ledgers in rotation (BENCH_ROUNDS x
 *   BENCH_DURATION_S), 50 connections;
 * - million-summary: the targets of issue 13 with `met`.
 * Run: npm run bench -- million   (BENCH_TOKENS, BENCH_DURATION_S, BENCH_ROUNDS, BENCH_SETTLE_S)
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { rebuildTokenList } from '@ledger/projections';
import { buildIfNeeded, freePort, stopProcess } from './support/bench-kit';
import { cleanUpOnSignal } from './support/clean-up-on-signal';
import { load, rssMb, round1, round2, settledRss, startLedger, waitForRemindersStarted } from './support/ledger-process';
import { seedTokens } from './support/seed-tokens';

const TOKENS = Number(process.env.BENCH_TOKENS ?? 1_000_000);
const BASE_TOKENS = Math.round(TOKENS / 10);
const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SETTLE_S = Number(process.env.BENCH_SETTLE_S ?? 25);
const TARGETS = { restart_ready_s: 15, rss_mb: 400, verify_within: 0.1, rebuild_events_per_s: 100_000 };

interface Ledger {
  tokens: number;
  dir: string;
  value: string;
  events: number;
  port: number;
  child?: ChildProcess;
  runs: number[];
  cpuUs: number[];
}

async function seed(ledger: Ledger): Promise<{ seedSeconds: number; rebuildSeconds: number; threads: number }> {
  const eventsFile = join(ledger.dir, 'events.sqlite');
  const store = SqliteEventStore.open(eventsFile);
  let started = performance.now();
  const { value, events } = await seedTokens(store, { active: ledger.tokens, revoked: ledger.tokens / 10, rotated: ledger.tokens / 20 });
  const seedSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const { threads } = await rebuildTokenList(store, join(ledger.dir, 'token-list.v1.sqlite'), {
    source: { location: { eventStoreUrl: null }, sqliteFile: eventsFile },
  });
  const rebuildSeconds = (performance.now() - started) / 1000;
  await store.close();
  Object.assign(ledger, { value, events });
  return { seedSeconds, rebuildSeconds, threads };
}

/** The service's own account of its memory (prom-client's default metrics), for where RSS goes. */
async function memoryOf(port: number): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const mb = (name: string) => Math.round(Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? 0) / 2 ** 20);
  const rss = mb('ledger_process_resident_memory_bytes');
  const heap = mb('ledger_nodejs_heap_size_total_bytes');
  const external = mb('ledger_nodejs_external_memory_bytes');
  return {
    rss_mb: rss,
    v8_heap_total_mb: heap,
    v8_heap_used_mb: mb('ledger_nodejs_heap_size_used_bytes'),
    external_and_array_buffers_mb: external,
    native_rest_mb: rss - heap - external,
  };
}

async function start(ledger: Ledger): Promise<Record<string, unknown>> {
  let started = performance.now();
  ledger.child = await startLedger(ledger.dir, ledger.port, {}, 'reminders-started');
  const firstReady = (performance.now() - started) / 1000;
  const firstPeak = rssMb(ledger.child.pid!, 'VmHWM');
  await stopProcess(ledger.child);
  started = performance.now();
  ledger.child = await startLedger(ledger.dir, ledger.port);
  const restartReady = (performance.now() - started) / 1000;
  // The reminder feed re-derives every live token after the port is open: not during the loads.
  await waitForRemindersStarted(ledger.port);
  const remindersStarted = (performance.now() - started) / 1000;
  const settled = await settledRss(ledger.child.pid!, SETTLE_S);
  const line = {
    bench: 'million-start',
    tokens: ledger.tokens,
    events: ledger.events,
    first_start_ready_s: round1(firstReady),
    first_start_peak_rss_mb: firstPeak,
    restart_ready_s: round1(restartReady),
    restart_reminders_started_s: round1(remindersStarted),
    rss_mb_settled: settled,
    settle_s: SETTLE_S,
    memory: await memoryOf(ledger.port),
  };
  process.stdout.write(JSON.stringify(line) + '\n');
  return line;
}

async function main(): Promise<void> {
  buildIfNeeded();
  // A first start folds every token into the reminder read model: minutes at a million on a busy machine.
  process.env.BENCH_START_TIMEOUT_S ??= '600';
  const ledgers: Ledger[] = [];
  for (const tokens of [BASE_TOKENS, TOKENS]) {
    ledgers.push({
      tokens,
      dir: mkdtempSync(join(tmpdir(), `ledger-bench-million-${tokens}-`)),
      value: '',
      events: 0,
      port: await freePort(),
      runs: [],
      cpuUs: [],
    });
  }
  const removeHandlers = cleanUpOnSignal(() => {
    for (const ledger of ledgers) {
      ledger.child?.kill('SIGKILL');
      rmSync(ledger.dir, { recursive: true, force: true });
    }
  });
  try {
    let rebuild = { events: 0, seconds: 0, seedSeconds: 0, threads: 0 };
    for (const ledger of ledgers) {
      const { seedSeconds, rebuildSeconds, threads } = await seed(ledger);
      rebuild = { events: ledger.events, seconds: rebuildSeconds, seedSeconds, threads };
    }
    const rebuildPerSecond = Math.round(rebuild.events / rebuild.seconds);
    process.stdout.write(
      JSON.stringify({
        bench: 'million-rebuild',
        events: rebuild.events,
        threads: rebuild.threads,
        seed_s: round1(rebuild.seedSeconds),
        rebuild_s: round1(rebuild.seconds),
        events_per_s: rebuildPerSecond,
        target_events_per_s: TARGETS.rebuild_events_per_s,
      }) + '\n',
    );
    const starts = [];
    for (const ledger of ledgers) starts.push(await start(ledger));

    const request = (ledger: Ledger) => ({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: ledger.value, scopes: ['orders:read'] }),
    });
    for (let round = 1; round <= ROUNDS; round++) {
      for (const ledger of ledgers) {
        const result = await load({
          bench: 'million-verify',
          server: `ledger-${ledger.tokens}`,
          route: 'verify',
          url: `http://127.0.0.1:${ledger.port}/v1/tokens/verify`,
          request: request(ledger),
          connections: CONNECTIONS,
          warmupS: round === 1 ? 2 : 0,
          seconds: DURATION_S,
          round,
          pid: ledger.child!.pid,
        });
        ledger.runs.push(result.requests.average);
        ledger.cpuUs.push(result.cpuUsPerRequest ?? 0);
      }
    }
    const mean = (runs: number[]) => runs.reduce((a, b) => a + b, 0) / runs.length;
    const [small, large] = ledgers.map((l) => mean(l.runs));
    const bigStart = starts[1] as { restart_ready_s: number; rss_mb_settled: number };
    const verifyDrop = round2(1 - large / small);
    const met = {
      restart_ready: bigStart.restart_ready_s <= TARGETS.restart_ready_s,
      rss_settled: bigStart.rss_mb_settled <= TARGETS.rss_mb,
      verify_within_10_percent: verifyDrop <= TARGETS.verify_within,
      rebuild: rebuildPerSecond >= TARGETS.rebuild_events_per_s,
    };
    process.stdout.write(
      JSON.stringify({
        bench: 'million-summary',
        tokens: TOKENS,
        restart_ready_s: bigStart.restart_ready_s,
        target_restart_ready_s: TARGETS.restart_ready_s,
        rss_mb_settled: bigStart.rss_mb_settled,
        target_rss_mb: TARGETS.rss_mb,
        verify_req_per_s: Math.round(large),
        [`verify_req_per_s_at_${BASE_TOKENS}`]: Math.round(small),
        verify_drop: verifyDrop,
        // Server CPU per verify (mean of the rounds): steadier than req/s on a shared machine.
        cpu_us_per_req: Math.round(mean(ledgers[1].cpuUs)),
        [`cpu_us_per_req_at_${BASE_TOKENS}`]: Math.round(mean(ledgers[0].cpuUs)),
        target_verify_drop: TARGETS.verify_within,
        rebuild_events_per_s: rebuildPerSecond,
        target_rebuild_events_per_s: TARGETS.rebuild_events_per_s,
        met: Object.values(met).every(Boolean),
        met_each: met,
      }) + '\n',
    );
  } finally {
    await Promise.all(ledgers.map((l) => stopProcess(l.child)));
    removeHandlers();
    for (const ledger of ledgers) rmSync(ledger.dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`million bench failed: ${error instanceof Error ? error.message : error}\n`);
  process.exitCode = 1;
});
