import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import { tokenStreamId, type TokenEvent } from '@ledger/token-domain';
import { tokenCreated } from '../../token-domain/src/testing/token-fixtures';
import { PostgresEventStore } from '../../event-store/src/postgres/postgres-event-store';
import { createTestDatabase, SKIP_POSTGRES } from '../../event-store/src/postgres/pg-test-database';
import { rebuildingFile, rebuildTokenList, type RebuildProgress, type RebuildSource } from './rebuild';
import { TokenListReadModel } from './token-list.read-model';
import { dumpTokenList } from '../../../test/support/token-list-dump';
import { TS_NODE_ARGS } from '../../../test/support/typescript-runner';

const TOKENS = 240;

/**
 * Tokens created, then used, revoked and rotated in an order that interleaves their streams, so
 * that every partition holds tokens whose later events come after other partitions' events.
 */
async function appendTokenLedger(store: EventStore): Promise<number> {
  const ids = Array.from({ length: TOKENS }, () => `tok_${randomUUID().replaceAll('-', '')}`);
  const revisions = new Map<string, number>();
  let events = 0;
  const append = async (tokenId: string, event: TokenEvent) => {
    const revision = revisions.get(tokenId);
    await store.appendToStream(tokenStreamId(tokenId), [{ id: randomUUID(), type: event.type, data: event.data, metadata: {} }], revision ?? 'no_stream');
    revisions.set(tokenId, (revision ?? -1) + 1);
    events++;
  };
  for (const [i, tokenId] of ids.entries()) await append(tokenId, tokenCreated({ tokenId, name: `token ${i}`, projectId: i % 2 ? 'shop' : 'billing' }));
  for (const [i, tokenId] of [...ids].reverse().entries()) {
    const at = new Date(Date.UTC(2026, 2, 2, 0, i)).toISOString();
    await append(tokenId, {
      type: 'TokenUsed',
      data: { tokenId, projectId: 'shop', count: i + 1, firstUsedAt: at, lastUsedAt: at, lastIp: null, lastUserAgent: null },
    });
    if (i % 5 === 0) await append(tokenId, { type: 'TokenRevoked', data: { tokenId, projectId: 'shop', revokedAt: at, reason: `step ${i}` } });
    if (i % 7 === 1) {
      const newTokenId = `tok_${randomUUID().replaceAll('-', '')}`;
      await append(tokenId, {
        type: 'TokenRotated',
        data: {
          tokenId,
          projectId: 'shop',
          newTokenId,
          graceUntil: at,
          rotatedAt: at,
          newToken: { secretHash: 'b'.repeat(64), hint: 'tli_…efgh', expiresAt: null },
        },
      });
      await append(newTokenId, tokenCreated({ tokenId: newTokenId, rotatedFrom: tokenId }));
    }
  }
  return events;
}

function journalMode(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('journal_mode', { simple: true }) as string;
  } finally {
    db.close();
  }
}

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-partitioned-rebuild-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * PostgreSQL shows only events of transactions older than every running one, of any database on
 * the server: another suite's open transaction holds the head back. The comparison needs it still.
 */
async function untilSettled(store: EventStore, events: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await store.readAll()).length < events) {
    if (Date.now() > deadline) throw new Error(`the store shows fewer than the ${events} events appended after 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A parallel rebuild, with its progress, equals the one-thread rebuild of the same store. */
async function expectParallelEqualsSerial(store: EventStore, source: RebuildSource, events: number): Promise<void> {
  const head = await store.headPosition();
  const serial = join(dir, 'serial.sqlite');
  expect(await rebuildTokenList(store, serial, { workers: 1 })).toEqual({ events, position: head, threads: 1 });
  // Stream order, in one thread or several, builds what the projector builds in global order.
  const live = TokenListReadModel.open(join(dir, 'live.sqlite'));
  live.apply(await store.readAll());
  live.close();
  expect(dumpTokenList(serial)).toEqual(dumpTokenList(join(dir, 'live.sqlite')));

  for (const [name, options] of [
    ['threads', { workers: 3 }],
    // Pages of 7 events: streams go on from one page to the next, their rows carried over.
    ['threads-small-pages', { workers: 2, batchSize: 7 }],
  ] as const) {
    const file = join(dir, `${name}.sqlite`);
    // What an interrupted rebuild leaves behind: an unfinished output and a thread's file.
    writeFileSync(rebuildingFile(file), 'half written');
    writeFileSync(`${rebuildingFile(file)}.part-0`, 'half written');
    const progress: RebuildProgress[] = [];
    const namedWhileRunning: boolean[] = [];
    const onProgress = (p: RebuildProgress) => {
      progress.push(p);
      namedWhileRunning.push(existsSync(file));
    };
    const result = await rebuildTokenList(store, file, { ...options, source, workerExecArgv: TS_NODE_ARGS, onProgress });
    expect(result).toEqual({ events, position: head, threads: options.workers });
    expect(dumpTokenList(file)).toEqual(dumpTokenList(serial));
    // Only the finished file takes the read model's name, in the journal mode a service keeps.
    expect(namedWhileRunning.length).toBeGreaterThan(0);
    expect(namedWhileRunning.every((named) => !named)).toBe(true);
    expect(journalMode(file)).toBe('wal');
    expect(readdirSync(dir).filter((f) => f.includes('.rebuilding'))).toEqual([]);
    expect(progress.at(-1)).toEqual({ events, position: head, head, order: 'stream' });
    expect(progress.map((p) => p.position)).toEqual(progress.map((p) => p.position).sort((a, b) => a - b));
    // The threads' own files are gone.
    expect(readdirSync(dir).filter((f) => f.includes('.part-'))).toEqual([]);
  }
  expect(dumpTokenList(serial).rows).toHaveLength(TOKENS + Math.ceil(TOKENS / 7));
}

describe('parallel rebuild of the token list', () => {
  it('folds an SQLite ledger stream by stream, each thread a range of streams, into what one thread builds', async () => {
    const sqliteFile = join(dir, 'events.sqlite');
    const store = SqliteEventStore.open(sqliteFile);
    try {
      const events = await appendTokenLedger(store);
      await expectParallelEqualsSerial(store, { location: { eventStoreUrl: null }, sqliteFile }, events);
    } finally {
      await store.close();
    }
  });

  (SKIP_POSTGRES ? it.skip : it)('folds a PostgreSQL ledger the same way, each thread on its own connection', async () => {
    const database = await createTestDatabase();
    const store = PostgresEventStore.connect(database.url);
    try {
      const events = await appendTokenLedger(store);
      await untilSettled(store, events);
      await expectParallelEqualsSerial(store, { location: { eventStoreUrl: null, databaseUrl: database.url }, sqliteFile: join(dir, 'unused.sqlite') }, events);
    } finally {
      await store.close();
      await database.drop();
    }
  });

  it('fails, and leaves no file behind, when a thread opens a store that is not the one rebuilt', async () => {
    const store = SqliteEventStore.open(join(dir, 'events.sqlite'));
    const file = join(dir, 'token-list.sqlite');
    try {
      await appendTokenLedger(store);
      // Another path: SQLite would create an empty ledger there, and the thread would fold nothing.
      const source = { location: { eventStoreUrl: null }, sqliteFile: join(dir, 'elsewhere', 'events.sqlite') };
      await expect(rebuildTokenList(store, file, { source, workers: 2, workerExecArgv: TS_NODE_ARGS })).rejects.toThrow(/not the store being rebuilt/);
    } finally {
      await store.close();
    }
    expect(readdirSync(dir).filter((f) => f.startsWith('token-list'))).toEqual([]);
    expect(existsSync(file)).toBe(false);
  });
});
