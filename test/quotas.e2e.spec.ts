import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

/** Quotas (issue 12, item 17): one tokens:write holder cannot mint without bound, nor buy capacity with fresh tokens. */
describe('quotas', () => {
  const servers: LedgerServer[] = [];
  afterAll(() => Promise.all(servers.map((s) => s.close())));
  const start = async (env: NodeJS.ProcessEnv) => {
    const server = await startLedgerServer({ env });
    servers.push(server);
    return server;
  };

  describe('active tokens per project (MAX_ACTIVE_TOKENS_PER_PROJECT)', () => {
    let server: LedgerServer;
    const create = (projectId: string, body: object = {}) =>
      call(server, 'POST', `/v1/projects/${projectId}/tokens`, { token: server.rootToken, body: { name: 'n', scopes: [], ...body } });
    const rotate = (projectId: string, tokenId: string, body: object = {}) =>
      call(server, 'POST', `/v1/projects/${projectId}/tokens/${tokenId}/rotate`, { token: server.rootToken, body });
    const activeCount = async (projectId: string) =>
      (await call(server, 'GET', `/v1/projects/${projectId}/tokens?status=active&limit=100`, { token: server.rootToken })).body.items.length;
    const expectLimit = (res: { status: number; body: any }) => {
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'project_token_limit', details: { limit: 3 } });
    };

    beforeAll(async () => {
      server = await start({ MAX_ACTIVE_TOKENS_PER_PROJECT: '3' });
    });

    it('refuses a create over the cap with 409 project_token_limit, writing nothing; other projects are not affected', async () => {
      for (let i = 0; i < 3; i++) expect((await create('capped')).status).toBe(201);
      expectLimit(await create('capped'));
      expect(await activeCount('capped')).toBe(3);
      expect((await create('elsewhere')).status).toBe(201);
    });

    it('holds under concurrent creates in one process: exactly the cap succeeds', async () => {
      const results = await Promise.all(Array.from({ length: 12 }, () => create('burst')));
      expect(results.filter((r) => r.status === 201)).toHaveLength(3);
      for (const refused of results.filter((r) => r.status !== 201)) expectLimit(refused);
      expect(await activeCount('burst')).toBe(3);
    });

    it('frees a slot on revoke', async () => {
      const tokens = await Promise.all([create('freed'), create('freed'), create('freed')]);
      expectLimit(await create('freed'));
      expect((await call(server, 'DELETE', `/v1/projects/freed/tokens/${tokens[0].body.token.id}`, { token: server.rootToken })).status).toBe(200);
      expect((await create('freed')).status).toBe(201);
    });

    it('counts a rotated token during its grace, so chained rotations add no tokens; gracePeriod 0 always rotates', async () => {
      const first = await create('rot');
      await create('rot');
      const rotated = await rotate('rot', first.body.token.id); // 24h grace: 3 active now
      expect(rotated.status).toBe(201);
      expect(await activeCount('rot')).toBe(3);
      expectLimit(await rotate('rot', rotated.body.token.id));
      const ended = await rotate('rot', rotated.body.token.id, { gracePeriod: 0 });
      expect(ended.status).toBe(201);
      expect(await activeCount('rot')).toBe(3);
    });
  });

  it('counts the admin rate limit per project as well as per token: a fresh token brings no fresh bucket', async () => {
    const server = await start({ ADMIN_RATE_LIMIT: '100/1m', ADMIN_PROJECT_RATE_LIMIT: '4/1m', FAILED_AUTH_LIMIT: 'off' });
    const writer = await call(server, 'POST', '/v1/projects/rl/tokens', {
      token: server.rootToken,
      body: { name: 'w', scopes: ['tokens:write', 'tokens:read'] },
    });
    const other = await call(server, 'POST', '/v1/projects/rl-other/tokens', { token: server.rootToken, body: { name: 'o', scopes: ['tokens:read'] } });
    const list = (value: string, projectId = 'rl') => call(server, 'GET', `/v1/projects/${projectId}/tokens`, { token: value });
    const fresh = [];
    for (let i = 0; i < 2; i++) {
      const res = await call(server, 'POST', '/v1/projects/rl/tokens', { token: writer.body.value, body: { name: `f${i}`, scopes: ['tokens:read'] } });
      expect(res.status).toBe(201);
      fresh.push(res.body.value as string);
    }
    expect((await list(writer.body.value)).status).toBe(200);
    expect((await list(writer.body.value)).status).toBe(200); // the project's 4th call
    const limited = await list(writer.body.value);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    for (const value of fresh) expect((await list(value)).status).toBe(429);
    // Another project, and root (project _system), have buckets of their own.
    expect((await list(other.body.value, 'rl-other')).status).toBe(200);
    expect((await list(server.rootToken)).status).toBe(200);
  });
});
