import { request } from 'node:http';
import { execFile } from 'node:child_process';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SignJWT, decodeProtectedHeader } from 'jose';
import { formatTokenValue } from '@ledger/token-domain';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

const run = promisify(execFile);
const FIXTURE = join(__dirname, 'fixtures', 'access-token-client.mjs');
const ISSUER = 'https://ledger.test';

const b64 = (value: object | Buffer) => Buffer.from(Buffer.isBuffer(value) ? value : JSON.stringify(value)).toString('base64url');
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/** Issue 15: the exchange, the JWT, discovery, and the ledger and offline services accepting it. */
describe('short-lived access tokens', () => {
  let server: LedgerServer;

  const create = async (project: string, body: Record<string, unknown>, token = server.rootToken) => {
    const res = await call(server, 'POST', `/v1/projects/${project}/tokens`, { token, body: { name: 'svc', ...body } });
    expect(res.status).toBe(201);
    return { id: res.body.token.id as string, value: res.body.value as string, expiresAt: res.body.token.expiresAt as string | null };
  };
  const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    call(server, 'POST', '/oauth2/token', {
      body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });
  const basic = (id: string, secret: string) => ({
    authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`,
  });
  const exchange = async (token: { id: string; value: string }, scope?: string) => {
    const res = await form({ grant_type: 'client_credentials', ...(scope === undefined ? {} : { scope }) }, basic(token.id, token.value));
    expect(res.status).toBe(200);
    return res.body as { access_token: string; token_type: string; expires_in: number; scope: string };
  };
  const fixture = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, [FIXTURE, ...args], { timeout: 30_000 });
    return JSON.parse(stdout.trim());
  };
  const offline = (...tokens: string[]) => fixture('verify', `${server.url}/.well-known/jwks.json`, ISSUER, ...tokens);
  const verify = (token: string, extra: Record<string, unknown> = {}) => call(server, 'POST', '/v1/tokens/verify', { body: { token, ...extra } });
  const check = (token: string, query = '') => call(server, 'GET', `/v1/auth/check${query}`, { headers: { authorization: `Bearer ${token}` } });
  let introspector: { id: string; value: string };
  const introspect = (token: string) =>
    call(server, 'POST', '/oauth2/introspect', {
      body: new URLSearchParams({ token }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${introspector.value}` },
    });

  beforeAll(async () => {
    server = await startLedgerServer({ env: { ACCESS_TOKEN_ISSUER: ISSUER, USAGE_FLUSH_INTERVAL: '1s' } });
    introspector = await create('shop', { scopes: ['introspect'] });
  });
  afterAll(() => server.close());

  it.each(['basic', 'post'])('openid-client clientCredentialsGrant (client_secret_%s); the token verifies offline against the JWKS', async (auth) => {
    const parent = await create('shop', { type: 'personal', ownerId: 'ada', scopes: ['orders:read', 'orders:write'], expiresIn: '90d' });
    const granted = await fixture('grant', server.url, auth, parent.id, parent.value, 'orders:read');
    expect(granted).toMatchObject({ ok: true, result: { token_type: 'bearer', expires_in: 86_400, scope: 'orders:read' } });
    const [verified] = await offline(granted.result.access_token);
    expect(verified.ok).toBe(true);
    expect(verified.header).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });
    expect(verified.payload).toEqual({
      iss: ISSUER,
      sub: 'ada',
      aud: 'shop',
      client_id: parent.id,
      project: 'shop',
      scope: 'orders:read',
      jti: expect.any(String),
      iat: expect.any(Number),
      exp: verified.payload.iat + 86_400,
    });
  });

  it('POST /v1/auth takes {clientId, secret} and answers {accessToken, expiresIn, tokenType}', async () => {
    const parent = await create('shop', { scopes: ['flags:read'] });
    const res = await call(server, 'POST', '/v1/auth', { body: { clientId: parent.id, secret: parent.value } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({ accessToken: expect.stringMatching(/^eyJ/), expiresIn: 86_400, tokenType: 'Bearer', scope: 'flags:read' });
    expect(decode(res.body.accessToken.split('.')[1])).toMatchObject({ sub: parent.id, client_id: parent.id, scope: 'flags:read' });
    const wrong = await call(server, 'POST', '/v1/auth', { body: { clientId: parent.id, secret: formatTokenValue('project', Buffer.alloc(32, 9)) } });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: { code: 'invalid_client', message: 'client authentication failed' } });
    expect((await call(server, 'POST', '/v1/auth', { body: { clientId: parent.id } })).body.error.code).toBe('validation_failed');
    const scoped = await call(server, 'POST', '/v1/auth', { body: { clientId: parent.id, secret: parent.value, scope: 'admin' } });
    expect([scoped.status, scoped.body.error.code]).toEqual([400, 'invalid_scope']);
  });

  it('narrows scopes; a scope the credential lacks is invalid_scope', async () => {
    const parent = await create('shop', { scopes: ['a:read', 'b:read', 'c:read'] });
    expect((await exchange(parent, 'b:read c:read')).scope).toBe('b:read c:read');
    expect((await exchange(parent)).scope).toBe('a:read b:read c:read');
    const refused = await form({ grant_type: 'client_credentials', scope: 'a:read tokens:write' }, basic(parent.id, parent.value));
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ error: 'invalid_scope', error_description: 'the token does not hold tokens:write' });
    const garbled = await form({ grant_type: 'client_credentials', scope: 'a:read "><script>' }, basic(parent.id, parent.value));
    expect([garbled.status, garbled.body.error]).toEqual([400, 'invalid_scope']);
  });

  it("invalid_client (401) for unknown, revoked, expired and root credentials, and a client_id that is not the secret's", async () => {
    const revoked = await create('shop', { scopes: ['read'] });
    await call(server, 'DELETE', `/v1/projects/shop/tokens/${revoked.id}`, { token: server.rootToken });
    const expiring = await create('shop', { scopes: ['read'], expiresIn: '1s' });
    const other = await create('shop', { scopes: ['read'] });
    await new Promise((r) => setTimeout(r, 1100));
    const rootList = await call(server, 'GET', '/v1/projects/_system/tokens', { token: server.rootToken });
    const rootId = rootList.body.items[0].id as string;
    for (const [id, secret] of [
      ['tok_unknown', formatTokenValue('project', Buffer.alloc(32, 7))],
      [revoked.id, revoked.value],
      [expiring.id, expiring.value],
      [rootId, server.rootToken],
      [revoked.id, other.value],
    ]) {
      const res = await form({ grant_type: 'client_credentials' }, basic(id, secret));
      expect({ id, status: res.status, error: res.body.error, challenge: res.headers.get('www-authenticate') }).toEqual({
        id,
        status: 401,
        error: 'invalid_client',
        challenge: 'Basic realm="token-ledger"',
      });
      const post = await form({ grant_type: 'client_credentials', client_id: id, client_secret: secret });
      expect({ id, status: post.status, error: post.body.error }).toEqual({ id, status: 401, error: 'invalid_client' });
    }
  });

  it('answers the RFC 6749 §5.2 errors for a wrong grant or a bad request', async () => {
    const parent = await create('shop', { scopes: ['read'] });
    expect((await form({ grant_type: 'password' }, basic(parent.id, parent.value))).body.error).toBe('unsupported_grant_type');
    expect((await form({}, basic(parent.id, parent.value))).body.error).toBe('invalid_request');
    expect((await form({ grant_type: 'client_credentials', client_secret: parent.value }, basic(parent.id, parent.value))).body.error).toBe('invalid_request');
    expect((await form({ grant_type: 'client_credentials' })).status).toBe(401);
    const json = await call(server, 'POST', '/oauth2/token', { body: { grant_type: 'client_credentials' } });
    expect(json.status).toBe(415);
  });

  it('16 concurrent exchanges of one token are all answered and all recorded', async () => {
    const parent = await create('shop', { scopes: ['read'] });
    const results = await Promise.all(Array.from({ length: 16 }, () => form({ grant_type: 'client_credentials' }, basic(parent.id, parent.value))));
    expect(results.map((r) => r.status)).toEqual(Array(16).fill(200));
    const history = await call(server, 'GET', `/v1/projects/shop/tokens/${parent.id}/events`, { token: server.rootToken });
    const jtis = history.body.items.filter((e: { type: string }) => e.type === 'AccessTokenIssued').map((e: { data: { jti: string } }) => e.data.jti);
    expect(new Set(jtis)).toEqual(new Set(results.map((r) => decode(r.body.access_token.split('.')[1]).jti)));
  });

  it("caps the access token's expiry at its parent's", async () => {
    const parent = await create('shop', { scopes: ['read'], expiresIn: '1h' });
    const issued = await exchange(parent);
    expect(issued.expires_in).toBeLessThanOrEqual(3600);
    expect(decode(issued.access_token.split('.')[1]).exp).toBe(Math.floor(Date.parse(parent.expiresAt!) / 1000));
  });

  it("verify, forward-auth and introspection answer an access token as for its parent, with its own scopes; its use counts as the parent's", async () => {
    const parent = await create('shop', { type: 'personal', ownerId: 'grace', scopes: ['orders:read', 'orders:write'] });
    const { access_token: jwt } = await exchange(parent, 'orders:read');
    const payload = decode(jwt.split('.')[1]);
    expect((await verify(jwt, { scopes: ['orders:read'], projectId: 'shop' })).body).toEqual({
      valid: true,
      tokenId: parent.id,
      projectId: 'shop',
      type: 'personal',
      ownerId: 'grace',
      scopes: ['orders:read'],
      expiresAt: new Date(payload.exp * 1000).toISOString(),
    });
    expect((await verify(jwt, { scopes: ['orders:write'] })).body).toEqual({ valid: false, code: 'insufficient_scope' });
    expect((await verify(jwt, { projectId: 'billing' })).body).toEqual({ valid: false, code: 'wrong_project' });
    const ok = await check(jwt, '?scope=orders:read');
    expect([ok.status, ok.headers.get('x-token-id'), ok.headers.get('x-token-scopes'), ok.headers.get('x-token-owner')]).toEqual([
      200,
      parent.id,
      'orders:read',
      'grace',
    ]);
    expect((await check(jwt, '?scope=orders:write')).status).toBe(403);
    expect((await introspect(jwt)).body).toEqual({
      active: true,
      scope: 'orders:read',
      client_id: 'shop',
      sub: 'grace',
      token_type: 'Bearer',
      exp: payload.exp,
      iat: payload.iat,
      jti: payload.jti,
    });
    // The exchange, then one valid verify, forward-auth and introspection each: the parent's uses (refusals are not uses).
    let useCount = 0;
    for (let i = 0; i < 50 && useCount < 4; i++) {
      await new Promise((r) => setTimeout(r, 200));
      useCount = (await call(server, 'GET', `/v1/projects/shop/tokens/${parent.id}`, { token: server.rootToken })).body.useCount;
    }
    await new Promise((r) => setTimeout(r, 1200));
    expect((await call(server, 'GET', `/v1/projects/shop/tokens/${parent.id}`, { token: server.rootToken })).body.useCount).toBe(4);
  });

  it('an access token with 32 long scopes still fits verify, forward-auth and introspection', async () => {
    const scopes = Array.from({ length: 32 }, (_, i) => `scope-${i}:${'x'.repeat(50)}`);
    const parent = await create('shop', { scopes });
    const { access_token: jwt } = await exchange(parent);
    expect(jwt.length).toBeGreaterThan(2000);
    expect((await verify(jwt, { scopes: [scopes[31]] })).body.valid).toBe(true);
    expect((await check(jwt)).status).toBe(200);
    expect((await introspect(jwt)).body.active).toBe(true);
  });

  it('revoking the parent ends its access tokens at the ledger on the next call', async () => {
    const parent = await create('shop', { scopes: ['read'] });
    const { access_token: jwt } = await exchange(parent);
    expect((await verify(jwt)).body.valid).toBe(true);
    expect((await check(jwt)).status).toBe(200);
    await call(server, 'DELETE', `/v1/projects/shop/tokens/${parent.id}`, { token: server.rootToken });
    expect((await verify(jwt)).body).toEqual({ valid: false, code: 'revoked' });
    const refused = await check(jwt);
    expect([refused.status, refused.body.error.code]).toEqual([401, 'revoked']);
    expect((await introspect(jwt)).body).toEqual({ active: false });
  });

  it('narrowing or shortening the parent (PATCH) narrows its access tokens at the ledger on the next call', async () => {
    const parent = await create('shop', { scopes: ['read', 'write'], expiresIn: '2d' });
    const { access_token: jwt } = await exchange(parent, 'read write');
    expect((await verify(jwt, { scopes: ['write'] })).body.valid).toBe(true);
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    const patched = await call(server, 'PATCH', `/v1/projects/shop/tokens/${parent.id}`, {
      token: server.rootToken,
      body: { scopes: ['read'], expiresAt: soon },
    });
    expect(patched.status).toBe(200);
    expect((await verify(jwt, { scopes: ['write'] })).body).toMatchObject({ valid: false, code: 'insufficient_scope' });
    const still = (await verify(jwt, { scopes: ['read'] })).body;
    expect(still).toMatchObject({ valid: true, scopes: ['read'] });
    expect(Date.parse(still.expiresAt)).toBe(Date.parse(soon));
  });

  it('a tampered JWT (payload edited, alg none, unknown kid, foreign key under the real kid, HS256 with the public key) is refused everywhere', async () => {
    const parent = await create('shop', { scopes: ['read'] });
    const { access_token: jwt } = await exchange(parent);
    const [header, payload, signature] = jwt.split('.');
    const claims = decode(payload);
    const { kid } = decodeProtectedHeader(jwt);
    const jwks = (await call(server, 'GET', '/.well-known/jwks.json')).body.keys as Array<Record<string, string>>;
    const publicJwk = jwks.find((k) => k.kid === kid)!;
    const foreign = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const sign = (h: object) => new SignJWT(claims).setProtectedHeader(h as never).sign(foreign);
    const hs256 = (secret: string | Buffer) => {
      const head = `${b64({ alg: 'HS256', typ: 'at+jwt', kid })}.${payload}`;
      return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
    };
    const tampered: Record<string, string> = {
      payloadEdited: `${header}.${b64({ ...claims, scope: 'read admin' })}.${signature}`,
      otherParent: `${header}.${b64({ ...claims, client_id: introspector.id })}.${signature}`,
      algNone: `${b64({ alg: 'none', typ: 'at+jwt', kid })}.${payload}.`,
      unknownKid: await sign({ alg: 'ES256', typ: 'at+jwt', kid: 'not-a-ledger-key' }),
      foreignKeyRealKid: await sign({ alg: 'ES256', typ: 'at+jwt', kid }),
      hs256Jwk: hs256(JSON.stringify(publicJwk)),
      hs256X: hs256(Buffer.from(publicJwk.x, 'base64url')),
    };
    for (const [name, value] of Object.entries(tampered)) {
      expect({ name, verify: (await verify(value)).body }).toEqual({ name, verify: { valid: false, code: 'malformed' } });
      expect({ name, check: (await check(value)).status }).toEqual({ name, check: 401 });
      expect({ name, introspect: (await introspect(value)).body }).toEqual({ name, introspect: { active: false } });
    }
    const results = await offline(jwt, ...Object.values(tampered));
    expect(results[0].ok).toBe(true);
    expect(results.slice(1).map((r: { ok: boolean }) => r.ok)).toEqual(Object.values(tampered).map(() => false));
    expect((await verify(jwt)).body.valid).toBe(true);
  });

  it('records one AccessTokenIssued per exchange on the parent stream (no JWT in it); the client address only for auditors', async () => {
    const parent = await create('shop', { scopes: ['read', 'tokens:read'] });
    const first = await exchange(parent);
    await exchange(parent, 'read');
    const history = await call(server, 'GET', `/v1/projects/shop/tokens/${parent.id}/events`, { token: server.rootToken });
    const issued = history.body.items.filter((e: { type: string }) => e.type === 'AccessTokenIssued');
    expect(issued).toHaveLength(2);
    expect(issued[0].data).toEqual({
      tokenId: parent.id,
      projectId: 'shop',
      jti: decode(first.access_token.split('.')[1]).jti,
      kid: decodeProtectedHeader(first.access_token).kid,
      scopes: ['read', 'tokens:read'],
      issuedAt: expect.any(String),
      expiresAt: expect.any(String),
      clientAddress: '127.0.0.1',
    });
    expect(issued[1].data.scopes).toEqual(['read']);
    expect(JSON.stringify(history.body)).not.toContain(first.access_token.split('.')[2]);
    const own = await call(server, 'GET', `/v1/projects/shop/tokens/${parent.id}/events`, { token: parent.value });
    const redacted = own.body.items.find((e: { type: string }) => e.type === 'AccessTokenIssued');
    expect(own.body.redacted).toBe(true);
    expect(redacted.data.clientAddress).toBeUndefined();
    expect(server.output()).not.toContain(first.access_token.split('.')[2]);
  });

  it('serves the JWKS and the RFC 8414 metadata with cache headers, both in OpenAPI', async () => {
    const jwks = await call(server, 'GET', '/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.headers.get('cache-control')).toBe('public, max-age=300');
    expect(jwks.body.keys).toEqual([
      { kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: expect.any(String), alg: 'ES256', use: 'sig' },
    ]);
    const metadata = await call(server, 'GET', '/.well-known/oauth-authorization-server');
    expect(metadata.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(metadata.body).toMatchObject({
      issuer: ISSUER,
      // No PUBLIC_URL here: the endpoints are named under the configured issuer, never the request's Host.
      token_endpoint: `${ISSUER}/oauth2/token`,
      jwks_uri: `${ISSUER}/.well-known/jwks.json`,
      introspection_endpoint: `${ISSUER}/oauth2/introspect`,
      revocation_endpoint: `${ISSUER}/oauth2/revoke`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    });
    const openapi = (await call(server, 'GET', '/openapi.json')).body;
    for (const path of ['/.well-known/jwks.json', '/.well-known/oauth-authorization-server', '/oauth2/token', '/v1/auth', '/v1/signing-keys/rotate']) {
      expect({ path, documented: path in openapi.paths }).toEqual({ path, documented: true });
    }
  });
  // Security review (jwt-fixes, 2): cached publicly for an hour, the metadata must not follow a forged Host.
  it('names its endpoints from configuration, whatever Host or X-Forwarded-Host a request forges', async () => {
    const forged = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const { port } = new URL(server.url);
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/.well-known/oauth-authorization-server',
          headers: { host: 'attacker.example', 'x-forwarded-host': 'attacker.example', 'x-forwarded-proto': 'https' },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(forged.status).toBe(200);
    expect(forged.body).not.toContain('attacker.example');
    expect(JSON.parse(forged.body)).toMatchObject({ token_endpoint: `${ISSUER}/oauth2/token`, jwks_uri: `${ISSUER}/.well-known/jwks.json` });
  });
});
