import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer, waitUntilReady, type ChildServer } from './support/child-server';

const DRAIN_MS = 3000;

describe('graceful shutdown', () => {
  let dataDir: string;
  let server: ChildServer | undefined;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'ledger-drain-'))));
  afterEach(async () => {
    await server?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('on SIGTERM answers 503 on readiness (200 on liveness) for the drain period, then closes and exits 0', async () => {
    server = spawnServer({ LEDGER_DATA_DIR: dataDir, SHUTDOWN_DRAIN: `${DRAIN_MS / 1000}s` });
    await waitUntilReady(server);
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    // The signal is handled at once; poll until the process has seen it.
    let ready = 200;
    while (ready === 200 && Date.now() - signalled < DRAIN_MS) ready = (await fetch(`${server.url}/health/ready`)).status;
    expect(ready).toBe(503);
    expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
    expect(Date.now() - signalled).toBeLessThan(DRAIN_MS); // still within the drain: the port serves

    expect(await server.exited).toBe(0);
    const took = Date.now() - signalled;
    expect(took).toBeGreaterThanOrEqual(DRAIN_MS - 100);
    expect(took).toBeLessThan(DRAIN_MS + 10_000);
    await expect(fetch(`${server.url}/health/live`)).rejects.toThrow();
  }, 120_000);
});
