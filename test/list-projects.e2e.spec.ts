import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

/** GET /v1/projects: each project with its tokens counted by status; root sees all, a token its own. */
describe('GET /v1/projects', () => {
  let server: LedgerServer;
  let root: string;

  beforeAll(async () => {
    server = await startLedgerServer();
    root = server.rootToken;
  });
  afterAll(() => server.close());

  async function issue(project: string, scopes: string[] = [], extra: Record<string, unknown> = {}) {
    const res = await call(server, 'POST', `/v1/projects/${project}/tokens`, { token: root, body: { name: 'n', scopes, ...extra } });
    expect(res.status).toBe(201);
    return res.body as { token: { id: string }; value: string };
  }

  it('counts each project’s tokens by status, sorted by projectId, and shows root every project', async () => {
    const reader = await issue('p2', ['tokens:read']);
    await issue('p1');
    await issue('p1');
    const revoked = await issue('p1');
    await issue('p1', [], { expiresIn: 1 });
    expect((await call(server, 'DELETE', `/v1/projects/p1/tokens/${revoked.token.id}`, { token: root })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));

    const res = await call(server, 'GET', '/v1/projects', { token: root });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        { projectId: '_system', tokens: { active: 1, revoked: 0, expired: 0, total: 1 } },
        { projectId: 'p1', tokens: { active: 2, revoked: 1, expired: 1, total: 4 } },
        { projectId: 'p2', tokens: { active: 1, revoked: 0, expired: 0, total: 1 } },
      ],
    });

    const own = await call(server, 'GET', '/v1/projects', { token: reader.value });
    expect(own.status).toBe(200);
    expect(own.body).toEqual({ items: [{ projectId: 'p2', tokens: { active: 1, revoked: 0, expired: 0, total: 1 } }] });
  });

  it('refuses a token without tokens:read (403) and a request without credentials (401)', async () => {
    const writer = await issue('p3', ['tokens:write']);
    const refused = await call(server, 'GET', '/v1/projects', { token: writer.value });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'insufficient_scope', details: { requiredScope: 'tokens:read' } });
    const anonymous = await call(server, 'GET', '/v1/projects');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('missing_credentials');
  });

  it('is in the OpenAPI document with its operationId and response schema', async () => {
    const doc = (await call(server, 'GET', '/openapi.json')).body;
    const operation = doc.paths['/v1/projects'].get;
    expect(operation.operationId).toBe('listProjects');
    expect(operation.security).toBeDefined();
    expect(operation.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/ProjectListView');
    expect(doc.components.schemas.ProjectView.required).toEqual(expect.arrayContaining(['projectId', 'tokens']));
  });
});
