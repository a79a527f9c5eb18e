import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

/**
 * Escalation through the admin API (issue 12, item 1): nobody receives a value carrying more
 * ledger permissions than it holds, whichever route hands the value out.
 */
describe('authorization: no escalation', () => {
  let server: LedgerServer;
  const issue = async (projectId: string, scopes: string[], by = server.rootToken) => {
    const res = await call(server, 'POST', `/v1/projects/${projectId}/tokens`, { token: by, body: { name: scopes.join(' ') || 'plain', scopes } });
    expect(res.status).toBe(201);
    return res.body as { token: { id: string }; value: string };
  };
  const headPosition = async () => (await call(server, 'GET', '/v1/audit/events?limit=1000', { token: server.rootToken })).body.items.length;

  beforeAll(async () => {
    server = await startLedgerServer();
  });
  afterAll(() => server.close());

  it.each([['admin'], ['audit:read']])('a tokens:write caller rotating an %s token gets 403 and no value', async (scope) => {
    const writer = await issue('esc', ['tokens:write']);
    const target = await issue('esc', [scope, 'orders:read']);
    const before = await headPosition();
    const res = await call(server, 'POST', `/v1/projects/esc/tokens/${target.token.id}/rotate`, { token: writer.value, body: {} });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'insufficient_scope', details: { requiredScope: scope } });
    expect(res.body.value).toBeUndefined();
    expect(res.headers.get('www-authenticate')).toContain('insufficient_scope');
    expect(await headPosition()).toBe(before);
  });

  it('a tokens:write caller still rotates the tokens it could have created', async () => {
    const writer = await issue('esc', ['tokens:write']);
    const target = await issue('esc', ['orders:read', 'tokens:write']);
    const res = await call(server, 'POST', `/v1/projects/esc/tokens/${target.token.id}/rotate`, { token: writer.value, body: {} });
    expect(res.status).toBe(201);
    expect(res.body.token.scopes).toEqual(['orders:read', 'tokens:write']);
  });

  it('an admin caller rotates the admin token of its project', async () => {
    const admin = await issue('esc', ['admin']);
    const target = await issue('esc', ['admin']);
    expect((await call(server, 'POST', `/v1/projects/esc/tokens/${target.token.id}/rotate`, { token: admin.value, body: {} })).status).toBe(201);
  });

  it('a tokens:write caller cannot revoke the admin token, but the admin token can revoke itself', async () => {
    const writer = await issue('esc', ['tokens:write']);
    const admin = await issue('esc', ['admin']);
    const refused = await call(server, 'DELETE', `/v1/projects/esc/tokens/${admin.token.id}`, { token: writer.value });
    expect(refused.status).toBe(403);
    expect(refused.body.error.details).toEqual({ requiredScope: 'admin' });
    expect((await call(server, 'DELETE', `/v1/projects/esc/tokens/${admin.token.id}`, { token: admin.value })).status).toBe(200);
  });

  it('creating with a scope beyond the caller is still refused (the rule now lives in the decider)', async () => {
    const writer = await issue('esc', ['tokens:write']);
    const res = await call(server, 'POST', '/v1/projects/esc/tokens', { token: writer.value, body: { name: 'x', scopes: ['introspect'] } });
    expect(res.status).toBe(403);
    expect(res.body.error.details).toEqual({ requiredScope: 'introspect' });
  });
});
