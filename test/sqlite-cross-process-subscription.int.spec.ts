import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type RecordedEvent } from '@ledger/event-store';
import { TS_NODE_ARGS } from './support/typescript-runner';

/**
 * The reminder worker and the API are two processes on one events.sqlite: the worker's live
 * subscription must see appends the API makes. The SQLite adapter polls for them (every 250 ms);
 * this checks that it really delivers another process's appends, in order, without gaps.
 */
describe('SQLite subscription across processes', () => {
  it('delivers events appended by another process, live, in order and without gaps', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-xproc-'));
    const file = join(dir, 'events.sqlite');
    const store = SqliteEventStore.open(file);
    const seen: RecordedEvent[] = [];
    const subscription = store.subscribeToAll({}, (events) => void seen.push(...events));
    const child = spawn(process.execPath, [...TS_NODE_ARGS, join(__dirname, 'fixtures/crash-appender.ts'), file], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const deadline = Date.now() + 20_000;
      while (seen.length < 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(seen.length).toBeGreaterThanOrEqual(200);
      expect(seen.map((e) => e.position)).toEqual(seen.map((_, i) => i + 1));
    } finally {
      child.kill('SIGKILL');
      await exited;
      await subscription.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
