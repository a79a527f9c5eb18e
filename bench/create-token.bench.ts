/**
 * Create-token throughput over HTTP with durable writes: the built server runs as its own
 * process (as in production), autocannon drives it over loopback. Prints one JSON line.
 * Run: npm run bench -- create-token
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { autocannon, buildIfNeeded, freePort, MAIN, SERVICE_NODE_FLAGS, ROOT, stopProcess } from './support/bench-kit';
import { cleanUpOnSignal } from './support/clean-up-on-signal';
import { cpuSeconds } from './support/ledger-process';

const CONNECTIONS = 16;
const WARMUP_S = 2;
const DURATION_S = 10;
const START_TIMEOUT_MS = 30_000;

/** Resolves with the root token once the server prints it and answers readiness. */
async function started(child: ChildProcess, url: string): Promise<string> {
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (err += chunk));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}): ${err}`);
    const token = /Root token \(shown once\): (tlr_\S+)/.exec(out)?.[1];
    if (
      token &&
      (await fetch(`${url}/health/ready`).then(
        (r) => r.ok,
        () => false,
      ))
    )
      return token;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not ready after ${START_TIMEOUT_MS} ms: ${err}`);
}

async function main(): Promise<void> {
  buildIfNeeded();
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-bench-http-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, MAIN], {
    cwd: ROOT,
    // One caller creates as fast as it can: the admin API's default rate limit would answer 429s,
    // and the run creates more than the default cap of active tokens in one project.
    env: {
      ...process.env,
      LEDGER_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      ADMIN_RATE_LIMIT: 'off',
      MAX_ACTIVE_TOKENS_PER_PROJECT: '10000000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const removeHandlers = cleanUpOnSignal(() => {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });
  try {
    const rootToken = await started(child, url);
    const load = (duration: number) =>
      autocannon({
        url: `${url}/v1/projects/bench/tokens`,
        method: 'POST',
        headers: { authorization: `Bearer ${rootToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'bench', scopes: ['read'] }),
        connections: CONNECTIONS,
        duration,
      });
    await load(WARMUP_S); // JIT and SQLite page cache, not measured
    const pid = child.pid!;
    const before = { process: cpuSeconds(pid), mainThread: cpuSeconds(pid, true), at: performance.now() };
    const result = await load(DURATION_S);
    const seconds = (performance.now() - before.at) / 1000;
    const cpu = { process: cpuSeconds(pid) - before.process, mainThread: cpuSeconds(pid, true) - before.mainThread };
    process.stdout.write(
      JSON.stringify({
        bench: 'create-token-http',
        connections: CONNECTIONS,
        req_per_s: Math.round(result.requests.average),
        p50_ms: result.latency.p50,
        p99_ms: result.latency.p99,
        non_2xx: result.non2xx,
        // What bounds it here (docs/performance.md, "Durable create: bound by one core here"): the
        // event loop's thread. Its CPU share leaves out the time it waits in each commit's fsync.
        server_cpu_us_per_req: Math.round((cpu.process * 1e6) / result.requests.total),
        main_thread_cpu_share: Math.round((cpu.mainThread / seconds) * 100) / 100,
        target_req_per_s: 3000,
      }) + '\n',
    );
    // Failed requests make the rate meaningless: that is a broken run, not a missed target.
    if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
      throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
    }
  } finally {
    await stopProcess(child);
    removeHandlers();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`create-token bench failed: ${error instanceof Error ? error.message : error}\n`);
  process.exitCode = 1;
});
