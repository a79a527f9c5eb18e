import express from 'express';
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { refusedAnswer, startFakeLedger, validAnswer, type FakeLedger } from '../test/fake-ledger';
import { ledgerAuth } from './express';
import { ledgerAuthHook } from './fastify';
import { LedgerVerifier } from './ledger-verifier';

/** The Express middleware and the Fastify hook, each in front of a real listening app. */
describe.each(['express', 'fastify'] as const)('%s adapter', (framework) => {
  let ledger: FakeLedger;
  let url: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ledger = await startFakeLedger();
    const verifier = new LedgerVerifier({ baseUrl: ledger.url, cacheTtlMs: 0, retry: { retries: 0 } });
    const requirement = { scopes: ['orders:read'], projectId: 'shop' };
    if (framework === 'express') {
      const app = express();
      app.get('/orders', ledgerAuth(verifier, requirement), (req, res) => {
        res.json({ token: req.ledgerToken });
      });
      const server: Server = await new Promise((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      close = () => new Promise((resolve) => server.close(() => resolve()));
    } else {
      const app = Fastify();
      app.decorateRequest('ledgerToken', undefined);
      app.get('/orders', { preHandler: ledgerAuthHook(verifier, requirement) }, async (request) => ({ token: request.ledgerToken }));
      await app.listen({ port: 0, host: '127.0.0.1' });
      url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      close = () => app.close();
    }
  });
  afterAll(async () => {
    await close();
    await ledger.close();
  });

  const get = async (headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}/orders`, { headers });
    return { status: response.status, headers: response.headers, body: (await response.json()) as { token?: unknown; error: { code: string } } };
  };

  it('lets a token holding the scope through and puts it on the request', async () => {
    ledger.script(validAnswer('tok_7'));
    const res = await get({ authorization: 'Bearer token-a' });
    expect(res.status).toBe(200);
    expect(res.body.token).toEqual({ id: 'tok_7', projectId: 'shop', type: 'integration', scopes: ['orders:read'], ownerId: null, expiresAt: null });
    expect(ledger.requests.at(-1)).toEqual({ token: 'token-a', scopes: ['orders:read'], projectId: 'shop' });
    // The end client's address, for the ledger's failed-credential limit (believed from TRUSTED_PROXIES only).
    expect(ledger.forwardedFor.at(-1)).toBe('127.0.0.1');
  });

  it('takes the token from X-API-Key and Auth-token too', async () => {
    ledger.script(validAnswer(), validAnswer());
    expect((await get({ 'x-api-key': 'token-b' })).status).toBe(200);
    expect((await get({ 'auth-token': 'token-c' })).status).toBe(200);
    expect(ledger.requests.slice(-2).map((r) => r.token)).toEqual(['token-b', 'token-c']);
  });

  it('answers 401 without a token, asking nothing', async () => {
    const before = ledger.requests.length;
    const res = await get();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.body.error.code).toBe('missing');
    expect(ledger.requests.length).toBe(before);
  });

  it('answers 401 for a revoked token and 403 for a missing scope, with the RFC 6750 challenge', async () => {
    ledger.script(refusedAnswer('revoked'), refusedAnswer('insufficient_scope'));
    const revoked = await get({ authorization: 'Bearer token-a' });
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(revoked.body.error.code).toBe('revoked');
    const lacking = await get({ authorization: 'Bearer token-a' });
    expect(lacking.status).toBe(403);
    expect(lacking.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="orders:read"');
  });

  it('answers 503 when the ledger cannot answer (fail closed)', async () => {
    ledger.script({ status: 500, body: {} });
    const res = await get({ authorization: 'Bearer token-a' });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('unavailable');
  });
});
