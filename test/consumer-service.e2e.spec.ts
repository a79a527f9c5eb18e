import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createLedgerAdminClient, type LedgerAdminClient } from '@ledger/client';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

const ROOT = join(__dirname, '..');
const CACHE_TTL_MS = 1500;

/** examples/consumer-service as its own process, as its README starts it; resolves with its URL. */
function startConsumer(ledgerUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', join(ROOT, 'test/support/register-paths.js'), join(ROOT, 'examples/consumer-service/src/main.ts')],
    { cwd: ROOT, env: { ...process.env, LEDGER_URL: ledgerUrl, LEDGER_PROJECT: 'shop', CACHE_TTL_MS: String(CACHE_TTL_MS), PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (c) => (err += c));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (c) => {
      out += c;
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve({ url, child });
    });
    child.once('exit', (code) => reject(new Error(`consumer-service exited ${code}: ${err}`)));
  });
}

/**
 * Issue 16, item 2: a service protected by the client library's Nest guard, in front of a real
 * ledger: allowed with the scope, 403 without it, 401 once the token is revoked — at the latest
 * one cache time after the revoke.
 */
describe('examples/consumer-service against the real ledger', () => {
  let ledger: LedgerServer;
  let consumer: { url: string; child: ChildProcess };
  let admin: LedgerAdminClient;

  beforeAll(async () => {
    ledger = await startLedgerServer();
    // The client library's typed admin API issues and revokes the tokens of this test.
    admin = createLedgerAdminClient({ baseUrl: ledger.url, token: ledger.rootToken });
    consumer = await startConsumer(ledger.url);
  });
  afterAll(async () => {
    consumer?.child.kill();
    await ledger.close();
  });

  const issue = async (projectId: string, scopes: string[]) => {
    const { data, response } = await admin.POST('/v1/projects/{projectId}/tokens', { params: { path: { projectId } }, body: { name: 'consumer e2e', scopes } });
    expect(response.status).toBe(201);
    return data!;
  };
  const orders = (token?: string, method = 'GET') => call(consumer, method, '/orders', { token });

  it('lets a token holding the scope through, with the verified token on the request', async () => {
    const reader = await issue('shop', ['orders:read']);
    const res = await orders(reader.value);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ orders: [{ id: 'o-1', total: 42 }], readBy: reader.token.id });
  });

  it('answers 403 without the scope, and for a token of another project', async () => {
    const reader = await issue('shop', ['orders:read']);
    const write = await orders(reader.value, 'POST');
    expect(write.status).toBe(403);
    expect(write.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="orders:write"');
    expect(write.body.error.code).toBe('insufficient_scope');
    const elsewhere = await issue('billing', ['orders:read']);
    const other = await orders(elsewhere.value);
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('wrong_project');
  });

  it('answers 401 without a token and for a made-up one', async () => {
    expect((await orders()).status).toBe(401);
    const made = await orders('not-a-ledger-token');
    expect(made.status).toBe(401);
    expect(made.body.error.code).toBe('malformed');
  });

  it('answers 401 once the token is revoked, within the cache time', async () => {
    const reader = await issue('shop', ['orders:read']);
    expect((await orders(reader.value)).status).toBe(200);
    const revoked = await admin.DELETE('/v1/projects/{projectId}/tokens/{tokenId}', { params: { path: { projectId: 'shop', tokenId: reader.token.id } } });
    expect(revoked.data?.status).toBe('revoked');
    const since = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - since < CACHE_TTL_MS + 2000) {
      status = (await orders(reader.value)).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 100));
    }
    const seenAfter = Date.now() - since;
    expect(status).toBe(401);
    // The bound the library promises: no later than one cache time after the revoke, plus the
    // poll interval and a round trip (generous: the test machine may be loaded).
    expect(seenAfter).toBeLessThanOrEqual(CACHE_TTL_MS + 1000);
    const res = await orders(reader.value);
    expect(res.body.error.code).toBe('revoked');
  });
});
