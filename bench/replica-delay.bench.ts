/**
 * Replica delay: how long after a revoke answers on replica A the token stops working on replica
 * B. Two built servers run as their own processes, each with its own read model and token index,
 * sharing one SQLite events file (B's subscription polls it every 250 ms) — the topology of the
 * compose file with SQLite standing in for EventStoreDB, which pushes appends to subscribers
 * instead of being polled. Prints one JSON line. Run: npm run bench -- replica-delay
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIfNeeded, freePort, MAIN, SERVICE_NODE_FLAGS, ROOT, stopProcess } from './support/bench-kit';
import { cleanUpOnSignal } from './support/clean-up-on-signal';

const SAMPLES = 30;
const START_TIMEOUT_MS = 30_000;

async function startReplica(dataDir: string): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, MAIN], {
    cwd: ROOT,
    // The bench polls B as fast as it can from one address, and a token B has not seen yet is
    // not_found there: the rate limits would answer 429s and hide the delay being measured.
    env: {
      ...process.env,
      LEDGER_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      ADMIN_RATE_LIMIT: 'off',
      FAILED_AUTH_LIMIT: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (out += chunk));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (
    !(await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`replica did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url, output: () => out };
}

const status = (url: string, path: string, token: string, method = 'GET') =>
  fetch(url + path, { method, headers: { authorization: `Bearer ${token}` } }).then(async (r) => ({ status: r.status, body: await r.json() }));

/** Milliseconds until `check` holds, polling as fast as one request at a time allows. */
async function timeUntil(check: () => Promise<boolean>, limitMs = 10_000): Promise<number> {
  const started = performance.now();
  while (!(await check())) if (performance.now() - started > limitMs) throw new Error(`not within ${limitMs} ms`);
  return performance.now() - started;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main(): Promise<void> {
  buildIfNeeded();
  const dirA = mkdtempSync(join(tmpdir(), 'ledger-bench-replica-a-'));
  const dirB = mkdtempSync(join(tmpdir(), 'ledger-bench-replica-b-'));
  const children: ChildProcess[] = [];
  const removeHandlers = cleanUpOnSignal(() => {
    for (const child of children) child.kill('SIGKILL');
    for (const dir of [dirA, dirB]) rmSync(dir, { recursive: true, force: true });
  });
  try {
    const a = await startReplica(dirA);
    children.push(a.child);
    const root = /Root token \(shown once\): (tlr_\S+)/.exec(a.output())![1];
    symlinkSync(join(dirA, 'events.sqlite'), join(dirB, 'events.sqlite'));
    const b = await startReplica(dirB);
    children.push(b.child);

    const delays: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const created = await fetch(`${a.url}/v1/projects/bench/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${root}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `replica-${i}`, scopes: ['tokens:read'] }),
      }).then((r) => r.json() as Promise<{ token: { id: string }; value: string }>);
      const path = `/v1/projects/bench/tokens/${created.token.id}`;
      await timeUntil(async () => (await status(b.url, path, created.value)).status === 200);
      // Seeing the create just now put us right after one of B's polls: revoke at a random phase.
      await new Promise((r) => setTimeout(r, Math.random() * 250));
      const revoked = await status(a.url, path, root, 'DELETE');
      if (revoked.status !== 200) throw new Error(`revoke answered ${revoked.status}`);
      delays.push(await timeUntil(async () => (await status(b.url, path, created.value)).status === 401));
    }
    delays.sort((x, y) => x - y);
    process.stdout.write(
      JSON.stringify({
        bench: 'replica-delay',
        store: 'sqlite-shared-file',
        poll_interval_ms: 250,
        samples: SAMPLES,
        p50_ms: Math.round(percentile(delays, 50)),
        p95_ms: Math.round(percentile(delays, 95)),
        max_ms: Math.round(delays[delays.length - 1]),
      }) + '\n',
    );
  } finally {
    await Promise.all(children.map(stopProcess));
    removeHandlers();
    for (const dir of [dirA, dirB]) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`replica-delay bench failed: ${error instanceof Error ? error.message : error}\n`);
  process.exitCode = 1;
});
