import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SqliteEventStore } from '@ledger/event-store';
import { appendUsageLedger } from '../bench/support/usage-ledger';
import { startLedgerServer, type LedgerServer } from './support/ledger-server';
const { formatRootToken } = require('../scripts/root-token.js') as { formatRootToken(bytes: Buffer): string };

const EVENTS = 200_000;
const MB = 1024 * 1024;

// What stays alive is what matters: garbage waits for the collector whatever the code does, so
// memory is sampled right after a full collection.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const liveHeap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

/**
 * GET /v1/audit/export of 200,000 events with memory that does not grow with the export: the
 * server (in this process) and the reader together stay far below the size of what is sent.
 * The detailed measurement is bench/audit-export.bench.ts.
 */
describe('audit export of 200,000 events', () => {
  let server: LedgerServer;
  const root = formatRootToken(randomBytes(32));

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-export-'));
    const store = SqliteEventStore.open(join(dataDir, 'events.sqlite'));
    await appendUsageLedger(store, EVENTS);
    await store.close();
    server = await startLedgerServer({ dataDir, env: { LEDGER_BOOTSTRAP_TOKEN: root, LOG_LEVEL: 'warn' } });
  }, 120_000);
  afterAll(() => server?.close());

  it('streams every event and the trailer in flat memory', async () => {
    const baseline = liveHeap();
    let peak = baseline;
    let samples = 0;
    let bytes = 0;
    let lines = 0;
    let tail = '';
    // Sampled every 8 MB received: the server is then mid-stream (it shares this process).
    let nextSample = 8 * MB;
    const response = await fetch(`${server.url}/v1/audit/export?format=ndjson`, { headers: { authorization: `Bearer ${root}` } });
    expect(response.status).toBe(200);
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      const text = decoder.decode(chunk, { stream: true });
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
      tail = (tail + text).slice(-400);
      if (bytes >= nextSample) {
        peak = Math.max(peak, liveHeap());
        samples++;
        nextSample += 8 * MB;
      }
    }
    const trailer = JSON.parse(tail.trimEnd().split('\n').at(-1)!).trailer;
    // Every seeded event and the bootstrap's root token; the in-process reminders may record
    // overdue rotation reminders while the export runs, so the snapshot can hold a few more.
    expect(trailer.count).toBeGreaterThanOrEqual(EVENTS + 1);
    expect(lines).toBe(trailer.count + 1);
    const growthMb = (peak - baseline) / MB;
    process.stdout.write(`audit export: ${Math.round(bytes / MB)} MB sent; live heap peaked ${growthMb.toFixed(1)} MB above its start (${samples} samples)\n`);
    expect(bytes).toBeGreaterThan(120 * MB);
    expect(samples).toBeGreaterThanOrEqual(15);
    // Buffering the export would hold at least its size; streaming holds a few pages.
    expect(growthMb).toBeLessThan(40);
  }, 120_000);
});
