import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENESIS_HASH, MemoryEventStore, SCHEMA_VERSION, systemContext } from '@ledger/event-store';
import { InProcessReminderScheduler } from './in-process-scheduler';
import type { Reminder, ReminderPolicy } from './reminder';
import { ReminderFeed } from './reminder-feed';
import { ReminderReadModel } from './reminder.read-model';

const POLICY: ReminderPolicy = { leadsSeconds: [], rotationPeriodSeconds: 90 * 86_400 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function createToken(store: MemoryEventStore, tokenId: string, expiresAt: string | null): Promise<void> {
  const createdAt = new Date().toISOString();
  const data = {
    tokenId,
    projectId: 'shop',
    name: tokenId,
    type: 'integration',
    ownerId: null,
    scopes: ['orders:read'],
    expiresAt,
    secretHash: 'a'.repeat(64),
    hint: 'tl_i_...abcd',
    createdAt,
    rotatedFrom: null,
    metadata: {},
  };
  const metadata = { ...systemContext('test'), schemaVersion: SCHEMA_VERSION, occurredAt: createdAt, prevHash: GENESIS_HASH };
  await store.appendToStream(`token-${tokenId}`, [{ id: randomUUID(), type: 'TokenCreated', data, metadata }], 'no_stream');
}

describe('in-process scheduler horizon', () => {
  let dir: string;
  let store: MemoryEventStore;
  let readModel: ReminderReadModel;
  let scheduler: InProcessReminderScheduler;
  let feed: ReminderFeed;
  const delivered: Array<{ reminder: Reminder; at: number }> = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-horizon-'));
    store = new MemoryEventStore();
    readModel = ReminderReadModel.open(join(dir, 'reminders.sqlite'));
    delivered.length = 0;
  });
  afterEach(async () => {
    await feed.stop();
    await scheduler.close();
    readModel.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function start(horizonMs: number, feedHorizonMs: number | null): Promise<void> {
    scheduler = new InProcessReminderScheduler(
      async (reminder) => void delivered.push({ reminder, at: Date.now() }),
      { attempts: 1, retryDelayMs: 10 },
      Date.now,
      readModel,
      horizonMs,
    );
    feed = new ReminderFeed(
      store,
      readModel,
      POLICY,
      scheduler,
      (error) => {
        throw error;
      },
      feedHorizonMs,
    );
    return feed.start();
  }

  it('holds only the reminders due within the horizon; a 90-day rotation reminder is not held', async () => {
    await createToken(store, 'tok_soon', new Date(Date.now() + 60_000).toISOString());
    await createToken(store, 'tok_forever', null);
    await start(3_600_000, 3_600_000);
    expect(await scheduler.counts()).toMatchObject({ delayed: 1, waiting: 0 });
    // The read model still lists both as pending: only the in-memory timers are bounded.
    expect(readModel.countByStatus().pending).toBe(2);
  });

  it('delivers a reminder that was beyond the horizon once the re-derivation brings it within', async () => {
    const due = Date.now() + 1500;
    await createToken(store, 'tok_later', new Date(due).toISOString());
    await start(400, 400);
    expect((await scheduler.counts()).delayed).toBe(0); // beyond the horizon at start
    const deadline = Date.now() + 5000;
    while (delivered.length === 0 && Date.now() < deadline) await sleep(25);
    expect(delivered.map((d) => d.reminder.id)).toEqual([`tok_later.expired.${due}`]);
    expect(delivered[0].at).toBeGreaterThanOrEqual(due - 20);
  });

  it('without the periodic re-derivation a reminder beyond the horizon is never taken (what the re-derivation is for)', async () => {
    const due = Date.now() + 600;
    await createToken(store, 'tok_missed', new Date(due).toISOString());
    await start(200, null);
    await sleep(1000);
    expect(delivered).toEqual([]);
  });

  it('reads pending reminders page by page exactly as all at once', async () => {
    for (const id of ['tok_a', 'tok_b', 'tok_c']) await createToken(store, id, new Date(Date.now() + 60_000).toISOString());
    await createToken(store, 'tok_d', null);
    await start(3_600_000, null);
    const paged: string[] = [];
    for (let after: string | null = '', pages = 0; after !== null; pages++) {
      const page = readModel.pendingPage(POLICY, after, 2);
      paged.push(...page.reminders.map((r) => r.id));
      after = page.last;
      expect(pages).toBeLessThan(4);
    }
    expect(paged.sort()).toEqual([...readModel.pending(POLICY)].map((r) => r.id).sort());
    expect(paged).toHaveLength(4);
  });
});
