import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, lockDataDir } from '@ledger/projections';
import { spawnServer, waitUntilReady, type ChildServer } from './support/child-server';

/** Two API processes on one data directory would apply every event twice to its read model. */
describe('one API process per data directory', () => {
  let dataDir: string;
  const running: ChildServer[] = [];
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'ledger-lock-'))));
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop('SIGKILL')));
    rmSync(dataDir, { recursive: true, force: true });
  });

  const spawn = async () => {
    const server = spawnServer({ LEDGER_DATA_DIR: dataDir });
    running.push(server);
    return server;
  };

  it('refuses a second process with one line and status 1; after kill -9 of the first, a new one starts', async () => {
    const first = await spawn();
    await waitUntilReady(first);

    const second = await spawn();
    expect(await second.exited).toBe(1);
    const lines = second.stderr().trim().split('\n');
    expect(lines).toEqual([expect.stringContaining(`LEDGER_DATA_DIR ${dataDir} is in use by another api process`)]);
    expect((await fetch(`${first.url}/health/ready`)).status).toBe(200); // the first one is untouched

    expect(await first.stop('SIGKILL')).toBe('SIGKILL');
    const third = await spawn();
    await waitUntilReady(third);
  }, 180_000);

  it('is held per role and per directory, refused in the same process too, and free again once released', () => {
    const api = lockDataDir(dataDir, 'api');
    const worker = lockDataDir(dataDir, 'worker'); // the worker's read model is another file
    const otherDir = mkdtempSync(join(tmpdir(), 'ledger-lock-other-'));
    const replica = lockDataDir(otherDir, 'api'); // a replica with its own directory
    expect(() => lockDataDir(dataDir, 'api')).toThrow(DataDirLockedError);
    api.release();
    lockDataDir(dataDir, 'api').release();
    worker.release();
    replica.release();
    rmSync(otherDir, { recursive: true, force: true });
  });
});
