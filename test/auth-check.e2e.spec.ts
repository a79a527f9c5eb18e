import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

/** GET /v1/auth/check over raw HTTP, as Traefik ForwardAuth or Envoy ext_authz would call it. */
describe('GET /v1/auth/check (forward-auth)', () => {
  let server: LedgerServer;
  const check = (query: string, headers: Record<string, string>, method = 'GET') => call(server, method, `/v1/auth/check${query}`, { headers });
  const create = async (project: string, scopes: string[], extra: Record<string, unknown> = {}) => {
    const res = await call(server, 'POST', `/v1/projects/${project}/tokens`, { token: server.rootToken, body: { name: 'gw', scopes, ...extra } });
    return res.body as { token: { id: string }; value: string };
  };

  beforeAll(async () => {
    server = await startLedgerServer();
  });
  afterAll(() => server.close());

  it('200 with the identity headers, from any of the three credential headers and for any method', async () => {
    const { token, value } = await create('shop', ['orders:read', 'orders:write'], { type: 'personal', ownerId: 'ada' });
    for (const headers of [{ authorization: `Bearer ${value}` }, { 'auth-token': value }, { 'x-api-key': value }] as Array<Record<string, string>>) {
      const res = await check('?scope=orders:read&scope=orders:write&projectId=shop', headers);
      expect(res.status).toBe(200);
      expect(Object.fromEntries([...res.headers].filter(([k]) => k.startsWith('x-token-')))).toEqual({
        'x-token-id': token.id,
        'x-token-project': 'shop',
        'x-token-type': 'personal',
        'x-token-scopes': 'orders:read orders:write',
        'x-token-owner': 'ada',
      });
    }
    expect((await check('', { authorization: `Bearer ${value}` }, 'POST')).status).toBe(200);
  });

  it('an owner outside printable ASCII is percent-encoded, not a 500', async () => {
    const { value } = await create('shop', ['orders:read'], { type: 'personal', ownerId: 'Zoë 🚀\nnext' });
    const res = await check('', { 'x-api-key': value });
    expect(res.status).toBe(200);
    expect(decodeURIComponent(res.headers.get('x-token-owner')!)).toBe('Zoë 🚀\nnext');
  });

  it('Envoy ext_authz style: the original path appended, required scopes in X-Required-Scopes', async () => {
    const { token, value } = await create('shop', ['orders:read', 'orders:write']);
    const allowed = await check('/orders/42?page=2', { authorization: `Bearer ${value}`, 'x-required-scopes': 'orders:read orders:write' });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('x-token-id')).toBe(token.id);
    const denied = await check('/orders/42', { authorization: `Bearer ${value}`, 'x-required-scopes': 'orders:read, refunds' });
    expect(denied.status).toBe(403);
    expect(server.output()).not.toContain('/v1/auth/check/orders'); // not access-logged either
    expect(server.output()).not.toMatch(/unsupported route path|legacy/i);
  });

  it('no X-Token-Owner for a token without owner', async () => {
    const { value } = await create('shop', ['orders:read']);
    const res = await check('', { 'x-api-key': value });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-token-owner')).toBeNull();
  });

  it('401 with WWW-Authenticate for missing, malformed and revoked tokens', async () => {
    const revoked = await create('shop', ['orders:read']);
    await call(server, 'DELETE', `/v1/projects/shop/tokens/${revoked.token.id}`, { token: server.rootToken });
    const missing = await check('', {});
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="token-ledger"');
    expect(missing.body.error.code).toBe('missing_credentials');
    for (const [value, code] of [
      ['tlp_nope', 'malformed'],
      [revoked.value, 'revoked'],
    ]) {
      const res = await check('', { authorization: `Bearer ${value}` });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(`Bearer error="invalid_token", error_description="${code}"`);
      expect(res.body.error.code).toBe(code);
    }
  });

  it('403 with insufficient_scope for a missing scope or another project', async () => {
    const { value } = await create('shop', ['orders:read']);
    const scope = await check('?scope=orders:write', { authorization: `Bearer ${value}` });
    expect(scope.status).toBe(403);
    expect(scope.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="orders:write"');
    const project = await check('?projectId=billing', { authorization: `Bearer ${value}` });
    expect(project.status).toBe(403);
    expect(project.body.error.code).toBe('wrong_project');
  });
});
