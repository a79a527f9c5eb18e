import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The repository root, the same whether a bench runs from bench/ or from dist/bench/. */
export const ROOT = join(__dirname, '..', '..').replace(/[/\\]dist$/, '');
/** The built API server: benches run the compiled code, as production does. */
export const MAIN = join(ROOT, 'dist/apps/api/src/main.js');

/**
 * The node flags `npm start` (and the Dockerfile) run the server with: V8's memory settings are
 * part of what is measured, so every bench starts the server with `[...SERVICE_NODE_FLAGS, MAIN]`.
 */
export const SERVICE_NODE_FLAGS: string[] = serviceNodeFlags(require(join(ROOT, 'package.json')).scripts.start);

export function serviceNodeFlags(startScript: string): string[] {
  const match = /\bnode((?: --[\w-]+(?:=\S+)?)*) dist\/apps\/api\/src\/main\.js/.exec(startScript);
  if (!match) throw new Error(`cannot find the server's node command in the start script: ${startScript}`);
  return match[1]
    .trim()
    .split(' ')
    .filter((flag) => flag.length > 0);
}

/** The part of autocannon's result the benches read (autocannon ships no types). */
export interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
export const autocannon: (options: object) => Promise<AutocannonResult> = require('autocannon');

// The same staleness rule as `npm start`: benchmarking an old build would measure the wrong code.
export const { buildIfNeeded }: { buildIfNeeded(): void } = require(join(ROOT, 'scripts/build-if-needed.js'));

/** A port that was free a moment ago, for a server the bench starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** SIGTERM (a graceful stop, as in production), then SIGKILL if it has not exited within 5 s. */
export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
