import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { TS_NODE_ARGS } from './typescript-runner';

const ROOT = join(__dirname, '..', '..');

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | string | null>;
  stop(signal?: NodeJS.Signals): Promise<number | string | null>;
}

/** `npm run start:worker` as its own process (TypeScript through ts-node); resolves once it runs. */
export async function startWorkerProcess(env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [...TS_NODE_ARGS, join(ROOT, 'apps/worker/src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const worker: WorkerProcess = {
    child,
    output: () => out,
    exited,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (!out.includes('reminder worker started')) {
    if (child.exitCode !== null) throw new Error(`worker exited early: ${out}`);
    if (Date.now() > deadline) {
      await worker.stop('SIGKILL');
      throw new Error(`worker not started after ${timeoutMs} ms: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return worker;
}
