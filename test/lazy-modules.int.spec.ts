import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteRedisPrefix } from '@ledger/reminders';
import { createTestDatabase } from '../libs/event-store/src/postgres/pg-test-database';
import { TS_NODE_ARGS } from './support/typescript-runner';

const ROOT = join(__dirname, '..');
// Each costs megabytes of RSS (EventStoreDB's gRPC client ~20 MB, the PostgreSQL driver, bullmq + ioredis ~14 MB, the
// queue dashboard ~11 MB): a ledger that is not configured for them must not load them.
const OPTIONAL = [
  '@eventstore/db-client',
  '@grpc/grpc-js',
  'pg',
  'bullmq',
  'ioredis',
  '@bull-board/api',
  '@bull-board/fastify',
  '@nest-lab/throttler-storage-redis',
];

/** Starts the whole API in a fresh process with `env`, and lists the optional packages it loaded. */
function optionalPackagesLoaded(env: NodeJS.ProcessEnv): string[] {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-lazy-'));
  const script = `
    require('reflect-metadata');
    const { loadConfig } = require('@ledger/config');
    const { createLedgerApp } = require('./apps/api/src/app.factory');
    (async () => {
      const app = await createLedgerApp(loadConfig({ ...process.env, LEDGER_DATA_DIR: ${JSON.stringify(dataDir)} }), { announce: () => undefined });
      await app.init();
      const loaded = ${JSON.stringify(OPTIONAL)}.filter((p) => Object.keys(require.cache).some((f) => f.includes('/node_modules/' + p + '/')));
      await app.close();
      process.stdout.write('LOADED ' + JSON.stringify(loaded) + '\\n');
    })().catch((e) => { console.error(e); process.exit(1); });`;
  try {
    const out = execFileSync(process.execPath, [...TS_NODE_ARGS, '-e', script], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return JSON.parse(/^LOADED (.*)$/m.exec(out)![1]) as string[];
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('optional packages', () => {
  it('are not loaded by a ledger on the embedded store without Redis', () => {
    expect(optionalPackagesLoaded({})).toEqual([]);
  }, 70_000);

  it('are loaded when configured (the check can fail): REDIS_URL brings bullmq, ioredis and the dashboard', async () => {
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const prefix = `ledger-lazy-${process.pid}-${Date.now()}`;
    try {
      const loaded = optionalPackagesLoaded({ REDIS_URL: redisUrl, REMINDER_QUEUE_PREFIX: prefix, RATE_LIMIT_PREFIX: `${prefix}:rate-limit:` });
      expect(loaded).toEqual(expect.arrayContaining(['bullmq', 'ioredis', '@bull-board/api', '@nest-lab/throttler-storage-redis']));
    } finally {
      await deleteRedisPrefix(redisUrl, prefix);
    }
  }, 70_000);

  it('are loaded when configured: DATABASE_URL brings the PostgreSQL driver, and only it', async () => {
    const database = await createTestDatabase();
    try {
      expect(optionalPackagesLoaded({ DATABASE_URL: database.url })).toEqual(['pg']);
    } finally {
      await database.drop();
    }
  }, 70_000);
});
