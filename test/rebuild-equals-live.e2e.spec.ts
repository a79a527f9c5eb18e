import { join } from 'node:path';
import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import { rebuildTokenList, type RebuildProgress } from '@ledger/projections';
import { EVENTS_FILE, READ_MODEL_FILE } from '../apps/api/src/store/ledger-store.module';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';
import { TS_NODE_ARGS as TS_NODE } from './support/typescript-runner';
import { dumpTokenList } from './support/token-list-dump';

/** The same store without its range reads: a rebuild then folds it in global order (foldLog). */
const inGlobalOrder = (store: EventStore): EventStore =>
  Object.assign(Object.create(store) as EventStore, { splitStreams: undefined, readStreamRange: undefined });

/** A small seeded generator, so a failing run can be replayed with the same workload. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

/** Invariant 2 (docs/architecture.md, "Invariants"): rebuilding every projection from position 0 yields exactly the live state. */
describe('projection rebuild', () => {
  let server: LedgerServer;
  afterAll(() => server.close());

  it('equals the live read model after a randomised workload', async () => {
    server = await startLedgerServer();
    const seed = Number(process.env.REBUILD_SEED ?? Date.now() % 100_000);
    const random = prng(seed);
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
    const projects = ['alpha', 'beta', 'gamma'];
    const live: Array<{ project: string; id: string }> = [];

    for (let step = 0; step < 150; step++) {
      const roll = random();
      if (live.length < 5 || roll < 0.45) {
        const project = pick(projects);
        const type = pick(['project', 'integration', 'personal']);
        const res = await call(server, 'POST', `/v1/projects/${project}/tokens`, {
          token: server.rootToken,
          body: {
            name: `token ${step}`,
            scopes: random() < 0.5 ? ['read'] : ['read', 'write'],
            type,
            ...(type === 'personal' ? { ownerId: `user-${step % 7}` } : {}),
            ...(random() < 0.5 ? { expiresIn: pick(['1h', '30d', '1y']) } : {}),
            metadata: { step },
          },
        });
        expect(res.status).toBe(201);
        live.push({ project, id: res.body.token.id });
      } else if (roll < 0.62) {
        const target = pick(live);
        const res = await call(server, 'POST', `/v1/projects/${target.project}/tokens/${target.id}/rotate`, {
          token: server.rootToken,
          body: { gracePeriod: pick(['0', '1h', '7d']) },
        });
        expect([201, 409]).toContain(res.status);
        if (res.status === 201) live.push({ project: target.project, id: res.body.token.id });
      } else if (roll < 0.75) {
        // An edit (TokenUpdated): narrowed scopes, new metadata, sometimes a shorter expiry; 409 once
        // revoked or expired, 400 when an earlier edit already cut the expiry below ten minutes from now.
        const target = pick(live);
        const res = await call(server, 'PATCH', `/v1/projects/${target.project}/tokens/${target.id}`, {
          token: server.rootToken,
          body: { name: `edited ${step}`, scopes: ['read'], metadata: { step, edited: true }, ...(random() < 0.3 ? { expiresIn: '10m' } : {}) },
        });
        expect([200, 409, 'expiry_extension']).toContain(res.status === 400 ? res.body.error.code : res.status);
      } else {
        const target = pick(live);
        const res = await call(server, 'DELETE', `/v1/projects/${target.project}/tokens/${target.id}?reason=step-${step}`, {
          token: server.rootToken,
        });
        expect(res.status).toBe(200);
      }
    }
    await server.stop();

    const sqliteFile = join(server.dataDir, EVENTS_FILE);
    const store = SqliteEventStore.open(sqliteFile);
    const rebuiltFile = join(server.dataDir, 'rebuilt.sqlite');
    // Read in global order, as an EventStoreDB or in-memory ledger is rebuilt, with tiny bounds that
    // force the path big ledgers take there: rows written mid-way, then looked up and updated.
    const spilledFile = join(server.dataDir, 'rebuilt-spilled.sqlite');
    // Several threads, each folding a range of streams (the CLI's rebuild).
    const threadsFile = join(server.dataDir, 'rebuilt-threads.sqlite');
    try {
      const result = await rebuildTokenList(store, rebuiltFile);
      expect(result.position).toBe(await store.headPosition());
      const progress: RebuildProgress[] = [];
      await rebuildTokenList(inGlobalOrder(store), spilledFile, { batchSize: 10, rowsInMemory: 7, onProgress: (p) => progress.push(p) });
      expect(progress.at(-1)).toMatchObject({ order: 'position', position: result.position });
      const source = { location: { eventStoreUrl: null }, sqliteFile };
      expect(await rebuildTokenList(store, threadsFile, { source, workers: 2, workerExecArgv: TS_NODE })).toEqual({ ...result, threads: 2 });
    } finally {
      await store.close();
    }

    const liveState = dumpTokenList(join(server.dataDir, READ_MODEL_FILE));
    expect(liveState.rows.length).toBeGreaterThan(60);
    expect({ seed, ...dumpTokenList(rebuiltFile) }).toEqual({ seed, ...liveState });
    expect({ seed, ...dumpTokenList(spilledFile) }).toEqual({ seed, ...liveState });
    expect({ seed, ...dumpTokenList(threadsFile) }).toEqual({ seed, ...liveState });
  });
});
