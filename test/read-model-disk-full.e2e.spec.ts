import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, symlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { EVENTS_FILE } from '@ledger/config';
import { until } from './support/reminder-behaviour';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';
import { skipLoudly } from './support/skip-loudly';

/** Mounts a small tmpfs on a fresh directory, or says why it cannot (not root, no CAP_SYS_ADMIN). */
function mountSmallDisk(): { dir: string } | { why: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dir], { stdio: 'pipe' });
    return { dir };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return { why: `cannot mount a tmpfs here (${String((error as { stderr?: Buffer }).stderr ?? error).trim()})` };
  }
}

/** Writes zeros until the disk says ENOSPC. */
function fillDisk(file: string): void {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

const probe = mountSmallDisk();
const verifies = async (server: LedgerServer, value: string) => (await call(server, 'POST', '/v1/tokens/verify', { body: { token: value } })).body.valid;

describe('the read model on a disk that fills up (tmpfs)', () => {
  if ('why' in probe) {
    skipLoudly('disk-full test on a tmpfs', probe.why);
    return;
  }
  const dataDir = probe.dir;
  // The ledger on the ordinary disk (as a replica links it): only the read models fill up.
  const ledgerDir = mkdtempSync(join(tmpdir(), 'ledger-tmpfs-ledger-'));
  let server: LedgerServer | undefined;
  afterAll(async () => {
    await server?.stop();
    execFileSync('umount', [dataDir]);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(ledgerDir, { recursive: true, force: true });
  });

  it('enforces a revoke made while the disk is full, and catches up by itself once space is back', async () => {
    const ledger = join(ledgerDir, EVENTS_FILE);
    await SqliteEventStore.open(ledger).close();
    symlinkSync(ledger, join(dataDir, EVENTS_FILE));
    server = await startLedgerServer({ dataDir, env: { PROJECTION_WAIT_TIMEOUT: '1s' } });
    const created = await call(server, 'POST', '/v1/projects/shop/tokens', { token: server.rootToken, body: { name: 'svc', scopes: ['orders:read'] } });
    expect(created.status).toBe(201);
    const { token, value } = created.body as { token: { id: string }; value: string };

    const filler = join(dataDir, 'filler');
    fillDisk(filler);
    const revoke = await call(server, 'DELETE', `/v1/projects/shop/tokens/${token.id}`, { token: server.rootToken });
    expect(revoke.status).toBe(503); // recorded in the ledger, the read model cannot show it
    await until(async () => !(await verifies(server!, value)), 15_000, 'the revoked token refused while the disk is full');
    expect(JSON.stringify((await call(server, 'GET', '/health/ready')).body)).toContain('projection retrying after an error (SQLITE_FULL)');

    rmSync(filler);
    await until(
      async () => {
        const row = await call(server!, 'GET', `/v1/projects/shop/tokens/${token.id}`, { token: server!.rootToken });
        return row.body.status === 'revoked';
      },
      15_000,
      'the read model shows the revoke once space is back',
    );
    expect(await verifies(server, value)).toBe(false);
    // The reminder read model shares the disk: it too follows again by itself.
    await until(async () => (await call(server!, 'GET', '/health/ready')).status === 200, 15_000, 'readiness 200 again');
  }, 60_000);
});
