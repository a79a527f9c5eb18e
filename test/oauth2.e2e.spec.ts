import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { formatTokenValue } from '@ledger/token-domain';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

const run = promisify(execFile);
const FIXTURE = join(__dirname, 'fixtures', 'oauth-client.mjs');

/** RFC 7662 introspection and RFC 7009 revocation, with openid-client and with raw HTTP. */
describe('OAuth 2.0 introspection and revocation', () => {
  let server: LedgerServer;
  let introspector: { id: string; value: string };

  const create = async (project: string, body: Record<string, unknown>) => {
    const res = await call(server, 'POST', `/v1/projects/${project}/tokens`, { token: server.rootToken, body: { name: 'svc', ...body } });
    expect(res.status).toBe(201);
    return { id: res.body.token.id as string, value: res.body.value as string, expiresAt: res.body.token.expiresAt as string | null };
  };
  const form = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    call(server, 'POST', path, { body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  const oauthClient = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, [FIXTURE, server.url, ...args], { timeout: 20_000 });
    return JSON.parse(stdout.trim());
  };
  const verify = (token: string) => call(server, 'POST', '/v1/tokens/verify', { body: { token } });

  beforeAll(async () => {
    server = await startLedgerServer();
    const created = await create('shop', { scopes: ['introspect'] });
    introspector = { id: created.id, value: created.value };
  });
  afterAll(() => server.close());

  it.each(['basic', 'post'])('openid-client tokenIntrospection with client_secret_%s', async (auth) => {
    const target = await create('shop', { type: 'personal', ownerId: 'ada', scopes: ['orders:read', 'orders:write'], expiresIn: '1d' });
    const out = await oauthClient('introspect', auth, introspector.id, introspector.value, target.value);
    expect(out.ok).toBe(true);
    expect(out.result).toEqual({
      active: true,
      scope: 'orders:read orders:write',
      client_id: 'shop',
      sub: 'ada',
      token_type: 'Bearer',
      exp: Math.floor(Date.parse(target.expiresAt!) / 1000),
      iat: expect.any(Number),
      jti: target.id,
    });
  });

  it('openid-client sees an unknown token as inactive', async () => {
    const out = await oauthClient('introspect', 'basic', introspector.id, introspector.value, formatTokenValue('project', Buffer.alloc(32, 3)));
    expect(out).toEqual({ ok: true, result: { active: false } });
  });

  it('openid-client tokenRevocation revokes by the presented value; unknown values are fine too', async () => {
    const target = await create('shop', { scopes: ['read'] });
    expect((await verify(target.value)).body.valid).toBe(true);
    expect(await oauthClient('revoke', 'basic', introspector.id, introspector.value, target.value)).toEqual({ ok: true });
    expect((await verify(target.value)).body).toEqual({ valid: false, code: 'revoked' });
    expect(await oauthClient('revoke', 'post', 'anyone', 'anything', formatTokenValue('project', Buffer.alloc(32, 4)))).toEqual({ ok: true });
    const history = await call(server, 'GET', `/v1/projects/shop/tokens/${target.id}/events`, { token: server.rootToken });
    expect(history.body.items.at(-1)).toMatchObject({ type: 'TokenRevoked', metadata: { actor: { type: 'token', id: target.id } } });
  });

  describe('raw HTTP', () => {
    it('reads form fields named like Object.prototype members as plain fields, not as repeated ones', async () => {
      const target = await create('shop', { scopes: ['read'] });
      const body = `toString=1&constructor=2&hasOwnProperty=3&__proto__=4&token=${target.value}`;
      const res = await call(server, 'POST', '/oauth2/introspect', {
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${introspector.value}` },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ active: true, jti: target.id });
    });

    it('introspects with a Bearer caller, answering no-store', async () => {
      const target = await create('shop', { scopes: ['read'] });
      const res = await form('/oauth2/introspect', { token: target.value }, { authorization: `Bearer ${introspector.value}` });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body).toMatchObject({ active: true, jti: target.id, sub: target.id, scope: 'read' });
      expect(res.body.exp).toBeUndefined(); // never expires
    });

    it('every failure about the token is exactly {"active": false}', async () => {
      const revoked = await create('shop', { scopes: ['read'] });
      await call(server, 'DELETE', `/v1/projects/shop/tokens/${revoked.id}`, { token: server.rootToken });
      const expiring = await create('shop', { scopes: ['read'], expiresIn: '1s' });
      const otherProject = await create('billing', { scopes: ['read'] });
      await new Promise((r) => setTimeout(r, 1100));
      const bearer = { authorization: `Bearer ${introspector.value}` };
      for (const fields of [
        { token: 'garbage' },
        { token: formatTokenValue('project', Buffer.alloc(32, 5)) },
        { token: revoked.value },
        { token: expiring.value },
        { token: otherProject.value }, // not the caller's project
        {},
      ] as Array<Record<string, string>>) {
        const res = await form('/oauth2/introspect', fields, bearer);
        expect({ fields: Object.keys(fields), status: res.status, body: res.body }).toEqual({
          fields: Object.keys(fields),
          status: 200,
          body: { active: false },
        });
      }
    });

    it('a root caller introspects any project', async () => {
      const target = await create('billing', { scopes: ['read'] });
      const res = await form('/oauth2/introspect', { token: target.value }, { authorization: `Bearer ${server.rootToken}` });
      expect(res.body).toMatchObject({ active: true, client_id: 'billing' });
    });

    it('a valid caller without introspect gets 403 insufficient_scope and {"active": false}', async () => {
      const plain = await create('shop', { scopes: ['tokens:read'] });
      const target = await create('shop', { scopes: ['read'] });
      const res = await form('/oauth2/introspect', { token: target.value }, { authorization: `Bearer ${plain.value}` });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ active: false });
      expect(res.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="introspect"');
    });

    it('a caller with a wrong client_id or no valid credential gets 401 and {"active": false}', async () => {
      const plain = await create('shop', { scopes: ['tokens:read'] });
      const target = await create('shop', { scopes: ['read'] });
      const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
      for (const headers of [{ authorization: basic(plain.id, introspector.value) }, { authorization: 'Basic !!!' }, {}] as Array<Record<string, string>>) {
        const res = await form('/oauth2/introspect', { token: target.value }, headers);
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ active: false });
        expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      }
    });

    it('revoke: 200 with an empty body for known, already revoked and unknown tokens; 400 without a token', async () => {
      const target = await create('shop', { scopes: ['read'] });
      for (const token of [target.value, target.value, 'not-even-a-token']) {
        const res = await form('/oauth2/revoke', { token });
        expect(res.status).toBe(200);
        expect(res.body).toBeNull();
      }
      expect((await verify(target.value)).body.code).toBe('revoked');
      const bad = await form('/oauth2/revoke', {});
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('invalid_request');
    });

    it('a JSON body is refused with 415, never a 500, even with arrays and objects in place of strings', async () => {
      // Token-shaped but never issued: passes the pattern only if the array were stringified.
      const shaped = 'tlp_' + 'A'.repeat(49);
      for (const [path, body] of [
        ['/oauth2/introspect', { client_id: 'x', client_secret: [shaped] }],
        ['/oauth2/introspect', { client_id: introspector.id, client_secret: introspector.value, token: [introspector.value] }],
        ['/oauth2/introspect', { client_id: { a: 1 }, client_secret: { length: 53 }, token: {} }],
        ['/oauth2/revoke', { token: [shaped] }],
        ['/oauth2/revoke', { token: { toString: 'x' } }],
      ] as Array<[string, unknown]>) {
        const res = await call(server, 'POST', path, { body });
        expect({ path, status: res.status, code: res.body?.error?.code }).toEqual({ path, status: 415, code: 'unsupported_media_type' });
      }
    });
  });
});
