/**
 * Reminder throughput: the reminder feed catching up on a 50,000-event ledger (fold + read model
 * writes), and re-adding every pending reminder to BullMQ as after a Redis loss (skipped, with a
 * line saying so, when no Redis answers). Prints JSON lines.
 * Run: npm run bench -- reminders
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { BullmqReminderScheduler, deleteRedisPrefix, ReminderFeed, ReminderReadModel } from '@ledger/reminders';
import { cleanUpOnSignal } from './support/clean-up-on-signal';
import { appendSampleLedger } from './support/sample-ledger';

const EVENTS = 50_000;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const POLICY = { leadsSeconds: [14 * 86_400, 7 * 86_400, 86_400], rotationPeriodSeconds: 90 * 86_400 };
const round = (n: number) => Math.round(n * 1000) / 1000;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'ledger-bench-reminders-'));
  const prefix = `bench-reminders-${randomBytes(6).toString('hex')}`;
  const removeHandlers = cleanUpOnSignal(() => rmSync(dir, { recursive: true, force: true }));
  try {
    const store = SqliteEventStore.open(join(dir, 'events.db'));
    await appendSampleLedger(store, EVENTS);
    const readModel = ReminderReadModel.open(join(dir, 'reminders.db'));

    let started = performance.now();
    const feed = new ReminderFeed(store, readModel, POLICY, null);
    await feed.start();
    let seconds = (performance.now() - started) / 1000;
    await feed.stop();
    const pending = [...readModel.pending(POLICY)].length;
    const line = {
      bench: 'reminders',
      case: 'feed-catch-up',
      events: EVENTS,
      seconds: round(seconds),
      events_per_s: Math.round(EVENTS / seconds),
      pending_reminders: pending,
    };
    process.stdout.write(JSON.stringify(line) + '\n');

    const scheduler = new BullmqReminderScheduler({ redisUrl: REDIS_URL, prefix }, { attempts: 3, retryDelayMs: 1000 });
    try {
      await scheduler.queue.waitUntilReady();
    } catch {
      process.stdout.write(JSON.stringify({ bench: 'reminders', case: 'resync-bullmq', skipped: `no Redis at ${REDIS_URL}` }) + '\n');
      await scheduler.close().catch(() => undefined);
      return;
    }
    try {
      const resync = new ReminderFeed(store, readModel, POLICY, scheduler);
      started = performance.now();
      const count = await resync.resync();
      seconds = (performance.now() - started) / 1000;
      const again = performance.now();
      await resync.resync(); // every id already there: a no-op per reminder
      const idempotentSeconds = (performance.now() - again) / 1000;
      const counts = await scheduler.counts();
      if (counts.delayed + counts.waiting !== count) throw new Error(`queued ${counts.delayed + counts.waiting}, expected ${count}`);
      const result = {
        bench: 'reminders',
        case: 'resync-bullmq',
        reminders: count,
        seconds: round(seconds),
        reminders_per_s: Math.round(count / seconds),
        second_resync_seconds: round(idempotentSeconds),
      };
      process.stdout.write(JSON.stringify(result) + '\n');
    } finally {
      await scheduler.close();
      await deleteRedisPrefix(REDIS_URL, prefix);
    }
    readModel.close();
    await store.close();
  } finally {
    removeHandlers();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`reminders bench failed: ${error instanceof Error ? error.stack : error}\n`);
  process.exitCode = 1;
});
