import { performance } from 'node:perf_hooks';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

/**
 * Invariant 4 (docs/architecture.md, "Invariants"): a revoked token never verifies from the
 * moment the revoke call returns. Verifiers hammer the token while another client revokes it;
 * every verify that started after the revoke response arrived must say revoked.
 */
describe('revoke race', () => {
  let server: LedgerServer;
  beforeAll(async () => {
    server = await startLedgerServer();
  });
  afterAll(() => server.close());

  it.each([
    ['DELETE /v1/projects/:id/tokens/:tokenId', 'admin'],
    ['POST /oauth2/revoke', 'oauth'],
  ])('no verify that starts after %s has answered says valid', async (_name, how) => {
    const created = await call(server, 'POST', '/v1/projects/shop/tokens', { token: server.rootToken, body: { name: 'racer', scopes: ['read'] } });
    const { value, token } = created.body as { value: string; token: { id: string } };
    const results: Array<{ startedAt: number; valid: boolean }> = [];
    let revokedAt = Number.POSITIVE_INFINITY;
    let stop = false;

    const verifier = async () => {
      while (!stop) {
        const startedAt = performance.now();
        const res = await call(server, 'POST', '/v1/tokens/verify', { body: { token: value } });
        results.push({ startedAt, valid: res.body.valid });
      }
    };
    // Waits on counts, not on fixed sleeps: a loaded machine may answer only a few verifies in 150 ms.
    const waitFor = async (what: string, probe: () => boolean) => {
      const deadline = Date.now() + 10_000;
      while (!probe()) {
        if (Date.now() > deadline) throw new Error(`not reached: ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const loops = Array.from({ length: 4 }, verifier);
    try {
      await waitFor('a valid verify before the revoke', () => results.some((r) => r.valid)); // verifies are running
      const res =
        how === 'admin'
          ? await call(server, 'DELETE', `/v1/projects/shop/tokens/${token.id}`, { token: server.rootToken })
          : await call(server, 'POST', '/oauth2/revoke', { body: `token=${value}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      revokedAt = performance.now();
      expect(res.status).toBe(200);
      await waitFor('verifies started after the revoke', () => results.filter((r) => r.startedAt > revokedAt).length > 10); // and keep running after it
    } finally {
      stop = true;
      await Promise.all(loops);
    }

    const before = results.filter((r) => r.startedAt < revokedAt);
    const after = results.filter((r) => r.startedAt > revokedAt);
    expect(before.some((r) => r.valid)).toBe(true);
    expect(after.length).toBeGreaterThan(10);
    expect(after.filter((r) => r.valid)).toEqual([]);
  });
});
