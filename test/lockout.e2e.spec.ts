import { randomBytes } from 'node:crypto';
import { formatTokenValue } from '@ledger/token-domain';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

const unknownToken = () => formatTokenValue('project', randomBytes(32));
const form = (server: LedgerServer, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  call(server, 'POST', path, { body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

/**
 * A lockout must never take down good callers (issue 12, items 3 and 4): over the limit, a
 * client's failed attempts are answered 429 while its valid credentials still pass, on every
 * route that authenticates.
 */
describe('failed-credential lockout', () => {
  let server: LedgerServer;
  let good: { id: string; value: string };
  let introspector: { id: string; value: string };

  beforeAll(async () => {
    server = await startLedgerServer({ env: { FAILED_AUTH_LIMIT: '3/1m' } });
    const create = async (scopes: string[]) => {
      const res = await call(server, 'POST', '/v1/projects/shop/tokens', { token: server.rootToken, body: { name: 'n', scopes } });
      return { id: res.body.token.id as string, value: res.body.value as string };
    };
    good = await create(['tokens:read', 'orders:read']);
    introspector = await create(['introspect']);
  });
  afterAll(() => server.close());

  it('a valid token lacking introspect is refused 403 on /oauth2/introspect and never counted as a failed credential', async () => {
    for (let i = 0; i < 6; i++) {
      const res = await form(server, '/oauth2/introspect', { token: good.value }, { authorization: `Bearer ${good.value}` });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ active: false });
    }
    // Six refusals later the client has no failure on record: three guesses still get plain answers.
    for (let i = 0; i < 3; i++) expect((await call(server, 'POST', '/v1/tokens/verify', { body: { token: unknownToken() } })).body.code).toBe('not_found');
  });

  it('once over the limit, failures get 429 on every route while valid credentials keep passing', async () => {
    const tooMany = (res: { status: number; headers: Headers }) => {
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    };
    for (let i = 0; i < 4; i++) await call(server, 'POST', '/v1/tokens/verify', { body: { token: unknownToken() } });

    // Failures, each route.
    tooMany(await call(server, 'POST', '/v1/tokens/verify', { body: { token: unknownToken() } }));
    tooMany(await call(server, 'GET', '/v1/auth/check', { token: unknownToken() }));
    tooMany(await call(server, 'GET', '/v1/projects/shop/tokens', { token: unknownToken() }));
    tooMany(await call(server, 'GET', '/v1/projects/shop/tokens'));
    tooMany(await form(server, '/oauth2/introspect', { token: good.value }, { authorization: `Bearer ${unknownToken()}` }));
    tooMany(await form(server, '/oauth2/revoke', { token: unknownToken() }));

    // Valid credentials, the same client, the same routes.
    expect((await call(server, 'POST', '/v1/tokens/verify', { body: { token: good.value } })).body.valid).toBe(true);
    expect((await call(server, 'POST', '/v1/tokens/verify', { body: { token: good.value, scopes: ['nope'] } })).body.code).toBe('insufficient_scope');
    expect((await call(server, 'GET', '/v1/auth/check', { token: good.value })).status).toBe(200);
    expect((await call(server, 'GET', '/v1/projects/shop/tokens', { token: good.value })).status).toBe(200);
    expect((await call(server, 'GET', '/v1/projects/shop/tokens', { token: server.rootToken })).status).toBe(200);
    const introspected = await form(server, '/oauth2/introspect', { token: good.value }, { authorization: `Bearer ${introspector.value}` });
    expect(introspected.status).toBe(200);
    expect(introspected.body.active).toBe(true);
    expect((await form(server, '/oauth2/introspect', { token: good.value }, { authorization: `Bearer ${good.value}` })).status).toBe(403);

    // Revoking a leaked value is never held back by the bucket.
    const leaked = await call(server, 'POST', '/v1/projects/shop/tokens', { token: server.rootToken, body: { name: 'leak', scopes: [] } });
    expect((await form(server, '/oauth2/revoke', { token: leaked.body.value })).status).toBe(200);
    expect((await call(server, 'POST', '/v1/tokens/verify', { body: { token: leaked.body.value } })).status).toBe(429); // revoked: a failure now
  });
});
