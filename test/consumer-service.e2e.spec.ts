import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createLedgerAdminClient, type LedgerAdminClient } from '@ledger/client';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

const ROOT = join(__dirname, '..');
const CACHE_TTL_MS = 1500;
/** The ledger's ACCESS_TOKEN_ISSUER, told to the consumer so that it verifies access tokens offline. */
const ISSUER = 'https://ledger.consumer-e2e.test';

/** examples/consumer-service as its own process, as its README starts it; resolves with its URL. */
function startConsumer(ledgerUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', join(ROOT, 'test/support/register-paths.js'), join(ROOT, 'examples/consumer-service/src/main.ts')],
    {
      cwd: ROOT,
      env: { ...process.env, LEDGER_URL: ledgerUrl, LEDGER_PROJECT: 'shop', CACHE_TTL_MS: String(CACHE_TTL_MS), LEDGER_ISSUER: ISSUER, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (c) => {
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
 * one cache time after the revoke. Its access tokens (JWT, from /oauth2/token) are verified
 * offline, against the ledger's JWKS: they keep working while the ledger is down, and a revoke
 * reaches them only at their exp.
 */
describe('examples/consumer-service against the real ledger', () => {
  let ledger: LedgerServer;
  let consumer: { url: string; child: ChildProcess };
  let admin: LedgerAdminClient;

  beforeAll(async () => {
    ledger = await startLedgerServer({ env: { ACCESS_TOKEN_ISSUER: ISSUER } });
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
  /** RFC 6749 client credentials at the real ledger: the token id and value as HTTP Basic. */
  const exchange = async (token: { token: { id: string }; value: string }, scope: string) => {
    const basic = Buffer.from(`${encodeURIComponent(token.token.id)}:${encodeURIComponent(token.value)}`).toString('base64');
    const res = await call(ledger, 'POST', '/oauth2/token', {
      body: new URLSearchParams({ grant_type: 'client_credentials', scope }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
    });
    expect(res.status).toBe(200);
    return res.body.access_token as string;
  };

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

  it('accepts an access token from /oauth2/token offline, and refuses it without the scope or for another project', async () => {
    const reader = await issue('shop', ['orders:read', 'orders:write']);
    const accessToken = await exchange(reader, 'orders:read');
    const res = await orders(accessToken);
    expect(res.status).toBe(200);
    expect(res.body.readBy).toBe(reader.token.id);
    const write = await orders(accessToken, 'POST');
    expect(write.status).toBe(403);
    expect(write.body.error.code).toBe('insufficient_scope');
    const elsewhere = await exchange(await issue('billing', ['orders:read']), 'orders:read');
    const other = await orders(elsewhere);
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('wrong_project');
    const [header, payload] = accessToken.split('.');
    expect((await orders(`${header}.${payload}.${'A'.repeat(86)}`)).body.error.code).toBe('malformed');
  });

  it('still accepts an access token whose parent is revoked, until its exp (the documented trade-off), while the ledger refuses it', async () => {
    const reader = await issue('shop', ['orders:read']);
    // Two access tokens; the second is first presented after the revoke, so no cached answer can speak for it.
    const [first, accessToken] = [await exchange(reader, 'orders:read'), await exchange(reader, 'orders:read')];
    expect((await orders(first)).status).toBe(200);
    await admin.DELETE('/v1/projects/{projectId}/tokens/{tokenId}', { params: { path: { projectId: 'shop', tokenId: reader.token.id } } });
    const atLedger = await call(ledger, 'POST', '/v1/tokens/verify', { body: { token: accessToken } });
    expect(atLedger.body).toMatchObject({ valid: false, code: 'revoked' });
    expect((await orders(accessToken)).status).toBe(200);
  });

  // Last: it stops the ledger.
  it('verifies access tokens without the ledger: with it stopped, the JWT is accepted and a ledger token fails closed', async () => {
    const reader = await issue('shop', ['orders:read']);
    // The first fetches the JWKS (if no earlier test did); the second is first presented with the ledger down.
    const [first, accessToken] = [await exchange(reader, 'orders:read'), await exchange(reader, 'orders:read')];
    expect((await orders(first)).status).toBe(200);
    await ledger.stop();
    const offline = await orders(accessToken);
    expect(offline.status).toBe(200);
    expect(offline.body.readBy).toBe(reader.token.id);
    // The ledger token was never verified by the consumer, so nothing cached can answer for it.
    const opaque = await orders(reader.value);
    expect(opaque.status).toBe(503);
    expect(opaque.body.error.code).toBe('unavailable');
  });
});
