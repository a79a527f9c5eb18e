import { randomUUID } from 'node:crypto';
import { startFakeLedger, validAnswer, type FakeLedger } from '../test/fake-ledger';
import { startJwksServer, type JwksServer } from '../test/jwks-server';
import { createTokenVerifier } from './create-token-verifier';

describe('createTokenVerifier', () => {
  let ledger: FakeLedger;
  let jwks: JwksServer;
  beforeEach(async () => {
    [ledger, jwks] = await Promise.all([startFakeLedger(), startJwksServer()]);
    ledger.otherwise(() => validAnswer('tok_opaque'));
  });
  afterEach(() => Promise.all([ledger.close(), jwks.close()]));

  it('with accessTokens: checks a JWT offline, asking the ledger nothing, and asks the ledger about the rest', async () => {
    const verifier = createTokenVerifier({ baseUrl: ledger.url, accessTokens: { issuer: jwks.issuer, jwksUri: `${jwks.url}/.well-known/jwks.json` } });
    const jwt = await verifier.verify(await jwks.sign(), { scopes: ['orders:read'] });
    expect(jwt.valid && jwt.token.id).toBe('tok_1');
    expect(ledger.requests).toHaveLength(0);
    expect(jwks.fetches).toBe(1);
    const opaque = await verifier.verify(`opaque-${randomUUID()}`);
    expect(opaque.valid && opaque.token.id).toBe('tok_opaque');
    expect(ledger.requests).toHaveLength(1);
  });

  it('without accessTokens: sends a JWT to the ledger, which checks it online', async () => {
    const verifier = createTokenVerifier({ baseUrl: ledger.url });
    const token = await jwks.sign();
    expect((await verifier.verify(token)).valid).toBe(true);
    expect(ledger.requests.map((r) => r.token)).toEqual([token]);
    expect(jwks.fetches).toBe(0);
  });

  it('finds the JWKS under the ledger URL by default', async () => {
    const verifier = createTokenVerifier({ baseUrl: `${ledger.url}/`, accessTokens: { issuer: jwks.issuer } });
    // The fake ledger is no JWKS: the key set cannot be had, so the JWT is refused (fail closed).
    expect(await verifier.verify(await jwks.sign())).toEqual({ valid: false, code: 'unavailable' });
    expect(ledger.paths).toEqual(['/.well-known/jwks.json']);
  });
});
