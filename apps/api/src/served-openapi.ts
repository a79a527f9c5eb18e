import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '@ledger/config';
import { createLedgerApp } from './app.factory';

/**
 * The document exactly as /openapi.json serves it, from a throw-away ledger on a loopback port:
 * what libs/client's checked-in copy is generated from (scripts/client-types.js).
 */
export async function servedOpenApiDocument(): Promise<unknown> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-openapi-'));
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  const app = await createLedgerApp(loadConfig({ LEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'error' }), { logDestination: quiet, announce: () => undefined });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.getHttpServer().address() as { port: number };
    return await (await fetch(`http://127.0.0.1:${port}/openapi.json`)).json();
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
