import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENESIS_HASH, MemoryEventStore, SCHEMA_VERSION, systemContext, type EventStore } from '@ledger/event-store';
import type { Reminder, ReminderPolicy } from './reminder';
import { ReminderFeed } from './reminder-feed';
import type { ReminderScheduler } from './reminder-scheduler.port';
import { ReminderReadModel } from './reminder.read-model';

const POLICY: ReminderPolicy = { leadsSeconds: [60], rotationPeriodSeconds: 90 * 86_400 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

async function createToken(store: EventStore, tokenId: string): Promise<void> {
  const createdAt = new Date().toISOString();
  const data = {
    tokenId,
    projectId: 'shop',
    name: tokenId,
    type: 'integration',
    ownerId: null,
    scopes: ['orders:read'],
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    secretHash: 'a'.repeat(64),
    hint: 'tl_i_...abcd',
    createdAt,
    rotatedFrom: null,
    metadata: {},
  };
  const metadata = { ...systemContext('test'), schemaVersion: SCHEMA_VERSION, occurredAt: createdAt, prevHash: GENESIS_HASH };
  await store.appendToStream(`token-${tokenId}`, [{ id: randomUUID(), type: 'TokenCreated', data, metadata }], 'no_stream');
}

/** A scheduler that records what it is offered and holds each call until the gate opens. */
function gatedScheduler() {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const offered: Reminder[] = [];
  const scheduler = {
    schedule: async (reminders: Reminder[]) => {
      offered.push(...reminders);
      await gate;
    },
    cancel: async () => undefined,
  } as unknown as ReminderScheduler;
  return { scheduler, offered, open };
}

/** The API starts the feed after its port is open and readiness reads `starting` meanwhile. */
describe('reminder feed start', () => {
  let dir: string;
  let readModel: ReminderReadModel;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-feed-start-'));
    readModel = ReminderReadModel.open(join(dir, 'reminders.sqlite'));
  });
  afterEach(() => {
    readModel.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is starting while it catches up (a slow scheduler), then running and no longer starting', async () => {
    const store = new MemoryEventStore();
    await createToken(store, 'tok_a');
    const { scheduler, offered, open } = gatedScheduler();
    const feed = new ReminderFeed(store, readModel, POLICY, scheduler);
    expect(feed.starting).toBe(false);
    const started = feed.start();
    await until(() => offered.length > 0, 'the feed offering reminders');
    expect(feed.starting).toBe(true);
    open();
    await started;
    expect(feed.starting).toBe(false);
    expect(feed.running).toBe(true);
    expect(offered.map((r) => r.kind).sort()).toEqual(['expired', 'expiry_warning']);
    await feed.stop();
    await store.close();
  });

  it('is not "starting" once its catch-up failed, and a stop ends a start still waiting to catch up', async () => {
    const failing = {
      headPosition: async () => 5,
      subscribeToAll: (_options: unknown, _handler: unknown, onError: (error: unknown) => void) => {
        setImmediate(() => onError(new Error('the store refused the subscription')));
        return { stop: async () => undefined };
      },
    } as unknown as EventStore;
    const errors: unknown[] = [];
    const feed = new ReminderFeed(failing, readModel, POLICY, null, (error) => errors.push(error));
    let startEnded = false;
    const started = feed.start().finally(() => (startEnded = true));
    await until(() => errors.length > 0, 'the failure');
    expect(feed.starting).toBe(false);
    expect(feed.running).toBe(false);
    expect(startEnded).toBe(false);
    await feed.stop();
    await started;
    expect(startEnded).toBe(true);
  });
  it('startRetrying: a start that fails before it follows the store is tried again, readiness down meanwhile, until it runs', async () => {
    const store = new MemoryEventStore();
    await createToken(store, 'tok_a');
    let refusals = 2;
    const head = store.headPosition.bind(store);
    store.headPosition = async () => {
      if (refusals-- > 0) throw new Error('the store is away');
      return head();
    };
    const offered: Reminder[] = [];
    const scheduler = {
      schedule: async (reminders: Reminder[]) => void offered.push(...reminders),
      cancel: async () => undefined,
    } as unknown as ReminderScheduler;
    const errors: unknown[] = [];
    const feed = new ReminderFeed(store, readModel, POLICY, scheduler, (error) => errors.push(error));
    const started = feed.startRetrying(50);
    await until(() => errors.length >= 1, 'the first failure');
    expect(feed.starting).toBe(false); // down while it waits to try again, not "starting"
    expect(await started).toBe(true);
    expect(errors.map(String)).toEqual(['Error: the store is away', 'Error: the store is away']);
    expect(feed.running).toBe(true);
    expect(offered.map((r) => r.kind).sort()).toEqual(['expired', 'expiry_warning']);
    await feed.stop();
    await store.close();
  });

  it('startRetrying ends, answering false, when stopped between attempts', async () => {
    const away = { headPosition: async () => Promise.reject(new Error('store away')) } as unknown as EventStore;
    const errors: unknown[] = [];
    const feed = new ReminderFeed(away, readModel, POLICY, null, (error) => errors.push(error));
    const started = feed.startRetrying(60_000);
    await until(() => errors.length === 1, 'the first failure');
    await feed.stop();
    expect(await started).toBe(false);
  });
});

/** Live batches wait gatherMs before the next read, so a stream of creates is applied in fewer transactions. */
describe('reminder feed gathering', () => {
  let dir: string;
  let readModel: ReminderReadModel;
  let store: MemoryEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-feed-gather-'));
    readModel = ReminderReadModel.open(join(dir, 'reminders.sqlite'));
    store = new MemoryEventStore();
  });
  afterEach(async () => {
    await store.close();
    readModel.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies what arrives while it waits in one batch, after the wait', async () => {
    const feed = new ReminderFeed(store, readModel, POLICY, null, undefined, null, 300);
    await feed.start();
    await sleep(350); // past the wait after the (empty) catch-up
    const writes = jest.spyOn(readModel, 'write');
    await createToken(store, 'tok_first');
    await until(() => feed.position === 1, 'the first create, applied at once');
    await createToken(store, 'tok_second');
    await createToken(store, 'tok_third');
    await sleep(100);
    expect(feed.position).toBe(1);
    await until(() => feed.position === 3, 'the two creates that arrived during the wait');
    expect(writes).toHaveBeenCalledTimes(2);
    expect(
      readModel
        .pendingPage(POLICY, '', 10)
        .reminders.map((r) => r.tokenId)
        .sort(),
    ).toEqual(['tok_first', 'tok_first', 'tok_second', 'tok_second', 'tok_third', 'tok_third']);
    await feed.stop();
  });

  it('stops at once while it waits', async () => {
    const feed = new ReminderFeed(store, readModel, POLICY, null, undefined, null, 60_000);
    await feed.start();
    await createToken(store, 'tok_a');
    await until(() => feed.position === 1, 'the create');
    const asked = Date.now();
    await feed.stop();
    expect(Date.now() - asked).toBeLessThan(1000);
  });
});
