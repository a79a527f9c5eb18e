import { REFUSED_PORT } from '../../../test/support/refused-port';
import { base64url, generateKeyPair, SignJWT } from 'jose';
import { startJwksServer, type JwksServer } from '../test/jwks-server';
import { JwksVerifier } from './jwks-verifier';
import type { VerifyOutcome } from './verified-token';

const codeOf = (outcome: VerifyOutcome) => (outcome.valid ? 'valid' : outcome.code);

describe('JwksVerifier (offline, against a JWKS served over real HTTP)', () => {
  let jwks: JwksServer;
  let verifier: JwksVerifier;

  beforeEach(async () => {
    jwks = await startJwksServer();
    verifier = new JwksVerifier({ issuer: jwks.issuer, jwksUri: `${jwks.url}/.well-known/jwks.json` });
  });
  afterEach(() => jwks.close());

  it('accepts an access token and puts its claims on the verified token', async () => {
    const exp = Math.floor(Date.now() / 1000) + 120;
    const outcome = await verifier.verify(await jwks.sign({ exp }), { scopes: ['orders:read'], projectId: 'shop' });
    expect(outcome).toEqual({
      valid: true,
      token: {
        id: 'tok_1',
        projectId: 'shop',
        type: null,
        scopes: ['orders:read', 'orders:write'],
        ownerId: null,
        expiresAt: new Date(exp * 1000).toISOString(),
      },
    });
  });

  it('names the owner of a personal token (sub differs from client_id)', async () => {
    const outcome = await verifier.verify(await jwks.sign({ sub: 'alice', client_id: 'tok_2' }));
    expect(outcome.valid && outcome.token).toMatchObject({ id: 'tok_2', ownerId: 'alice', type: 'personal' });
  });

  it('fetches the key set once and then verifies without asking again', async () => {
    for (let i = 0; i < 5; i++) expect(codeOf(await verifier.verify(await jwks.sign()))).toBe('valid');
    expect(jwks.fetches).toBe(1);
  });

  it('refuses a token of another issuer, of another typ, or whose aud is not its project as malformed', async () => {
    expect(codeOf(await verifier.verify(await jwks.sign({ iss: 'https://elsewhere.test' })))).toBe('malformed');
    expect(codeOf(await verifier.verify(await jwks.sign({}, { typ: 'JWT' })))).toBe('malformed');
    expect(codeOf(await verifier.verify(await jwks.sign({ aud: 'billing' })))).toBe('malformed');
    expect(codeOf(await verifier.verify(await jwks.sign({ client_id: undefined })))).toBe('malformed');
  });

  it('refuses alg none and HS256 signed with the public key as secret', async () => {
    const valid = await jwks.sign();
    const [, payload] = valid.split('.');
    const none = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid: jwks.kid }))}.${payload}.`;
    expect(codeOf(await verifier.verify(none))).toBe('malformed');
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
    const hs256 = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: jwks.kid })
      .sign(new TextEncoder().encode(JSON.stringify(jwks.publicJwk)));
    expect(codeOf(await verifier.verify(hs256))).toBe('malformed');
  });

  it('refuses a token signed by a key not in the set (unknown kid, or a foreign key under the real kid)', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    expect(codeOf(await verifier.verify(await jwks.signWith(privateKey, 'not-a-ledger-kid')))).toBe('malformed');
    expect(codeOf(await verifier.verify(await jwks.signWith(privateKey, jwks.kid)))).toBe('malformed');
    const [header, payload, signature] = (await jwks.sign()).split('.');
    const widened = base64url.encode(JSON.stringify({ ...JSON.parse(new TextDecoder().decode(base64url.decode(payload))), scope: 'admin' }));
    expect(codeOf(await verifier.verify(`${header}.${widened}.${signature}`))).toBe('malformed');
  });

  it('refuses an expired token as expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(codeOf(await verifier.verify(await jwks.sign({ iat: now - 600, exp: now - 60 })))).toBe('expired');
  });

  it('enforces the requested project and scopes', async () => {
    const token = await jwks.sign({ scope: 'orders:read' });
    expect(codeOf(await verifier.verify(token, { scopes: ['orders:write'] }))).toBe('insufficient_scope');
    expect(codeOf(await verifier.verify(token, { scopes: ['orders:read'], projectId: 'billing' }))).toBe('wrong_project');
    expect(codeOf(await verifier.verify(await jwks.sign({ scope: '' }), { scopes: ['orders:read'] }))).toBe('insufficient_scope');
    expect(codeOf(await verifier.verify(''))).toBe('missing');
  });

  it('fails closed while the key set cannot be fetched, and does not remember the failure', async () => {
    jwks.mode = 'fail';
    const token = await jwks.sign();
    expect(codeOf(await verifier.verify(token))).toBe('unavailable');
    expect(codeOf(await verifier.verify(token))).toBe('unavailable');
    jwks.mode = 'serve';
    expect(codeOf(await verifier.verify(token))).toBe('valid');
    expect(jwks.fetches).toBe(3);
  });

  it('fails closed when nothing listens at the JWKS address', async () => {
    const unreachable = new JwksVerifier({ issuer: jwks.issuer, jwksUri: `http://127.0.0.1:${REFUSED_PORT}/.well-known/jwks.json` });
    expect(codeOf(await unreachable.verify(await jwks.sign()))).toBe('unavailable');
  });

  it('fails closed once its key set is older than jwksMaxAgeMs and cannot be refetched', async () => {
    const shortLived = new JwksVerifier({ issuer: jwks.issuer, jwksUri: `${jwks.url}/.well-known/jwks.json`, jwksMaxAgeMs: 50 });
    const token = await jwks.sign();
    expect(codeOf(await shortLived.verify(token))).toBe('valid');
    jwks.mode = 'fail';
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(codeOf(await shortLived.verify(token))).toBe('unavailable');
  });
});
