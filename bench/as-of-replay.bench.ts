/**
 * `asOf` answers from a replay: how long the token list at an instant takes out of a
 * 100,000-event ledger, to the end of its history and to its middle (all projects and one),
 * as a replay from position 0 (as before snapshots) and from the snapshots (TokenSnapshots):
 * cold (no snapshot file yet: the first list takes them), reopened (the file is there, nothing
 * in memory: a restarted server) and warm. Also one token's `asOf` (its own stream).
 * Prints one JSON line. Run: npm run bench -- as-of-replay
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { readAllPages, SqliteEventStore, type EventStore } from '@ledger/event-store';
import { replayTokens, tokenAsOf, TokenSnapshots } from '@ledger/projections';
import { cleanUpOnSignal } from './support/clean-up-on-signal';
import { appendSampleLedger } from './support/sample-ledger';

const EVENTS = 100_000;
const EVERY = 10_000;
const RUNS = 3;

/** Median milliseconds of `runs` runs, and the last result. */
async function timed<T>(run: () => Promise<T>, runs = RUNS): Promise<{ ms: number; result: T }> {
  const times: number[] = [];
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    result = await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { ms: Math.round(times[Math.floor(runs / 2)]), result };
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** Heap in use after a full collection, in MB. */
const heapMb = () => (gc(), gc(), process.memoryUsage().heapUsed / 1e6);

/** A single run, in milliseconds (a cold start happens once). */
const once = async <T>(run: () => Promise<T>) => (await timed(run, 1)).ms;

async function measure(store: EventStore, snapshotFile: string) {
  const first = (await store.readAll({ maxCount: 1 }))[0];
  const last = (await store.readAll({ after: (await store.headPosition()) - 1 }))[0];
  const middle = new Date((Date.parse(first.metadata.occurredAt as string) + Date.parse(last.metadata.occurredAt as string)) / 2);
  const end = new Date(Date.parse(last.metadata.occurredAt as string) + 1);

  const fullEnd = await timed(() => replayTokens(readAllPages(store), end));
  const fullMiddle = await timed(() => replayTokens(readAllPages(store), middle));
  const fullProject = await timed(() => replayTokens(readAllPages(store), end, 'shop'));

  const cold = TokenSnapshots.open(snapshotFile, store, { every: EVERY });
  const coldEnd = await once(() => cold.replay(end));
  const snapshotsTaken = cold.positions.length;
  await cold.close();

  const reopened = TokenSnapshots.open(snapshotFile, store, { every: EVERY });
  const reopenedEnd = await once(() => reopened.replay(end, 'shop'));
  const reopenedMiddle = await once(() => reopened.replay(middle, 'shop'));
  await reopened.close();

  const warm = TokenSnapshots.open(snapshotFile, store, { every: EVERY });
  await warm.replay(end); // the file in the page cache, as on a server that has answered one list
  const warmEnd = await timed(() => warm.replay(end));
  const warmMiddle = await timed(() => warm.replay(middle));
  const warmEndProject = await timed(() => warm.replay(end, 'shop'));
  const warmMiddleProject = await timed(() => warm.replay(middle, 'shop'));
  // Exact, not just fast: the same rows as the replay from position 0.
  const same =
    JSON.stringify(warmEnd.result.map((r) => r.id).sort()) === JSON.stringify(fullEnd.result.map((r) => r.id).sort()) &&
    JSON.stringify(warmMiddle.result.map((r) => r.id).sort()) === JSON.stringify(fullMiddle.result.map((r) => r.id).sort());
  await warm.close();

  // What a server keeps in memory between lists (the answers themselves are dropped).
  const heapBefore = heapMb();
  const probe = TokenSnapshots.open(snapshotFile, store, { every: EVERY });
  await probe.replay(end, 'shop');
  await probe.replay(middle);
  const heapKeptMb = Math.max(0, Math.round(heapMb() - heapBefore));
  for (let i = 0; i < 3; i++) {
    await probe.replay(end, 'shop');
    await probe.replay(middle);
  }
  const heapKeptLaterMb = Math.max(0, Math.round(heapMb() - heapBefore));
  await probe.close();

  const stream = await store.readStream(first.streamId);
  const one = await timed(async () => tokenAsOf(await store.readStream(first.streamId), end));
  return {
    bench: 'as-of-replay',
    events: EVENTS,
    tokens_at_end: fullEnd.result.length,
    full_replay_to_end_ms: fullEnd.ms,
    full_replay_to_middle_ms: fullMiddle.ms,
    full_replay_one_project_ms: fullProject.ms,
    snapshot_every: EVERY,
    snapshots: snapshotsTaken,
    snapshot_file_mb: Math.round(statSync(snapshotFile).size / 1e5) / 10,
    cold_first_list_to_end_ms: coldEnd,
    reopened_one_project_to_end_ms: reopenedEnd,
    reopened_one_project_to_middle_ms: reopenedMiddle,
    warm_to_end_ms: warmEnd.ms,
    warm_to_middle_ms: warmMiddle.ms,
    warm_one_project_to_end_ms: warmEndProject.ms,
    warm_one_project_to_middle_ms: warmMiddleProject.ms,
    same_rows_as_full_replay: same,
    one_token_as_of_ms: one.ms,
    one_token_events: stream.length,
    heap_kept_after_2_lists_mb: heapKeptMb,
    heap_kept_after_8_lists_mb: heapKeptLaterMb,
    rss_mb: Math.round(process.memoryUsage().rss / 1e6),
    runs: RUNS,
    load_average_1m: Math.round(loadavg()[0] * 10) / 10,
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'ledger-bench-asof-'));
  const removeHandlers = cleanUpOnSignal(() => rmSync(dir, { recursive: true, force: true }));
  try {
    const store = SqliteEventStore.open(join(dir, 'events.sqlite'));
    await appendSampleLedger(store, EVENTS);
    process.stdout.write(JSON.stringify(await measure(store, join(dir, 'token-snapshots.v1.sqlite'))) + '\n');
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
