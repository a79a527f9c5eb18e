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

  describe('lifetime: an expiring token cannot issue or rotate to a token that outlives it', () => {
    const issueUntil = async (scopes: string[], expiresIn: string) => {
      const res = await call(server, 'POST', '/v1/projects/life/tokens', { token: server.rootToken, body: { name: 'expiring', scopes, expiresIn } });
      expect(res.status).toBe(201);
      return res.body as { token: { id: string; expiresAt: string }; value: string };
    };
    const expectOutlives = (res: { status: number; body: any; headers: Headers }, callerEnd: string) => {
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'expiry_beyond_caller', details: { callerExpiresAt: callerEnd } });
      expect(res.body.value).toBeUndefined();
      // Not a missing scope: no RFC 6750 insufficient_scope challenge.
      expect(res.headers.get('www-authenticate')).toBeNull();
    };

    it('a one-hour tokens:write token cannot create a token without expiry or beyond its own end, and writes nothing', async () => {
      const writer = await issueUntil(['tokens:write'], '1h');
      const before = await headPosition();
      for (const body of [{}, { expiresIn: '100y' }, { expiresAt: new Date(Date.parse(writer.token.expiresAt) + 1000).toISOString() }]) {
        const res = await call(server, 'POST', '/v1/projects/life/tokens', {
          token: writer.value,
          body: { name: 'successor', scopes: ['tokens:write'], ...body },
        });
        expectOutlives(res, writer.token.expiresAt);
      }
      expect(await headPosition()).toBe(before);
      const within = await call(server, 'POST', '/v1/projects/life/tokens', {
        token: writer.value,
        body: { name: 'ok', scopes: ['orders:read'], expiresAt: writer.token.expiresAt },
      });
      expect(within.status).toBe(201);
      expect(within.body.token.expiresAt).toBe(writer.token.expiresAt);
    });

    it('it cannot rotate itself to 100y, nor a token without expiry; rotating itself keeping its expiry works', async () => {
      const admin = await issueUntil(['admin'], '1h');
      const forever = await issue('life', ['orders:read']);
      expectOutlives(
        await call(server, 'POST', `/v1/projects/life/tokens/${admin.token.id}/rotate`, { token: admin.value, body: { expiresIn: '100y' } }),
        admin.token.expiresAt,
      );
      expectOutlives(
        await call(server, 'POST', `/v1/projects/life/tokens/${forever.token.id}/rotate`, { token: admin.value, body: {} }),
        admin.token.expiresAt,
      );
      const kept = await call(server, 'POST', `/v1/projects/life/tokens/${admin.token.id}/rotate`, { token: admin.value, body: { gracePeriod: '10m' } });
      expect(kept.status).toBe(201);
      expect(kept.body.token.expiresAt).toBe(admin.token.expiresAt);
      // In its grace the old token ends at its grace end: that is now the limit of what it may issue.
      const graceEnd = kept.body.previous.expiresAt as string;
      expect(Date.parse(graceEnd)).toBeLessThan(Date.parse(admin.token.expiresAt));
      const res = await call(server, 'POST', '/v1/projects/life/tokens', {
        token: admin.value,
        body: { name: 'x', scopes: [], expiresAt: admin.token.expiresAt },
      });
      expectOutlives(res, graceEnd);
    });

    it('root (no expiry) still issues tokens without expiry', async () => {
      const res = await call(server, 'POST', '/v1/projects/life/tokens', { token: server.rootToken, body: { name: 'forever', scopes: ['admin'] } });
      expect(res.status).toBe(201);
      expect(res.body.token.expiresAt).toBeNull();
    });
  });

  it('creating with a scope beyond the caller is still refused (the rule now lives in the decider)', async () => {
    const writer = await issue('esc', ['tokens:write']);
    const res = await call(server, 'POST', '/v1/projects/esc/tokens', { token: writer.value, body: { name: 'x', scopes: ['introspect'] } });
    expect(res.status).toBe(403);
    expect(res.body.error.details).toEqual({ requiredScope: 'introspect' });
  });
});
