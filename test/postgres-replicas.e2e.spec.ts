import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tokenStreamId } from '@ledger/token-domain';
import { PostgresEventStore } from '../libs/event-store/src/postgres/postgres-event-store';
import { createTestDatabase, SKIP_POSTGRES, type TestDatabase } from '../libs/event-store/src/postgres/pg-test-database';
import { mintToken } from '@ledger/tokens';
import { spawnServer, waitUntilReady, type ChildServer } from './support/child-server';
import { call } from './support/ledger-server';
import { appendRotationCut } from './support/rotation-cut';

const root = mintToken('root').value;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function within(ms: number, condition: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await sleep(2);
  }
  return performance.now() - started;
}

/**
 * Three API processes on one PostgreSQL database, each with its own data directory (its own
 * read model and token index), as docker-compose.postgres.yml runs them.
 */
(SKIP_POSTGRES ? describe.skip : describe)('three API replicas on one PostgreSQL database', () => {
  let database: TestDatabase;
  const dataDirs: string[] = [];
  let replicas: ChildServer[] = [];

  async function startReplica(i: number): Promise<ChildServer> {
    const server = spawnServer({
      DATABASE_URL: database.url,
      LEDGER_DATA_DIR: dataDirs[i],
      LEDGER_BOOTSTRAP_TOKEN: root,
      FAILED_AUTH_LIMIT: 'off',
      ADMIN_RATE_LIMIT: 'off',
    });
    await waitUntilReady(server, 150_000);
    return server;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    for (let i = 0; i < 3; i++) dataDirs.push(mkdtempSync(join(tmpdir(), `ledger-pg-replica-${i}-`)));
    // All three at once: the schema and the root token are made once, whoever comes first.
    replicas = await Promise.all([0, 1, 2].map(startReplica));
  }, 200_000);
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await database?.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  const create = (server: ChildServer, name: string) =>
    call(server, 'POST', '/v1/projects/shop/tokens', { token: root, body: { name, scopes: ['orders:read'] } });
  const verdict = async (server: ChildServer, value: string) => {
    const { body } = await call(server, 'POST', '/v1/tokens/verify', { body: { token: value } });
    return body.valid ? 'valid' : (body.code as string);
  };

  it('refuses on B and C a token revoked on A once their subscriptions catch up, and measures that lag under load', async () => {
    const [a, b, c] = replicas;
    let loading = true;
    let loadRequests = 0;
    // Background create/verify load on all three replicas while the revokes are measured.
    const load = Promise.all(
      [0, 1, 2, 0].map(async (i) => {
        while (loading) {
          const made = await create(replicas[i], 'load');
          if (made.status === 201) await verdict(replicas[(i + 1) % 3], made.body.value);
          loadRequests += 2;
        }
      }),
    );

    const lags: number[] = [];
    for (let round = 0; round < 20; round++) {
      const made = await create(a, `revoked-${round}`);
      expect(made.status).toBe(201);
      await within(5000, async () => (await verdict(b, made.body.value)) === 'valid' && (await verdict(c, made.body.value)) === 'valid');
      expect((await call(a, 'DELETE', `/v1/projects/shop/tokens/${made.body.token.id}`, { token: root })).status).toBe(200);
      expect(await verdict(a, made.body.value)).toBe('revoked'); // read-your-writes on A
      const [onB, onC] = await Promise.all([b, c].map((r) => within(5000, async () => (await verdict(r, made.body.value)) === 'revoked')));
      lags.push(onB, onC);
    }
    loading = false;
    await load;

    lags.sort((x, y) => x - y);
    const report = {
      test: 'postgres-replica-revoke-lag',
      replicas: 3,
      samples: lags.length,
      p50Ms: +percentile(lags, 50).toFixed(1),
      p99Ms: +percentile(lags, 99).toFixed(1),
      maxMs: +lags[lags.length - 1].toFixed(1),
      loadRequests,
    };
    process.stdout.write(JSON.stringify(report) + '\n');
    expect(loadRequests).toBeGreaterThan(0);
  }, 120_000);

  it('has every acknowledged write on every replica after one is killed with SIGKILL mid-burst', async () => {
    const victim = 1;
    const acknowledged: string[] = [];
    let killed = false;
    const burst = Promise.all(
      Array.from({ length: 8 }, async () => {
        while (!killed) {
          const made = await create(replicas[victim], 'burst').catch(() => null);
          if (made?.status === 201) acknowledged.push(made.body.value as string);
          if (acknowledged.length >= 40 && !killed) {
            killed = true;
            replicas[victim].child.kill('SIGKILL');
          }
        }
      }),
    );
    await burst;
    expect(await replicas[victim].exited).toBe('SIGKILL');
    replicas[victim] = await startReplica(victim);

    for (const replica of replicas) {
      await within(10_000, async () => {
        const verdicts = await Promise.all(acknowledged.map((value) => verdict(replica, value)));
        return verdicts.every((v) => v === 'valid');
      });
    }
  }, 200_000);

  it('finishes a rotation cut between its two appends once, though every replica sees it', async () => {
    const made = await create(replicas[0], 'cut');
    const store = PostgresEventStore.connect(database.url);
    const { minted } = await appendRotationCut(store, made.body.token.id);

    for (const replica of replicas) await within(15_000, async () => (await verdict(replica, minted.value)) === 'valid');
    expect(await store.readStream(tokenStreamId(minted.tokenId))).toHaveLength(1);
    await store.close();
  }, 60_000);
});
