/**
 * Server CPU per verification: the built ledger with BENCH_TOKENS (20,000) active tokens, loaded by
 * autocannon (50 connections) on POST /v1/tokens/verify and GET /v1/auth/check, BENCH_ROUNDS (3)
 * rounds of BENCH_DURATION_S (4) seconds each. Process CPU time / requests is far steadier than
 * req/s on a machine others are loading, so this is the figure to compare a hot-path change by.
 * BENCH_CPU_PROF=dir also writes a V8 CPU profile of the ledger (node --cpu-prof) into dir.
 * BENCH_COMPARE_MAIN=path/to/other/dist/apps/api/src/main.js runs a second build (say, main's) on
 * a copy of the same data, loaded in alternation with this one: a before/after in the same run.
 * Prints one JSON line per round and one summary per route (median µs, the load average).
 * Run: npm run bench -- verify-cpu
 */
import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { rebuildTokenList } from '@ledger/projections';
import { type AutocannonResult, buildIfNeeded, freePort, MAIN, SERVICE_NODE_FLAGS, stopProcess } from './support/bench-kit';
import { cleanUpOnSignal } from './support/clean-up-on-signal';
import { load, remindersStarted, startProcess } from './support/ledger-process';
import { seedTokens } from './support/seed-tokens';

const TOKENS = Number(process.env.BENCH_TOKENS ?? 20_000);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PROFILE_DIR = process.env.BENCH_CPU_PROF;
const COMPARE_MAIN = process.env.BENCH_COMPARE_MAIN;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

async function main(): Promise<void> {
  buildIfNeeded();
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-bench-verify-cpu-'));
  const children: ChildProcess[] = [];
  const removeHandlers = cleanUpOnSignal(() => {
    for (const child of children) child.kill('SIGKILL');
    for (const dir of [dataDir, `${dataDir}-compare`]) rmSync(dir, { recursive: true, force: true });
  });
  try {
    const store = SqliteEventStore.open(join(dataDir, 'events.sqlite'));
    const { value } = await seedTokens(store, { active: TOKENS, revoked: 0, rotated: 0 });
    await rebuildTokenList(store, join(dataDir, 'token-list.v1.sqlite'));
    await store.close();
    const builds = [{ name: 'ledger', main: MAIN, dataDir }];
    if (COMPARE_MAIN) {
      cpSync(dataDir, `${dataDir}-compare`, { recursive: true });
      builds.push({ name: 'compare', main: resolve(COMPARE_MAIN), dataDir: `${dataDir}-compare` });
    }
    const servers = [];
    for (const build of builds) {
      const port = await freePort();
      const profile = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${resolve(PROFILE_DIR, build.name)}`] : [];
      // No drain: the stop must end the process within stopProcess's grace, or the profile is not written.
      const env = { LEDGER_DATA_DIR: build.dataDir, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), SHUTDOWN_DRAIN: '0' };
      // Once the reminder feed has started too: its first-start fold must not count as the requests' CPU.
      const child = await startProcess([...SERVICE_NODE_FLAGS, ...profile, build.main], env, () => remindersStarted(port));
      children.push(child);
      servers.push({ ...build, port, child });
    }
    const routes = [
      [
        'verify',
        '/v1/tokens/verify',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: value, scopes: ['orders:read'] }) },
      ],
      ['auth-check', '/v1/auth/check?scope=orders:read', { method: 'GET', headers: { authorization: `Bearer ${value}` } }],
    ] as const;
    for (const [route, path, request] of routes) {
      const runs = new Map<string, Array<AutocannonResult & { cpuUsPerRequest?: number }>>(servers.map((s) => [s.name, []]));
      for (let round = 1; round <= ROUNDS; round++) {
        // In rotation, so that the machine's load drifting during the run hits both alike.
        for (const server of servers) {
          runs.get(server.name)!.push(
            await load({
              bench: 'verify-cpu',
              server: server.name,
              route,
              url: `http://127.0.0.1:${server.port}${path}`,
              request,
              connections: 50,
              warmupS: round === 1 ? 2 : 0,
              seconds: DURATION_S,
              pid: server.child.pid,
              round,
            }),
          );
        }
      }
      const summary = (name: string) => {
        const done = runs.get(name)!;
        return { cpu_us_per_req: median(done.map((r) => r.cpuUsPerRequest ?? 0)), req_per_s: Math.round(median(done.map((r) => r.requests.average))) };
      };
      process.stdout.write(
        JSON.stringify({
          bench: 'verify-cpu-summary',
          route,
          tokens: TOKENS,
          rounds: ROUNDS,
          ...summary('ledger'),
          ...(COMPARE_MAIN ? { compare: { main: COMPARE_MAIN, ...summary('compare') } } : {}),
          loadavg: loadAverage(),
        }) + '\n',
      );
    }
  } finally {
    // A graceful stop: node writes the CPU profile on exit.
    await Promise.all(children.map((child) => stopProcess(child)));
    removeHandlers();
    for (const dir of [dataDir, `${dataDir}-compare`]) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`verify-cpu bench failed: ${error instanceof Error ? error.message : error}\n`);
  process.exitCode = 1;
});
