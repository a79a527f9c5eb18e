import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { formatTokenValue } from '@ledger/token-domain';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const unknownToken = () => formatTokenValue('project', randomBytes(32));
const verify = (server: LedgerServer, token: string, headers: Record<string, string> = {}) =>
  call(server, 'POST', '/v1/tokens/verify', { body: { token }, headers });
const createToken = async (server: LedgerServer) =>
  (await call(server, 'POST', '/v1/projects/shop/tokens', { token: server.rootToken, body: { name: 'svc', scopes: ['tokens:read'] } })).body as {
    value: string;
  };

function expectTooMany(res: { status: number; headers: Headers; body: any }) {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(res.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
}

describe('rate limits (in memory)', () => {
  const servers: LedgerServer[] = [];
  afterAll(() => Promise.all(servers.map((s) => s.close())));
  const start = async (env: NodeJS.ProcessEnv) => {
    const server = await startLedgerServer({ env });
    servers.push(server);
    return server;
  };

  it('the failed-credential bucket trips verify with 429 and Retry-After, for failures only: a valid token still passes', async () => {
    const server = await start({ FAILED_AUTH_LIMIT: '3/1m' });
    const good = await createToken(server);
    for (let i = 0; i < 3; i++) expect((await verify(server, unknownToken())).body).toEqual({ valid: false, code: 'not_found' });
    expectTooMany(await verify(server, unknownToken()));
    expectTooMany(await call(server, 'GET', '/v1/auth/check', { token: unknownToken() }));
    expect((await verify(server, good.value)).body.valid).toBe(true);
    expect((await call(server, 'GET', '/v1/auth/check', { token: good.value })).status).toBe(200);
  });

  it('only values never issued count: not a missing scope, not a revoked token (a stale config, not a guess)', async () => {
    const server = await start({ FAILED_AUTH_LIMIT: '2/1m' });
    const good = await createToken(server);
    const revoked = await call(server, 'POST', '/v1/projects/shop/tokens', { token: server.rootToken, body: { name: 'old', scopes: [] } });
    await call(server, 'DELETE', `/v1/projects/shop/tokens/${revoked.body.token.id}`, { token: server.rootToken });
    for (let i = 0; i < 5; i++) {
      expect((await call(server, 'POST', '/v1/tokens/verify', { body: { token: good.value, scopes: ['nope'] } })).body.code).toBe('insufficient_scope');
      expect((await verify(server, revoked.body.value)).body.code).toBe('revoked');
      expect((await call(server, 'GET', '/v1/projects/shop/tokens', { token: revoked.body.value })).status).toBe(401);
    }
    expect((await verify(server, good.value)).body.valid).toBe(true);
  });

  it('behind a trusted proxy the bucket is the end client (X-Forwarded-For, X-Real-IP), never the gateway', async () => {
    const server = await start({ FAILED_AUTH_LIMIT: '2/1m', TRUSTED_PROXIES: 'loopback' });
    const good = await createToken(server);
    const attacker = { 'x-forwarded-for': '203.0.113.9' };
    for (let i = 0; i < 2; i++) expect((await verify(server, unknownToken(), attacker)).status).toBe(200);
    expectTooMany(await verify(server, unknownToken(), attacker));
    expect((await verify(server, good.value, { 'x-forwarded-for': '198.51.100.7' })).body.valid).toBe(true);
    expect((await verify(server, good.value, { 'x-real-ip': '198.51.100.8' })).body.valid).toBe(true);
    expectTooMany(await verify(server, unknownToken(), { 'x-real-ip': '203.0.113.9' }));
    expect((await verify(server, good.value, { 'x-real-ip': '203.0.113.9' })).body.valid).toBe(true);
  });

  it('from an untrusted peer X-Forwarded-For is ignored: one bucket for the peer', async () => {
    const server = await start({ FAILED_AUTH_LIMIT: '2/1m' });
    for (let i = 0; i < 2; i++) await verify(server, unknownToken(), { 'x-forwarded-for': `203.0.113.${i}` });
    expectTooMany(await verify(server, unknownToken(), { 'x-forwarded-for': '203.0.113.50' }));
  });

  it('the admin API: failed credentials per client, then a default limit per calling token', async () => {
    // The project's bucket (quotas.e2e.spec.ts) is set wide here, to see the token's own.
    const server = await start({ FAILED_AUTH_LIMIT: '2/1m', ADMIN_RATE_LIMIT: '4/1m', ADMIN_PROJECT_RATE_LIMIT: '100/1m' });
    const a = await createToken(server); // 1st admin call of the root token
    const b = await createToken(server); // 2nd
    for (let i = 0; i < 4; i++) expect((await call(server, 'GET', '/v1/projects/shop/tokens', { token: a.value })).status).toBe(200);
    expectTooMany(await call(server, 'GET', '/v1/projects/shop/tokens', { token: a.value }));
    expect((await call(server, 'GET', '/v1/projects/shop/tokens', { token: b.value })).status).toBe(200); // its own bucket
    expect((await call(server, 'GET', '/health/live')).status).toBe(200); // probes are not limited

    const other = await start({ FAILED_AUTH_LIMIT: '2/1m' });
    for (let i = 0; i < 2; i++) expect((await call(other, 'GET', '/v1/projects/shop/tokens', { token: unknownToken() })).status).toBe(401);
    expectTooMany(await call(other, 'GET', '/v1/projects/shop/tokens', { token: unknownToken() }));
    expect((await call(other, 'GET', '/v1/projects/shop/tokens', { token: other.rootToken })).status).toBe(200);
  });
});

describe('rate limits shared through Redis', () => {
  let redis: Redis | null = null;
  const prefix = `ledger-test-${randomBytes(6).toString('hex')}:`;
  const servers: LedgerServer[] = [];

  beforeAll(async () => {
    const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await probe.connect();
      await probe.ping();
      redis = probe;
    } catch (error) {
      probe.disconnect();
      process.stderr.write(`SKIPPED Redis-shared rate limit test: no Redis at ${REDIS_URL} (${(error as Error).message})\n`);
    }
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    if (!redis) return;
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('two app instances on one Redis share the failed-credential bucket and the admin limit', async () => {
    if (!redis) return;
    const env = { REDIS_URL, RATE_LIMIT_PREFIX: prefix, FAILED_AUTH_LIMIT: '4/1m', ADMIN_RATE_LIMIT: '3/1m', TRUSTED_PROXIES: 'loopback' };
    const a = await startLedgerServer({ env });
    servers.push(a);
    const b = await startLedgerServer({ env });
    servers.push(b);
    for (const server of [a, a, b, b]) expect((await verify(server, unknownToken())).body.code).toBe('not_found');
    expectTooMany(await verify(a, unknownToken())); // the 5th failure, counted across both
    expectTooMany(await verify(b, unknownToken()));
    expect(await redis.keys(`${prefix}*failed-auth*`)).not.toHaveLength(0);

    // Requests without a token are limited per end client, across both instances (that client is
    // not the one blocked above: the proxy in front says so).
    const client = { 'x-forwarded-for': '198.51.100.20' };
    for (const server of [a, b, a]) expect((await call(server, 'GET', '/v1/projects/shop/tokens', { headers: client })).status).toBe(401);
    expectTooMany(await call(b, 'GET', '/v1/projects/shop/tokens', { headers: client }));
  });
});
