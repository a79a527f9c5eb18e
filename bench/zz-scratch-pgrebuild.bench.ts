import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rebuildTokenList, TokenListReadModel } from '@ledger/projections';
import { PostgresEventStore } from '../libs/event-store/src/postgres/postgres-event-store';
import { appendSampleLedger } from './support/sample-ledger';

const timings: Record<string, number> = {};
for (const m of ['copyRowsFrom', 'createIndexes', 'seal'] as const) {
  const proto = TokenListReadModel.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const orig = proto[m];
  proto[m] = function (this: unknown, ...a: unknown[]) {
    const t = performance.now();
    try { return orig.apply(this, a); } finally { timings[m] = Math.round(performance.now() - t); }
  };
}

async function main(): Promise<void> {
  const url = process.env.PGR_URL!;
  const dir = mkdtempSync(join(tmpdir(), 'pgr-'));
  const source = PostgresEventStore.connect(url);
  if (process.env.PGR_FILL) {
    await appendSampleLedger(source, 100_000);
    console.log('filled');
  }
  for (let i = 0; i < Number(process.env.PGR_RUNS ?? 3); i++) {
    const started = performance.now();
    let first = 0; let last = 0;
    const onProgress = () => { const t = performance.now() - started; if (!first) first = t; last = t; };
    const { events, threads } = await rebuildTokenList(source, join(dir, `t${i}.sqlite`), {
      onProgress,
      source: { location: { eventStoreUrl: null, databaseUrl: url }, sqliteFile: join(dir, 'unused.sqlite') },
      ...(process.env.PGR_THREADS ? { workers: Number(process.env.PGR_THREADS) } : {}),
      ...(process.env.PGR_BATCH ? { batchSize: Number(process.env.PGR_BATCH) } : {}),
    } as never);
    const s = (performance.now() - started) / 1000;
    console.log(JSON.stringify({ events, threads, s: Math.round(s * 1000), eps: Math.round(events / s), firstPageMs: Math.round(first), foldedMs: Math.round(last), ...timings }));
  }
  await source.close();
  rmSync(dir, { recursive: true, force: true });
}
void main();
