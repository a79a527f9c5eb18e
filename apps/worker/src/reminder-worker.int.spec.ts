import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadConfig } from '@ledger/config';
import { handleCommand, SqliteEventStore, systemContext } from '@ledger/event-store';
import { BullmqReminderScheduler, deleteRedisPrefix } from '@ledger/reminders';
import { tokenDecider, tokenStreamId } from '@ledger/token-domain';
import { startReminderWorker } from './reminder-worker';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Redis losing its data under a running worker (a restart without persistence): the queue comes back. */
describe('reminder worker', () => {
  it('re-adds every pending reminder when Redis comes back empty while it runs', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-worker-'));
    const prefix = `test-worker-${randomBytes(6).toString('hex')}`;
    const config = loadConfig({ LEDGER_DATA_DIR: dataDir, REDIS_URL, REMINDER_QUEUE_PREFIX: prefix });
    const store = SqliteEventStore.open(join(dataDir, 'events.sqlite'));
    const now = new Date();
    const create = (tokenId: string, expiresInDays: number | null) =>
      handleCommand(
        store,
        tokenStreamId(tokenId),
        tokenDecider,
        {
          type: 'CreateToken',
          data: {
            caller: { kind: 'system', id: 'test' },
            tokenId,
            projectId: 'shop',
            name: tokenId,
            tokenType: 'project',
            ownerId: null,
            scopes: [],
            expiresAt: expiresInDays === null ? null : new Date(now.getTime() + expiresInDays * 86_400_000),
            secretHash: 'a'.repeat(64),
            hint: 'tlp_…abcd',
            metadata: {},
            rotatedFrom: null,
            now,
          },
        },
        systemContext('test'),
      );
    await create('tok_a', 30); // 3 warnings + expired
    await create('tok_b', null); // rotation_due
    const logs = new Writable({ write: (_c, _e, done) => done() });
    const worker = await startReminderWorker(config, pino({ level: 'warn' }, logs), 200);
    const scheduler = new BullmqReminderScheduler({ redisUrl: REDIS_URL, prefix }, { attempts: 1, retryDelayMs: 1000 });
    try {
      expect((await scheduler.counts()).delayed).toBe(5);
      await deleteRedisPrefix(REDIS_URL, prefix);
      expect((await scheduler.counts()).delayed).toBe(0);
      const deadline = Date.now() + 5000;
      while ((await scheduler.counts()).delayed < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect((await scheduler.counts()).delayed).toBe(5);
      expect(await scheduler.isSynced()).toBe(true);
    } finally {
      await worker.stop();
      await scheduler.close();
      await store.close();
      await deleteRedisPrefix(REDIS_URL, prefix);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
