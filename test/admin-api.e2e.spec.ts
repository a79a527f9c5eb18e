import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

/** The admin API through a real listening server: the contract of docs/api.md, "Tokens". */
describe('admin API', () => {
  let server: LedgerServer;
  let root: string;

  beforeAll(async () => {
    server = await startLedgerServer();
    root = server.rootToken;
  });
  afterAll(() => server.close());

  const create = (project: string, body: Record<string, unknown>, token = root) => call(server, 'POST', `/v1/projects/${project}/tokens`, { token, body });

  async function issue(project: string, scopes: string[], extra: Record<string, unknown> = {}) {
    const res = await create(project, { name: `t-${scopes.join('+') || 'none'}`, scopes, ...extra });
    expect(res.status).toBe(201);
    return res.body as { token: { id: string }; value: string };
  }

  describe('create', () => {
    it('answers 201 with the token view and the value, once', async () => {
      const res = await create('shop', { name: 'billing', scopes: ['orders:read'], type: 'integration', expiresIn: '90d', metadata: { team: 'pay' } });
      expect(res.status).toBe(201);
      expect(res.body.value).toMatch(/^tli_[0-9A-Za-z]{49}$/);
      expect(res.body.token).toMatchObject({
        projectId: 'shop',
        name: 'billing',
        type: 'integration',
        scopes: ['orders:read'],
        metadata: { team: 'pay' },
        status: 'active',
        useCount: 0,
        lastUsedAt: null,
        rotatedFrom: null,
      });
      expect(res.body.token.hint).toBe(`tli_…${res.body.value.slice(-4)}`);
      expect(Date.parse(res.body.token.expiresAt) - Date.parse(res.body.token.createdAt)).toBe(90 * 86_400_000);
      expect(JSON.stringify(res.body.token)).not.toContain(res.body.value);
      expect(res.body.token).not.toHaveProperty('secretHash');

      const again = await call(server, 'GET', `/v1/projects/shop/tokens/${res.body.token.id}`, { token: root });
      expect(again.status).toBe(200);
      expect(JSON.stringify(again.body)).not.toContain(res.body.value);
    });

    it('is visible to the next read as soon as it answers (read-your-writes)', async () => {
      const { token } = await issue('ryw', ['a']);
      const list = await call(server, 'GET', '/v1/projects/ryw/tokens', { token: root });
      expect(list.body.items.map((t: { id: string }) => t.id)).toContain(token.id);
    });

    it('creates personal tokens with an owner and an absolute expiry', async () => {
      const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
      const res = await create('shop', { name: 'me', scopes: [], type: 'personal', ownerId: 'user-42', expiresAt });
      expect(res.status).toBe(201);
      expect(res.body.value).toMatch(/^tlu_/);
      expect(res.body.token).toMatchObject({ ownerId: 'user-42', expiresAt });
    });

    it.each([
      ['a missing name', { scopes: [] }],
      ['an empty name', { name: '', scopes: [] }],
      ['a name over 200 characters', { name: 'x'.repeat(201), scopes: [] }],
      ['scopes that are not a list', { name: 'n', scopes: 'read' }],
      ['a badly formed scope', { name: 'n', scopes: ['Read Things'] }],
      ['33 scopes', { name: 'n', scopes: Array.from({ length: 33 }, (_, i) => `s${i}`) }],
      ['duplicate scopes', { name: 'n', scopes: ['a', 'a'] }],
      ['an unknown field', { name: 'n', scopes: [], admin: true }],
      ['an unknown type', { name: 'n', scopes: [], type: 'root' }],
      ['a personal token without owner', { name: 'n', scopes: [], type: 'personal' }],
      ['an owner on a project token', { name: 'n', scopes: [], ownerId: 'u' }],
      ['a bad duration', { name: 'n', scopes: [], expiresIn: '2 weeks' }],
      ['both expiresIn and expiresAt', { name: 'n', scopes: [], expiresIn: '1d', expiresAt: '2099-01-01T00:00:00Z' }],
      ['an expiry in the past', { name: 'n', scopes: [], expiresAt: '2001-01-01T00:00:00Z' }],
      ['metadata that is not an object', { name: 'n', scopes: [], metadata: [1] }],
      ['metadata over 4 KB', { name: 'n', scopes: [], metadata: { blob: 'x'.repeat(4100) } }],
      ['the reserved root scope', { name: 'n', scopes: ['root'] }],
    ])('refuses %s with 400 and writes nothing', async (_, body) => {
      const head = await headPosition();
      const res = await create('shop', body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toEqual(expect.any(String));
      expect(res.body.error.message).toEqual(expect.any(String));
      expect(await headPosition()).toBe(head);
    });

    it('refuses creating tokens in the _system project', async () => {
      const res = await create('_system', { name: 'n', scopes: [] });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('reserved_project');
    });

    it('refuses a badly formed project id', async () => {
      const res = await create('Bad_Project', { name: 'n', scopes: [] });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_project_id');
    });
  });

  describe('credentials and scopes', () => {
    it('accepts Authorization: Bearer, Auth-token and X-API-Key', async () => {
      const { value } = await issue('creds', ['tokens:read']);
      const variants: Array<Record<string, string>> = [{ authorization: `Bearer ${value}` }, { 'auth-token': value }, { 'x-api-key': value }];
      for (const headers of variants) {
        const res = await call(server, 'GET', '/v1/projects/creds/tokens', { headers });
        expect(res.status).toBe(200);
      }
    });

    it('answers 401 with WWW-Authenticate without credentials', async () => {
      const res = await call(server, 'GET', '/v1/projects/shop/tokens');
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('missing_credentials');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });

    it.each([
      ['garbage', 'not-a-token'],
      ['a bad checksum', 'tlp_' + 'A'.repeat(49)],
    ])('answers 401 invalid_token for %s', async (_, token) => {
      const res = await call(server, 'GET', '/v1/projects/shop/tokens', { token });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_token');
      expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    });

    it('answers 401 for a revoked token, from the moment the revoke returns', async () => {
      const { token, value } = await issue('creds', ['tokens:read']);
      expect((await call(server, 'GET', '/v1/projects/creds/tokens', { token: value })).status).toBe(200);
      expect((await call(server, 'DELETE', `/v1/projects/creds/tokens/${token.id}`, { token: root })).status).toBe(200);
      expect((await call(server, 'GET', '/v1/projects/creds/tokens', { token: value })).status).toBe(401);
    });

    it('answers 403 insufficient_scope for a missing scope, with WWW-Authenticate', async () => {
      const { value } = await issue('scoped', ['tokens:read']);
      const res = await create('scoped', { name: 'n', scopes: [] }, value);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('insufficient_scope');
      expect(res.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="tokens:write"');
    });

    it('answers 403 on another project', async () => {
      const { value } = await issue('alpha', ['admin']);
      expect((await call(server, 'GET', '/v1/projects/beta/tokens', { token: value })).status).toBe(403);
      expect((await call(server, 'GET', '/v1/projects/alpha/tokens', { token: value })).status).toBe(200);
    });

    it('lets admin do what tokens:read and tokens:write allow', async () => {
      const { value } = await issue('adm', ['admin']);
      const res = await create('adm', { name: 'child', scopes: ['tokens:read'] }, value);
      expect(res.status).toBe(201);
    });

    it('does not let a token grant ledger scopes it does not hold', async () => {
      const { value } = await issue('esc', ['tokens:write']);
      const res = await create('esc', { name: 'escalate', scopes: ['admin'] }, value);
      expect(res.status).toBe(403);
      expect((await create('esc', { name: 'peer', scopes: ['tokens:write', 'orders:read'] }, value)).status).toBe(201);
    });
  });

  describe('list', () => {
    beforeAll(async () => {
      for (const name of ['delta', 'alpha', 'charlie', 'bravo', 'echo']) {
        expect((await create('listing', { name, scopes: [], type: name === 'echo' ? 'integration' : 'project' })).status).toBe(201);
      }
    });

    const list = (query: string) => call(server, 'GET', `/v1/projects/listing/tokens?${query}`, { token: root });

    it('orders by name in both directions', async () => {
      expect((await list('order=name')).body.items.map((t: { name: string }) => t.name)).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
      expect((await list('order=name&direction=DESC')).body.items[0].name).toBe('echo');
    });

    it('pages with an opaque cursor without gaps or repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ name: string }>; nextCursor: string | null } } = await list(
          `order=name&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        seen.push(...page.body.items.map((t) => t.name));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
    });

    it('filters by type and status', async () => {
      expect((await list('type=integration')).body.items.map((t: { name: string }) => t.name)).toEqual(['echo']);
      const all = (await list('order=name')).body.items;
      await call(server, 'DELETE', `/v1/projects/listing/tokens/${all[0].id}`, { token: root });
      expect((await list('status=revoked')).body.items.map((t: { name: string }) => t.name)).toEqual(['alpha']);
      expect((await list('status=active')).body.items).toHaveLength(4);
      expect((await list('status=all')).body.items).toHaveLength(5);
      expect((await list('status=expired')).body.items).toHaveLength(0);
    });

    it.each(['limit=0', 'limit=201', 'limit=x', 'order=secret', 'direction=up', 'status=gone', 'cursor=bm9wZQ', 'foo=1'])(
      'refuses %s with 400',
      async (query) => {
        const res = await list(query);
        expect(res.status).toBe(400);
        expect(res.body.error.code).toEqual(expect.any(String));
      },
    );

    it('refuses a cursor from another ordering', async () => {
      const first = await list('order=name&limit=1');
      const res = await list(`order=createdAt&limit=1&cursor=${first.body.nextCursor}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_cursor');
    });
  });

  describe('revoke, rotate, history', () => {
    it('revokes idempotently and records one TokenRevoked', async () => {
      const { token } = await issue('life', ['a']);
      const first = await call(server, 'DELETE', `/v1/projects/life/tokens/${token.id}?reason=leaked`, { token: root });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ status: 'revoked', revokeReason: 'leaked' });
      const second = await call(server, 'DELETE', `/v1/projects/life/tokens/${token.id}`, { token: root });
      expect(second.status).toBe(200);
      expect(second.body.revokedAt).toBe(first.body.revokedAt);
      const history = await call(server, 'GET', `/v1/projects/life/tokens/${token.id}/events`, { token: root });
      expect(history.body.items.map((e: { type: string }) => e.type)).toEqual(['TokenCreated', 'TokenRevoked']);
    });

    it('rotates: a new value, the old one in grace, the new one keeping the old expiry', async () => {
      const { token: old } = await issue('life', ['a'], { expiresIn: '30d' });
      const res = await call(server, 'POST', `/v1/projects/life/tokens/${old.id}/rotate`, { token: root, body: { gracePeriod: '1h' } });
      expect(res.status).toBe(201);
      expect(res.body.value).toMatch(/^tlp_/);
      expect(res.body.token).toMatchObject({ rotatedFrom: old.id, status: 'active', name: 't-a', scopes: ['a'] });
      expect(res.body.token.expiresAt).toBe((old as unknown as { expiresAt: string }).expiresAt);
      const graceMs = Date.parse(res.body.previous.expiresAt) - Date.now();
      expect(graceMs).toBeGreaterThan(3_500_000);
      expect(graceMs).toBeLessThanOrEqual(3_600_000);
      const previous = await call(server, 'GET', `/v1/projects/life/tokens/${old.id}`, { token: root });
      expect(previous.body).toMatchObject({ status: 'active', rotatedTo: res.body.token.id, expiresAt: res.body.previous.expiresAt });
      const history = await call(server, 'GET', `/v1/projects/life/tokens/${res.body.token.id}/events`, { token: root });
      expect(history.body.items[0].metadata.causationId).toEqual(expect.any(String));
    });

    it('rotates with no body using the 24h default grace', async () => {
      const { token: old } = await issue('life', ['a']);
      const res = await call(server, 'POST', `/v1/projects/life/tokens/${old.id}/rotate`, { token: root });
      expect(res.status).toBe(201);
      expect(Math.round((Date.parse(res.body.previous.expiresAt) - Date.now()) / 3_600_000)).toBe(24);
      expect(res.body.token.expiresAt).toBeNull();
    });

    it('ends the old token at once with gracePeriod 0', async () => {
      const { token: old, value } = await issue('life', ['tokens:read']);
      const res = await call(server, 'POST', `/v1/projects/life/tokens/${old.id}/rotate`, { token: root, body: { gracePeriod: 0 } });
      expect(res.status).toBe(201);
      expect((await call(server, 'GET', `/v1/projects/life/tokens/${old.id}`, { token: root })).body.status).toBe('expired');
      expect((await call(server, 'GET', '/v1/projects/life/tokens', { token: value })).status).toBe(401);
      expect((await call(server, 'GET', '/v1/projects/life/tokens', { token: res.body.value })).status).toBe(200);
    });

    it('answers 409 for rotating a revoked or already rotated token', async () => {
      const { token } = await issue('life', ['a']);
      const rotated = await call(server, 'POST', `/v1/projects/life/tokens/${token.id}/rotate`, { token: root });
      expect(rotated.status).toBe(201);
      const twice = await call(server, 'POST', `/v1/projects/life/tokens/${token.id}/rotate`, { token: root });
      expect(twice.status).toBe(409);
      expect(twice.body.error.code).toBe('token_already_rotated');
      await call(server, 'DELETE', `/v1/projects/life/tokens/${rotated.body.token.id}`, { token: root });
      const revoked = await call(server, 'POST', `/v1/projects/life/tokens/${rotated.body.token.id}/rotate`, { token: root });
      expect(revoked.status).toBe(409);
      expect(revoked.body.error.code).toBe('token_revoked');
    });

    it.each([
      ['a grace over 30 days', { gracePeriod: '31d' }],
      ['a bad duration', { gracePeriod: 'soon' }],
      ['an unknown field', { grace: '1h' }],
    ])('refuses rotating with %s (400)', async (_, body) => {
      const { token } = await issue('life', ['a']);
      const res = await call(server, 'POST', `/v1/projects/life/tokens/${token.id}/rotate`, { token: root, body });
      expect(res.status).toBe(400);
    });

    it('history: a tokens:read caller without audit:read gets it without client IPs, user agents and secret hashes', async () => {
      const { token } = await issue('hist', ['a']);
      const rotated = await call(server, 'POST', `/v1/projects/hist/tokens/${token.id}/rotate`, {
        token: root,
        body: {},
        headers: { 'user-agent': 'history-agent/1' },
      });
      expect(rotated.status).toBe(201);
      const reader = await issue('hist', ['tokens:read']);
      const auditor = await issue('hist', ['tokens:read', 'audit:read']);
      const read = async (as: string) => (await call(server, 'GET', `/v1/projects/hist/tokens/${token.id}/events`, { token: as })).body;

      const full = await read(root);
      expect(full.redacted).toBe(false);
      expect(full.items[0].data.secretHash).toMatch(/^[0-9a-f]{64}$/);
      expect(full.items[1].data.newToken.secretHash).toMatch(/^[0-9a-f]{64}$/);
      expect(full.items[1].metadata).toMatchObject({ userAgent: 'history-agent/1', ip: expect.any(String) });
      expect(await read(auditor.value)).toEqual(full);

      const redacted = await read(reader.value);
      expect(redacted.redacted).toBe(true);
      expect(redacted.items.map((e: { type: string }) => e.type)).toEqual(['TokenCreated', 'TokenRotated']);
      const text = JSON.stringify(redacted);
      for (const hidden of ['secretHash', '"ip"', 'userAgent', 'history-agent', full.items[0].data.secretHash, full.items[1].data.newToken.secretHash])
        expect(text).not.toContain(hidden);
      // What happened and who did it stays: the actor, the ids, the hints, the chain link.
      expect(redacted.items[1].metadata).toMatchObject({ actor: full.items[1].metadata.actor, prevHash: full.items[1].metadata.prevHash });
      expect(redacted.items[1].data).toMatchObject({ newTokenId: full.items[1].data.newTokenId, newToken: { hint: full.items[1].data.newToken.hint } });
    });

    it('answers 404 for unknown tokens and tokens of other projects', async () => {
      const { token } = await issue('mine', ['a']);
      for (const [method, path] of [
        ['GET', `/v1/projects/other/tokens/${token.id}`],
        ['GET', `/v1/projects/other/tokens/${token.id}/events`],
        ['DELETE', `/v1/projects/other/tokens/${token.id}`],
        ['POST', `/v1/projects/other/tokens/${token.id}/rotate`],
        ['GET', '/v1/projects/mine/tokens/tok_doesnotexist'],
        ['GET', '/v1/projects/mine/tokens/not-an-id'],
      ]) {
        const res = await call(server, method, path, { token: root });
        expect([method, path, res.status]).toEqual([method, path, 404]);
        expect(res.body.error.code).toMatch(/not_found/);
      }
    });
  });

  describe('HTTP edges', () => {
    it('answers 415 for a body that is not JSON', async () => {
      const res = await call(server, 'POST', '/v1/projects/shop/tokens', { token: root, body: 'name=x', headers: { 'content-type': 'text/plain' } });
      expect(res.status).toBe(415);
      expect(res.body.error.code).toBe('unsupported_media_type');
    });

    it('answers 400 for malformed JSON', async () => {
      const res = await call(server, 'POST', '/v1/projects/shop/tokens', { token: root, body: '{"name":' });
      expect(res.status).toBe(400);
      expect(res.body.error).toBeDefined();
    });

    it('answers 413 over 1 MB', async () => {
      const res = await call(server, 'POST', '/v1/projects/shop/tokens', {
        token: root,
        body: JSON.stringify({ name: 'n', scopes: [], metadata: { blob: 'x'.repeat(1_100_000) } }),
      });
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
    });

    it('answers 404 in the error shape for unknown routes', async () => {
      const res = await call(server, 'GET', '/v1/nothing-here');
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    });

    it('puts X-Request-Id on every response, keeping a well-formed incoming one', async () => {
      const own = await call(server, 'GET', '/health/live', { headers: { 'x-request-id': 'req-123' } });
      expect(own.headers.get('x-request-id')).toBe('req-123');
      const forged = await call(server, 'GET', '/v1/nothing', { headers: { 'x-request-id': 'spaces and "quotes" {json}' } });
      expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('serves health, OpenAPI and the docs page', async () => {
      expect((await call(server, 'GET', '/health/live')).status).toBe(200);
      const ready = await call(server, 'GET', '/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.details.projection.lag).toBe(0);
      const openapi = await call(server, 'GET', '/openapi.json');
      expect(openapi.status).toBe(200);
      expect(Object.keys(openapi.body.paths)).toEqual(
        expect.arrayContaining(['/v1/projects/{projectId}/tokens', '/v1/projects/{projectId}/tokens/{tokenId}/rotate']),
      );
      expect((await fetch(`${server.url}/docs`)).status).toBe(200);
    });
  });

  async function headPosition(): Promise<number> {
    const ready = await call(server, 'GET', '/health/ready');
    return ready.body.details.eventStore.head;
  }
});
