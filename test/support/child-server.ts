import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { TS_NODE_ARGS } from './typescript-runner';

const ROOT = join(__dirname, '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts something that must be given its port (nginx cannot take port 0) on one found free a
 * moment ago. Another suite's server may take that port first: the bind then fails ("Address
 * already in use" in the error, nginx's or Node's) and the start is tried again on another.
 */
export async function onFreePort<T>(start: (port: number) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePort());
    } catch (error) {
      if (attempt === attempts || !/address already in use/i.test(String(error))) throw error;
    }
  }
}

export interface ChildServer {
  /** The server's base URL, known once it has printed its start line. */
  readonly url: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code, or the signal that ended the process. */
  exited: Promise<number | string | null>;
  stop(signal?: NodeJS.Signals): Promise<number | string | null>;
}

const START_LINE = /^Token Ledger listening on (http:\/\/\S+) /m;

/**
 * The API as its own process (its TypeScript run through ts-node), as `npm start` runs it.
 *
 * It listens on a port the kernel picks, and the URL is read from its start line: a port found
 * free beforehand can be taken by another suite's server while this one boots, and the readiness
 * poll would then be answered by that neighbour.
 */
export function spawnServer(env: NodeJS.ProcessEnv): ChildServer {
  const child = spawn(process.execPath, [...TS_NODE_ARGS, join(ROOT, 'apps/api/src/main.ts')], {
    cwd: ROOT,
    // No drain on SIGTERM unless a test asks for one (graceful-shutdown.e2e): stops stay quick.
    env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: '0', SHUTDOWN_DRAIN: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  return {
    get url(): string {
      const printed = START_LINE.exec(out);
      if (!printed) throw new Error('the server has not printed its start line yet (await waitUntilReady first)');
      return printed[1];
    },
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** The URL once the server has printed it, or null while it boots. */
function urlOf(server: ChildServer): string | null {
  try {
    return server.url;
  } catch {
    return null;
  }
}

/** Polls readiness until the server answers 200, failing early if the process exits. */
export async function waitUntilReady(server: ChildServer, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`server exited early: ${server.stderr()}`);
    const url = urlOf(server);
    try {
      if (url !== null && (await fetch(`${url}/health/ready`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not ready after ${timeoutMs} ms: ${server.stderr()}`);
}
