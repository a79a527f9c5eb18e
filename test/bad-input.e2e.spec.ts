import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

/**
 * Bad input is a 400 with the error shape, never a 500 and never a wrong answer
 * (issue 12, items 10–13), through a real listening server.
 */
describe('bad input', () => {
  let server: LedgerServer;
  let root: string;

  beforeAll(async () => {
    server = await startLedgerServer();
    root = server.rootToken;
  });
  afterAll(() => server.close());

  const expectBadRequest = (res: { status: number; body: any }) => {
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String) }));
  };
  const create = (body: unknown, project = 'shop') => call(server, 'POST', `/v1/projects/${project}/tokens`, { token: root, body });
  const issue = async (extra: Record<string, unknown> = {}, project = 'shop') => {
    const res = await create({ name: 'n', scopes: ['a'], ...extra }, project);
    expect(res.status).toBe(201);
    return res.body as { token: { id: string; expiresAt: string | null; metadata: Record<string, unknown> }; value: string };
  };
  const nested = (depth: number, leaf: unknown, wrap: (inner: string) => string) => {
    let text = JSON.stringify(leaf);
    for (let i = 0; i < depth; i++) text = wrap(text);
    return text;
  };
  const raw = (method: string, path: string, body: string | undefined, headers: Record<string, string> = {}) =>
    fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${root}`, 'content-type': 'application/json', ...headers },
      body,
    }).then(async (r) => ({ status: r.status, text: await r.text() }));

  describe('durations beyond any date (item 10)', () => {
    it.each(['300000y', '999999999y', 8_640_000_000_000, 9_007_199_254_740_991, '9999999999d'])('expiresIn %p on create is a 400', async (expiresIn) => {
      expectBadRequest(await create({ name: 'n', scopes: [], expiresIn }));
    });

    it.each(['300000y', 9_007_199_254_740_991])('expiresIn %p on rotate is a 400', async (expiresIn) => {
      const { token } = await issue();
      expectBadRequest(await call(server, 'POST', `/v1/projects/shop/tokens/${token.id}/rotate`, { token: root, body: { expiresIn } }));
    });
  });

  describe('null for an optional field (item 10)', () => {
    it.each(['expiresIn', 'expiresAt', 'type', 'metadata', 'ownerId'])('%s: null on create is a 400', async (field) => {
      expectBadRequest(await create({ name: 'n', scopes: [], [field]: null }));
    });

    it.each(['gracePeriod', 'expiresIn'])('%s: null on rotate is a 400 and rotates nothing', async (field) => {
      const { token } = await issue();
      expectBadRequest(await call(server, 'POST', `/v1/projects/shop/tokens/${token.id}/rotate`, { token: root, body: { [field]: null } }));
      const after = await call(server, 'GET', `/v1/projects/shop/tokens/${token.id}`, { token: root });
      expect(after.body.status).toBe('active');
    });
  });

  describe('dates: strict RFC 3339 only (items 10, 11)', () => {
    const notRfc3339 = [
      '2030-W01',
      '2030-100',
      '2030-01-01T10',
      '20300101',
      '2030-01-01T10:00:00,5Z',
      '2030-01-01',
      '2030-01-01T10:00Z',
      '2030-02-30T00:00:00Z',
      '2030-01-01T24:00:00Z',
      '2030-01-01T10:00:00',
      '2020-W01',
    ];

    it.each(notRfc3339)('expiresAt %p is a 400', async (expiresAt) => {
      expectBadRequest(await create({ name: 'n', scopes: [], expiresAt }));
    });

    it.each(notRfc3339)('asOf %p is a 400 on the list and on one token', async (asOf) => {
      expectBadRequest(await call(server, 'GET', `/v1/projects/shop/tokens?asOf=${encodeURIComponent(asOf)}`, { token: root }));
      expectBadRequest(await call(server, 'GET', `/v1/projects/shop/tokens/tok_x?asOf=${encodeURIComponent(asOf)}`, { token: root }));
    });

    it.each(notRfc3339)('audit from/to %p is a 400 on events and export', async (date) => {
      for (const path of ['/v1/audit/events', '/v1/audit/export']) {
        for (const field of ['from', 'to']) {
          expectBadRequest(await call(server, 'GET', `${path}?${field}=${encodeURIComponent(date)}`, { token: root }));
        }
      }
    });

    it('accepts RFC 3339 with an offset and fraction, and means the same instant', async () => {
      const in1h = new Date(Date.now() + 3_600_000);
      in1h.setUTCMilliseconds(250);
      const local = new Date(in1h.getTime() + 2 * 3_600_000).toISOString().replace('Z', '+02:00').replace(/\.250/, '.250000');
      const { token } = await issue({ expiresAt: local });
      expect(token.expiresAt).toBe(in1h.toISOString());
      const asOf = await call(server, 'GET', `/v1/projects/shop/tokens?asOf=${encodeURIComponent('2020-01-01t00:00:00z')}`, { token: root });
      expect(asOf.status).toBe(200);
      expect(asOf.body.items).toEqual([]);
    });
  });

  describe('expiries are bounded (item 11)', () => {
    it('refuses an expiry after the maximum lifetime, by expiresIn or expiresAt, on create and rotate', async () => {
      expectBadRequest(await create({ name: 'n', scopes: [], expiresIn: '101y' }));
      expectBadRequest(await create({ name: 'n', scopes: [], expiresAt: '+101960-01-01T00:00:00Z' }));
      expectBadRequest(await create({ name: 'n', scopes: [], expiresAt: '9999-12-31T23:59:59Z' }));
      const { token } = await issue();
      expectBadRequest(await call(server, 'POST', `/v1/projects/shop/tokens/${token.id}/rotate`, { token: root, body: { expiresIn: '3650000d' } }));
    });

    it('a token at the maximum lifetime is active, listed as active and verifies', async () => {
      const { token, value } = await issue({ expiresIn: '100y' }, 'far');
      const active = await call(server, 'GET', '/v1/projects/far/tokens?status=active', { token: root });
      expect(active.body.items.map((t: { id: string }) => t.id)).toEqual([token.id]);
      const expired = await call(server, 'GET', '/v1/projects/far/tokens?status=expired', { token: root });
      expect(expired.body.items).toEqual([]);
      const verified = await call(server, 'POST', '/v1/tokens/verify', { body: { token: value } });
      expect(verified.body.valid).toBe(true);
    });
  });

  describe('deep nesting (item 10)', () => {
    it.each([
      ['objects in metadata', nested(5000, 1, (inner) => `{"a":${inner}}`)],
      ['arrays in metadata', nested(5000, 1, (inner) => `[${inner}]`)],
      ['arrays in metadata, 100 000 deep', nested(100_000, 1, (inner) => `[${inner}]`)],
    ])('%s is a 400', async (_name, deep) => {
      const res = await raw('POST', '/v1/projects/shop/tokens', `{"name":"n","scopes":[],"metadata":{"x":${deep}}}`);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text).error.code).toEqual(expect.any(String));
    });

    it('deep scopes and a deep body are a 400 too', async () => {
      expect((await raw('POST', '/v1/projects/shop/tokens', `{"name":"n","scopes":${nested(5000, 'a', (i) => `[${i}]`)}}`)).status).toBe(400);
      expect(
        (
          await raw(
            'POST',
            '/v1/tokens/verify',
            nested(5000, 'a', (i) => `{"token":${i}}`),
          )
        ).status,
      ).toBe(400);
    });

    it('metadata nested a few levels is still fine', async () => {
      const { token } = await issue({ metadata: { a: { b: { c: [1, [2, { d: 3 }]] } } } });
      expect(token.metadata).toEqual({ a: { b: { c: [1, [2, { d: 3 }]] } } });
    });
  });

  describe('/docs path traversal (item 10)', () => {
    it.each([
      '/docs/../package.json',
      '/docs/..%2fpackage.json',
      '/docs/%2e%2e/%2e%2e/package.json',
      '/docs/..%2f..%2f..%2fetc%2fpasswd',
      '/docs/%2e%2e%5cpackage.json',
      '/docs/..',
      '/docs/%00',
    ])('%s is a 4xx and serves no file', async (path) => {
      const res = await fetch(server.url + path);
      const text = await res.text();
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(text).not.toContain('token-ledger');
      expect(text).not.toContain('root:');
    });
  });

  describe('errors the router answers itself', () => {
    it('a path segment over 100 characters is a 414 in the error shape, quoting nothing', async () => {
      const long = 'tlp_' + 'x'.repeat(120);
      const res = await call(server, 'GET', `/v1/projects/${long}/tokens`, { token: root });
      expect(res.status).toBe(414);
      expect(res.body.error.code).toBe('uri_too_long');
      expect(JSON.stringify(res.body)).not.toContain(long);
    });

    it('a malformed percent-encoding is a 400 in the error shape', async () => {
      const res = await call(server, 'GET', '/v1/projects/%E0%A4%A/tokens', { token: root });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('bad_url');
    });
  });

  describe('empty bodies with a JSON content type (item 12)', () => {
    it('revokes on a DELETE with Content-Type: application/json and no body', async () => {
      const { token } = await issue();
      const res = await raw('DELETE', `/v1/projects/shop/tokens/${token.id}`, undefined);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text).status).toBe('revoked');
    });

    it('rotates on a POST with Content-Type: application/json and an empty body', async () => {
      const { token } = await issue();
      const res = await raw('POST', `/v1/projects/shop/tokens/${token.id}/rotate`, '');
      expect(res.status).toBe(201);
    });

    it('a create with an empty JSON body is a 400 naming the missing fields', async () => {
      const res = await raw('POST', '/v1/projects/shop/tokens', '');
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text).error.code).toBe('validation_failed');
    });
  });

  describe('prototype keys (item 13)', () => {
    it.each(['constructor', 'tostring', 'hasownproperty', 'valueof'])('project %p works like any other project', async (project) => {
      const { token } = await issue({}, project);
      const list = await call(server, 'GET', `/v1/projects/${project}/tokens`, { token: root });
      expect(list.status).toBe(200);
      expect(list.body.items.map((t: { id: string }) => t.id)).toEqual([token.id]);
    });

    it('keeps toString, hasOwnProperty and valueOf metadata keys as plain data, at any level', async () => {
      const metadata = { toString: 't', hasOwnProperty: 1, valueOf: { toString: [1] }, isPrototypeOf: 'p' };
      const { token } = await issue({ metadata });
      expect(token.metadata).toEqual(metadata);
      const read = await call(server, 'GET', `/v1/projects/shop/tokens/${token.id}`, { token: root });
      expect(read.body.metadata).toEqual(metadata);
    });

    it.each([
      '{"name":"n","scopes":[],"metadata":{"__proto__":{"admin":true}}}',
      '{"name":"n","scopes":[],"metadata":{"constructor":"c"}}',
      '{"name":"n","scopes":[],"metadata":{"prototype":"p"}}',
      '{"name":"n","scopes":[],"metadata":{"a":[{"constructor":{"prototype":{"admin":true}}}]}}',
      '{"name":"n","scopes":[],"constructor":"c"}',
      '{"name":"n","scopes":[],"__proto__":{"admin":true}}',
    ])('refuses a reserved key (never drops it silently): %s', async (body) => {
      const res = await raw('POST', '/v1/projects/shop/tokens', body);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text).error.code).toEqual(expect.any(String));
    });
  });
});
