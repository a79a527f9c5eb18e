/**
 * `asOf` answers from a replay: how long the token list's replay of a 100,000-event ledger takes
 * (to the middle of its history and to its end, all projects and one), and one token's `asOf`
 * (its own stream). Prints one JSON line. Run: npm run bench -- as-of-replay
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAllPages, SqliteEventStore, type EventStore } from '@ledger/event-store';
import { replayTokens, tokenAsOf } from '@ledger/projections';
import { cleanUpOnSignal } from './support/clean-up-on-signal';
import { appendSampleLedger } from './support/sample-ledger';

const EVENTS = 100_000;
const RUNS = 3;

/** Median milliseconds of `RUNS` runs, and the last result. */
async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const times: number[] = [];
  let result!: T;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    result = await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { ms: Math.round(times[Math.floor(RUNS / 2)]), result };
}

async function measure(store: EventStore) {
  const first = (await store.readAll({ maxCount: 1 }))[0];
  const last = (await store.readAll({ after: (await store.headPosition()) - 1 }))[0];
  const middle = new Date((Date.parse(first.metadata.occurredAt as string) + Date.parse(last.metadata.occurredAt as string)) / 2);
  const end = new Date(Date.parse(last.metadata.occurredAt as string) + 1);
  const all = await timed(() => replayTokens(readAllPages(store), end));
  const mid = await timed(() => replayTokens(readAllPages(store), middle));
  const project = await timed(() => replayTokens(readAllPages(store), end, 'shop'));
  const stream = await store.readStream(first.streamId);
  const one = await timed(async () => tokenAsOf(await store.readStream(first.streamId), end));
  return {
    bench: 'as-of-replay',
    events: EVENTS,
    replay_to_end_ms: all.ms,
    replay_to_end_tokens: all.result.length,
    replay_events_per_s: Math.round(EVENTS / (all.ms / 1000)),
    replay_to_middle_ms: mid.ms,
    replay_one_project_ms: project.ms,
    one_token_as_of_ms: one.ms,
    one_token_events: stream.length,
    runs: RUNS,
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'ledger-bench-asof-'));
  const removeHandlers = cleanUpOnSignal(() => rmSync(dir, { recursive: true, force: true }));
  try {
    const store = SqliteEventStore.open(join(dir, 'events.sqlite'));
    await appendSampleLedger(store, EVENTS);
    process.stdout.write(JSON.stringify(await measure(store)) + '\n');
    await store.close();
  } finally {
    removeHandlers();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`as-of-replay bench failed: ${error instanceof Error ? error.stack : error}\n`);
  process.exitCode = 1;
});
