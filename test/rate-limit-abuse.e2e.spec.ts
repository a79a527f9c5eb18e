import { randomBytes } from 'node:crypto';
import { formatTokenValue } from '@ledger/token-domain';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

/**
 * Security review of the rate limits (follow-up to issue 12): a token that cannot use the admin
 * API must not spend its project's bucket, a revoke must get through a spent bucket, and a
 * resource server introspecting its users' bad tokens must not be blocked for them.
 */
describe('rate limits that an attacker cannot turn against the project', () => {
  const servers: LedgerServer[] = [];
  afterAll(() => Promise.all(servers.map((s) => s.close())));
  const start = async (env: NodeJS.ProcessEnv) => {
    const server = await startLedgerServer({ env });
    servers.push(server);
    return server;
  };
  const create = async (server: LedgerServer, projectId: string, scopes: string[], token = server.rootToken) => {
    const res = await call(server, 'POST', `/v1/projects/${projectId}/tokens`, { token, body: { name: 'n', scopes } });
    expect(res.status).toBe(201);
    return { id: res.body.token.id as string, value: res.body.value as string };
  };
  const list = (server: LedgerServer, projectId: string, value: string) => call(server, 'GET', `/v1/projects/${projectId}/tokens`, { token: value });
  const unknownValue = () => formatTokenValue('project', randomBytes(32));
  const form = (server: LedgerServer, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    call(server, 'POST', path, { body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

  it('a revoked, rotated-out or custom-scope token looping the admin API does not get the project admin 429', async () => {
    const server = await start({ ADMIN_RATE_LIMIT: '100/1m', ADMIN_PROJECT_RATE_LIMIT: '8/1m', FAILED_AUTH_LIMIT: 'off' });
    const admin = await create(server, 'victim', ['tokens:write', 'tokens:read']);
    const revoked = await create(server, 'victim', ['tokens:read']);
    expect((await call(server, 'DELETE', `/v1/projects/victim/tokens/${revoked.id}`, { token: server.rootToken })).status).toBe(200);
    const rotatedOut = await create(server, 'victim', ['tokens:read']);
    expect(
      (await call(server, 'POST', `/v1/projects/victim/tokens/${rotatedOut.id}/rotate`, { token: server.rootToken, body: { gracePeriod: 0 } })).status,
    ).toBe(201);
    const endUser = await create(server, 'victim', ['orders:read']);

    for (let i = 0; i < 10; i++) {
      expect([401, 429]).toContain((await list(server, 'victim', revoked.value)).status);
      expect([401, 429]).toContain((await list(server, 'victim', rotatedOut.value)).status);
      expect((await list(server, 'victim', endUser.value)).status).toBe(403);
    }
    expect((await list(server, 'victim', admin.value)).status).toBe(200);
  });

  it('a revoke gets through when the project bucket is spent: DELETE and /oauth2/revoke', async () => {
    const server = await start({ ADMIN_RATE_LIMIT: '100/1m', ADMIN_PROJECT_RATE_LIMIT: '4/1m', FAILED_AUTH_LIMIT: 'off' });
    const admin = await create(server, 'incident', ['tokens:write', 'tokens:read']);
    const leaked = await create(server, 'incident', ['tokens:read'], admin.value);
    const alsoLeaked = await create(server, 'incident', ['tokens:read'], admin.value);
    let status = 200;
    for (let i = 0; i < 10 && status !== 429; i++) status = (await list(server, 'incident', leaked.value)).status;
    expect(status).toBe(429);
    expect((await list(server, 'incident', admin.value)).status).toBe(429); // the bucket is the project's

    const revoked = await call(server, 'DELETE', `/v1/projects/incident/tokens/${leaked.id}`, { token: admin.value });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: leaked.id, status: 'revoked' });
    expect((await form(server, '/oauth2/revoke', { token: alsoLeaked.value })).status).toBe(200);
    expect((await call(server, 'POST', '/v1/tokens/verify', { body: { token: alsoLeaked.value } })).body).toEqual({ valid: false, code: 'revoked' });
  });

  it('an authenticated introspection caller checking 40 unknown tokens gets 40 × {"active":false} and is not blocked', async () => {
    const server = await start({ FAILED_AUTH_LIMIT: '3/1m' });
    const introspector = await create(server, 'rs', ['introspect']);
    const answers = [];
    for (let i = 0; i < 40; i++)
      answers.push(await form(server, '/oauth2/introspect', { token: unknownValue() }, { authorization: `Bearer ${introspector.value}` }));
    expect(answers.map((a) => [a.status, a.body])).toEqual(Array.from({ length: 40 }, () => [200, { active: false }]));
    // Nothing was counted against the caller's address: its own first bad credential is a 401.
    expect((await list(server, 'rs', unknownValue())).status).toBe(401);
  });

  it('an introspection caller with a bad credential of its own still counts toward its address', async () => {
    const server = await start({ FAILED_AUTH_LIMIT: '3/1m' });
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await form(server, '/oauth2/introspect', { token: unknownValue() }, { authorization: `Bearer ${unknownValue()}` })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});
