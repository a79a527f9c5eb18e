import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { autocannon, type AutocannonResult, MAIN, ROOT, SERVICE_NODE_FLAGS } from './bench-kit';

/** BENCH_START_TIMEOUT_S: a first start on a million tokens folds them all into the reminder read model. */
const startTimeoutMs = () => Number(process.env.BENCH_START_TIMEOUT_S ?? 120) * 1000;

/** Starts a node process and resolves once `ready` says so; rejects if it exits or takes too long. */
export function startProcess(args: string[], env: NodeJS.ProcessEnv, ready: (out: string) => Promise<boolean>): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + startTimeoutMs();
    const poll = async () => {
      if (child.exitCode !== null) return reject(new Error(`${args[args.length - 1]} exited early: ${err}`));
      if (await ready(out)) return resolve(child);
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        return reject(new Error(`${args[args.length - 1]} not ready: ${err}`));
      }
      setTimeout(() => void poll().catch(reject), 100);
    };
    void poll().catch(reject);
  });
}

/**
 * Ready, and the reminder feed done with its start: the feed starts once the port is open and
 * readiness does not wait for it (it says `"starting":true` meanwhile). A first start folds every
 * token into the reminder read model, a restart re-derives every live token's reminders.
 */
export async function remindersStarted(port: number): Promise<boolean> {
  const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null);
  return ready !== null && ready.ok && !(await ready.text()).includes('"starting":true');
}

/** Polls remindersStarted (after a start measured to `ready`, before loading the ledger). */
export async function waitForRemindersStarted(port: number): Promise<void> {
  const deadline = Date.now() + startTimeoutMs();
  while (!(await remindersStarted(port))) {
    if (Date.now() > deadline) throw new Error(`the reminder feed on port ${port} did not finish starting`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The built ledger with `npm start`'s node flags. It is not empty, so it prints no root token.
 * Resolves when readiness says every read model caught up (`ready`), or also once the reminder
 * feed has started (`reminders-started`).
 */
export function startLedger(dataDir: string, port: number, env: NodeJS.ProcessEnv = {}, until: 'ready' | 'reminders-started' = 'ready'): Promise<ChildProcess> {
  return startProcess([...SERVICE_NODE_FLAGS, MAIN], { LEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), ...env }, () =>
    until === 'ready'
      ? fetch(`http://127.0.0.1:${port}/health/ready`).then(
          (r) => r.ok,
          () => false,
        )
      : remindersStarted(port),
  );
}

export const rssMb = (pid: number, field: 'VmRSS' | 'VmHWM') =>
  Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);

/** Samples a process's RSS every 200 ms until stopped; the highest reading is the peak. */
export function sampleRss(pid: number): () => number {
  let peak = rssMb(pid, 'VmRSS');
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid, 'VmRSS'))), 200);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

/**
 * RSS once the process has been idle for `seconds`: V8 returns the pages a start-up catch-up or a
 * load burst left behind only after a few quiet seconds (its memory reducer), so a reading taken
 * the moment the load stops shows garbage, not what the service holds.
 */
export async function settledRss(pid: number, seconds: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return rssMb(pid, 'VmRSS');
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 10 ms); with
 * `mainThread`, only its main thread's (the event loop's; a process's own id is its main thread's).
 */
export function cpuSeconds(pid: number, mainThread = false): number {
  const fields = readFileSync(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8')
    .split(') ')[1]
    .split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export interface LoadOptions {
  bench: string;
  server: string;
  route: string;
  url: string;
  request: object;
  connections: number;
  warmupS: number;
  seconds: number;
  /** Sampled for its RSS peak and CPU time while loaded. */
  pid?: number;
  round?: number;
}

/** A warm-up, then the measured run; prints its JSON line; throws on any failed request. */
export async function load(o: LoadOptions): Promise<AutocannonResult & { rssPeak?: number; cpuUsPerRequest?: number }> {
  if (o.warmupS > 0) await autocannon({ url: o.url, connections: o.connections, duration: o.warmupS, ...o.request });
  const peak = o.pid === undefined ? undefined : sampleRss(o.pid);
  const cpuBefore = o.pid === undefined ? 0 : cpuSeconds(o.pid);
  const result = await autocannon({ url: o.url, connections: o.connections, duration: o.seconds, ...o.request });
  // CPU per request: unlike req/s, it hardly moves with what else the machine is running.
  const cpuUsPerRequest = o.pid === undefined ? undefined : Math.round(((cpuSeconds(o.pid) - cpuBefore) * 1e6) / result.requests.total);
  const rssPeak = peak?.();
  const line = {
    bench: o.bench,
    server: o.server,
    route: o.route,
    ...(o.round === undefined ? {} : { round: o.round }),
    connections: o.connections,
    seconds: o.seconds,
    req_per_s: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    non_2xx: result.non2xx,
    ...(cpuUsPerRequest === undefined ? {} : { server_cpu_us_per_req: cpuUsPerRequest }),
    ...(rssPeak === undefined ? {} : { rss_peak_mb: rssPeak }),
  };
  process.stdout.write(JSON.stringify(line) + '\n');
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${o.server} ${o.route}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return { ...result, rssPeak, cpuUsPerRequest };
}

export const round1 = (n: number) => Math.round(n * 10) / 10;
export const round2 = (n: number) => Math.round(n * 100) / 100;
