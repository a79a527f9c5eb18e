import { randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { EVENTS_FILE } from '@ledger/config';
import { spawnServer, type ChildServer } from './support/child-server';

/** A ledger of a few hundred pages, so that its middle is table or index pages, not the header. */
async function seedLedger(file: string): Promise<void> {
  const store = SqliteEventStore.open(file);
  const padding = 'x'.repeat(300);
  for (let i = 0; i < 20; i++) {
    const events = Array.from({ length: 100 }, () => ({ id: randomUUID(), type: 'PaddingRecorded', data: { padding }, metadata: {} }));
    await store.appendToStream(`padding-${i}`, events, 'no_stream');
  }
  await store.close();
}

function writeGarbage(file: string): void {
  const middle = Math.floor(statSync(file).size / 2 / 4096) * 4096;
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(3 * 4096, 0xa5), 0, 3 * 4096, middle);
  } finally {
    closeSync(fd);
  }
}

describe('a corrupted ledger at start', () => {
  let dataDir: string;
  let server: ChildServer | undefined;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'ledger-corrupt-'))));
  afterEach(async () => {
    await server?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits non-zero with one line naming the file, the fault and what to do', async () => {
    const file = join(dataDir, EVENTS_FILE);
    await seedLedger(file);
    writeGarbage(file);
    server = spawnServer({ LEDGER_DATA_DIR: dataDir });
    const code = await server.exited;
    expect(code).not.toBe(0);
    const lines = server.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(file);
    expect(lines[0]).toMatch(/corrupt|malformed/i);
    expect(lines[0]).toContain('ledger audit verify');
    expect(lines[0]).toMatch(/restore .* backup/);
  }, 90_000);
});
