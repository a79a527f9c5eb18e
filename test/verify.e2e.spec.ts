import { formatTokenValue } from '@ledger/token-domain';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

/** Every verify code over HTTP, against a real listening server. */
describe('POST /v1/tokens/verify', () => {
  let server: LedgerServer;
  const verify = (body: unknown) => call(server, 'POST', '/v1/tokens/verify', { body });
  const create = async (project: string, body: Record<string, unknown>) => {
    const res = await call(server, 'POST', `/v1/projects/${project}/tokens`, { token: server.rootToken, body: { name: 'svc', ...body } });
    expect(res.status).toBe(201);
    return res.body as { token: { id: string; expiresAt: string | null }; value: string };
  };

  beforeAll(async () => {
    server = await startLedgerServer();
  });
  afterAll(() => server.close());

  it('valid: the token, its project, type, owner, scopes and expiry', async () => {
    const { token, value } = await create('shop', { type: 'personal', ownerId: 'ada', scopes: ['orders:read', 'orders:write'], expiresIn: '1d' });
    const res = await verify({ token: value, scopes: ['orders:read', 'orders:write'], projectId: 'shop' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      valid: true,
      tokenId: token.id,
      projectId: 'shop',
      type: 'personal',
      ownerId: 'ada',
      scopes: ['orders:read', 'orders:write'],
      expiresAt: token.expiresAt,
    });
  });

  it('malformed: a wrong checksum or format, refused before any lookup', async () => {
    const { value } = await create('shop', { scopes: ['read'] });
    const flipped = value.slice(0, 10) + (value[10] === 'a' ? 'b' : 'a') + value.slice(11);
    for (const bad of [flipped, 'tlp_short', 'hello']) expect((await verify({ token: bad })).body).toEqual({ valid: false, code: 'malformed' });
  });

  it('not_found: a well-formed value the ledger never issued', async () => {
    const { value } = await create('shop', { scopes: ['read'] });
    // Same format, other body: a checksum-valid token nobody holds.
    const unknown = formatTokenValue('project', Buffer.alloc(32, 7));
    expect(value).not.toBe(unknown);
    expect((await verify({ token: unknown })).body).toEqual({ valid: false, code: 'not_found' });
  });

  it('revoked: from the moment the revoke call returns', async () => {
    const { token, value } = await create('shop', { scopes: ['read'] });
    expect((await verify({ token: value })).body.valid).toBe(true);
    expect((await call(server, 'DELETE', `/v1/projects/shop/tokens/${token.id}`, { token: server.rootToken })).status).toBe(200);
    expect((await verify({ token: value })).body).toEqual({ valid: false, code: 'revoked' });
  });

  it('expired: an expiry crossed while the server runs, with no TokenExpired recorded', async () => {
    const { value } = await create('shop', { scopes: ['read'], expiresIn: '2s' });
    expect((await verify({ token: value })).body.valid).toBe(true);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await verify({ token: value })).body).toEqual({ valid: false, code: 'expired' });
  });

  it('a rotated token verifies until the end of its grace, then expired; the new one verifies', async () => {
    const { token, value } = await create('shop', { scopes: ['read'] });
    const rotated = await call(server, 'POST', `/v1/projects/shop/tokens/${token.id}/rotate`, { token: server.rootToken, body: { gracePeriod: '2s' } });
    expect(rotated.status).toBe(201);
    const old = await verify({ token: value });
    expect(old.body).toMatchObject({ valid: true, tokenId: token.id, expiresAt: rotated.body.previous.expiresAt });
    expect((await verify({ token: rotated.body.value })).body).toMatchObject({ valid: true, tokenId: rotated.body.token.id });
    await new Promise((r) => setTimeout(r, Date.parse(rotated.body.previous.expiresAt) - Date.now() + 50));
    expect((await verify({ token: value })).body).toEqual({ valid: false, code: 'expired' });
    expect((await verify({ token: rotated.body.value })).body.valid).toBe(true);
  });

  it('insufficient_scope: every required scope must be held', async () => {
    const { value } = await create('shop', { scopes: ['orders:read'] });
    expect((await verify({ token: value, scopes: ['orders:read', 'orders:write'] })).body).toEqual({ valid: false, code: 'insufficient_scope' });
  });

  it('wrong_project: a valid token of another project', async () => {
    const { value } = await create('billing', { scopes: ['orders:read'] });
    expect((await verify({ token: value, projectId: 'shop', scopes: ['orders:read'] })).body).toEqual({ valid: false, code: 'wrong_project' });
  });

  it.each([
    ['no token', {}],
    ['a number as token', { token: 42 }],
    ['scopes not an array', { token: 'tlp_x', scopes: 'read' }],
    ['an unknown field', { token: 'tlp_x', extra: 1 }],
    ['an array body', [1]],
  ])('400 with the error shape for %s', async (_name, body) => {
    const res = await verify(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('is documented in OpenAPI, and not access-logged (the hot path)', async () => {
    const doc = await call(server, 'GET', '/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/tokens/verify', '/v1/auth/check', '/oauth2/introspect', '/oauth2/revoke']));
    expect(server.output()).toContain('"url":"/openapi.json"');
    expect(server.output()).not.toContain('"url":"/v1/tokens/verify"');
  });

  it('400 with the error shape for a body that is not JSON at all', async () => {
    const res = await call(server, 'POST', '/v1/tokens/verify', { body: '{"token": ', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  });

  it('415 for a form body: only /oauth2 takes forms', async () => {
    const res = await call(server, 'POST', '/v1/tokens/verify', { body: 'token=abc', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });
});
