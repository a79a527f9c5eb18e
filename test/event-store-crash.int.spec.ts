import { SqliteEventStore } from '@ledger/event-store';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ack } from './fixtures/crash-appender';
import { TS_NODE_ARGS } from './support/typescript-runner';

const ROOT = join(__dirname, '..');
const KILL_AFTER_ACKS = 300;

/** Invariant 1 (docs/architecture.md, "Invariants"): an acknowledged write survives a crash (kill -9) and restart. */
describe('sqlite event store under kill -9', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-crash-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged append, in order, with contiguous revisions per stream', async () => {
    const file = join(dir, 'events.db');
    const { acks, signal, stderr } = await runAndKill(file);
    expect({ signal, stderr }).toEqual({ signal: 'SIGKILL', stderr: '' });
    expect(acks.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

    const store = SqliteEventStore.open(file);
    const all = await store.readAll();
    const byStream = new Map<string, typeof all>();
    for (const e of all) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
    for (const ack of acks) {
      const stream = byStream.get(ack.streamId) ?? [];
      const recorded = stream.slice(ack.revision, ack.revision + ack.ids.length);
      expect(recorded.map((e) => e.id)).toEqual(ack.ids);
      expect(recorded[recorded.length - 1].position).toBe(ack.position);
    }
    for (const stream of byStream.values()) {
      expect(stream.map((e) => e.revision)).toEqual(stream.map((_, i) => i));
    }
    all.slice(1).forEach((e, i) => expect(e.position).toBeGreaterThan(all[i].position));
    await store.close();
  });
});

/** Runs the appender until it has acknowledged KILL_AFTER_ACKS appends, then SIGKILLs it. */
function runAndKill(file: string): Promise<{ acks: Ack[]; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, [...TS_NODE_ARGS, 'test/fixtures/crash-appender.ts', file], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let lines = 0;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    lines += chunk.split('\n').length - 1;
    if (lines >= KILL_AFTER_ACKS) child.kill('SIGKILL');
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timeout = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(timeout);
      // The line being written at the kill may be cut short: only whole lines are acks.
      const acks = stdout
        .split('\n')
        .slice(0, -1)
        .map((line) => JSON.parse(line) as Ack);
      resolve({ acks, signal, stderr });
    });
  });
}
