import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@ledger/config';
import { createLedgerApp } from '../../apps/api/src/app.factory';

export interface LedgerServer {
  app: NestFastifyApplication;
  url: string;
  dataDir: string;
  /** The value printed on the first start, when the ledger was empty. */
  rootToken: string;
  /** Everything the app logged so far, and the lines it announced on stdout. */
  output(): string;
  /** Stops the app (keeping the data directory). */
  stop(): Promise<void>;
  /** Stops the app and removes the data directory. */
  close(): Promise<void>;
}

/**
 * A real Token Ledger listening on an ephemeral loopback port, with its own data directory
 * (a fresh temporary one unless given) and its logs captured for inspection.
 */
export async function startLedgerServer(options: { dataDir?: string; env?: NodeJS.ProcessEnv } = {}): Promise<LedgerServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
  const config = loadConfig({ LEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'info', ...options.env });
  const chunks: string[] = [];
  const logDestination = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const app = await createLedgerApp(config, { logDestination, announce: (line) => chunks.push(line + '\n') });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await app.close();
  };
  const output = () => chunks.join('');
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    dataDir,
    rootToken: /Root token \(shown once\): (tlr_\S+)/.exec(output())?.[1] ?? '',
    output,
    stop,
    close: async () => {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** fetch with a bearer token and JSON body, answering status, headers and parsed JSON. */
export async function call(
  server: { url: string },
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(server.url + path, {
    method,
    headers,
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body };
}
