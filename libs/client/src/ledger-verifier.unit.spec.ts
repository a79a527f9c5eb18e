import { REFUSED_PORT } from '../../../test/support/refused-port';
import { refusedAnswer, startFakeLedger, validAnswer, type FakeLedger } from '../test/fake-ledger';
import { LedgerVerifier, type LedgerVerifierOptions } from './ledger-verifier';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const FAST_RETRY = { retries: 2, baseDelayMs: 5, maxDelayMs: 20 };

describe('LedgerVerifier against a real HTTP server', () => {
  let ledger: FakeLedger;
  beforeEach(async () => {
    ledger = await startFakeLedger();
  });
  afterEach(() => ledger.close());

  const verifier = (options: Partial<LedgerVerifierOptions> = {}) => new LedgerVerifier({ baseUrl: ledger.url, retry: FAST_RETRY, ...options });

  describe('cache', () => {
    it('reuses a valid answer within the cache time, then asks again', async () => {
      ledger.otherwise(() => validAnswer());
      const v = verifier({ cacheTtlMs: 150 });
      for (let i = 0; i < 3; i++)
        expect(await v.verify('token-a', { scopes: ['orders:read'] })).toMatchObject({ valid: true, token: { id: 'tok_1', projectId: 'shop' } });
      expect(ledger.requests).toHaveLength(1);
      expect(ledger.requests[0]).toEqual({ token: 'token-a', scopes: ['orders:read'] });
      expect(ledger.forwardedFor[0]).toBeUndefined();
      await sleep(200);
      await v.verify('token-a', { scopes: ['orders:read'] });
      expect(ledger.requests).toHaveLength(2);
    });

    it('never caches a refusal: a revoked or unknown token is asked about every time', async () => {
      ledger.script(refusedAnswer('revoked'), refusedAnswer('not_found'), validAnswer());
      const v = verifier();
      expect(await v.verify('token-a')).toEqual({ valid: false, code: 'revoked' });
      expect(await v.verify('token-a')).toEqual({ valid: false, code: 'not_found' });
      expect(await v.verify('token-a')).toMatchObject({ valid: true });
      expect(ledger.requests).toHaveLength(3);
      expect(v.cachedAnswers).toBe(1);
    });

    it('keys the answer by the requirement: another scope or project is asked about', async () => {
      ledger.otherwise(() => validAnswer());
      const v = verifier();
      await v.verify('token-a', { scopes: ['a', 'b'] });
      await v.verify('token-a', { scopes: ['b', 'a'] });
      await v.verify('token-a', { scopes: ['a'] });
      await v.verify('token-a', { scopes: ['a'], projectId: 'other' });
      expect(ledger.requests).toHaveLength(3);
    });

    it('holds at most cacheMaxEntries answers, dropping the least recently used', async () => {
      ledger.otherwise((body) => validAnswer(`tok_${body.token}`));
      const v = verifier({ cacheMaxEntries: 3 });
      for (const t of ['a', 'b', 'c']) await v.verify(t);
      await v.verify('a'); // now the most recently used
      await v.verify('d'); // evicts b
      expect(v.cachedAnswers).toBe(3);
      const before = ledger.requests.length;
      await v.verify('a');
      await v.verify('c');
      await v.verify('d');
      expect(ledger.requests.length).toBe(before);
      await v.verify('b');
      expect(ledger.requests.length).toBe(before + 1);
      expect(v.cachedAnswers).toBe(3);
    });

    it('never keeps an answer past the token’s own expiry', async () => {
      ledger.otherwise(() => validAnswer('tok_1', { expiresAt: new Date(Date.now() + 100).toISOString() }));
      const v = verifier({ cacheTtlMs: 60_000 });
      await v.verify('token-a');
      await sleep(150);
      await v.verify('token-a');
      expect(ledger.requests).toHaveLength(2);
    });

    it('caches nothing with cacheTtlMs 0', async () => {
      ledger.otherwise(() => validAnswer());
      const v = verifier({ cacheTtlMs: 0 });
      await v.verify('token-a');
      await v.verify('token-a');
      expect(ledger.requests).toHaveLength(2);
    });
  });

  describe('retries', () => {
    it('retries 5xx answers with backoff and takes the answer that comes', async () => {
      ledger.script({ status: 503, body: {} }, { status: 502, body: {} }, validAnswer());
      expect(await verifier().verify('token-a')).toMatchObject({ valid: true });
      expect(ledger.requests).toHaveLength(3);
    });

    it('retries a dropped connection', async () => {
      ledger.script('drop', validAnswer());
      expect(await verifier().verify('token-a')).toMatchObject({ valid: true });
      expect(ledger.requests).toHaveLength(2);
    });

    it('retries an attempt that times out', async () => {
      ledger.script('hang', validAnswer());
      expect(await verifier({ timeoutMs: 100 }).verify('token-a')).toMatchObject({ valid: true });
      expect(ledger.requests).toHaveLength(2);
    });

    it('does not retry a client error: a 400 is a malformed token', async () => {
      ledger.script({ status: 400, body: { error: { code: 'validation_failed', message: 'x' } } });
      expect(await verifier().verify('token-a')).toEqual({ valid: false, code: 'malformed' });
      expect(ledger.requests).toHaveLength(1);
    });
  });

  describe('fails closed', () => {
    it('refuses as unavailable once the retries are spent', async () => {
      ledger.otherwise(() => ({ status: 500, body: {} }));
      expect(await verifier().verify('token-a')).toEqual({ valid: false, code: 'unavailable' });
      expect(ledger.requests).toHaveLength(1 + FAST_RETRY.retries);
    });

    it('refuses as unavailable when nothing listens', async () => {
      const url = `http://127.0.0.1:${REFUSED_PORT}`;
      expect(await new LedgerVerifier({ baseUrl: url, retry: FAST_RETRY }).verify('token-a')).toEqual({ valid: false, code: 'unavailable' });
    });

    it('refuses a 200 that is not a verify answer, and a 429', async () => {
      ledger.script({ status: 200, body: { valid: 'yes' } }, { status: 200, body: { valid: true } }, { status: 429, body: {} });
      const v = verifier();
      expect(await v.verify('token-a')).toEqual({ valid: false, code: 'unavailable' });
      expect(await v.verify('token-a')).toEqual({ valid: false, code: 'unavailable' });
      expect(await v.verify('token-a')).toEqual({ valid: false, code: 'unavailable' });
      expect(v.cachedAnswers).toBe(0);
    });

    it('does not fall back on a cached answer past its cache time by default', async () => {
      ledger.script(validAnswer());
      ledger.otherwise(() => 'drop');
      const v = verifier({ cacheTtlMs: 50 });
      expect(await v.verify('token-a')).toMatchObject({ valid: true });
      await sleep(80);
      expect(await v.verify('token-a')).toEqual({ valid: false, code: 'unavailable' });
    });

    it('with staleIfErrorMs, keeps a recently valid token working while the ledger is unreachable, and no longer', async () => {
      ledger.script(validAnswer());
      ledger.otherwise(() => 'drop');
      const v = verifier({ cacheTtlMs: 50, staleIfErrorMs: 150 });
      await v.verify('token-a');
      await sleep(80);
      expect(await v.verify('token-a')).toMatchObject({ valid: true });
      expect(await v.verify('token-b')).toEqual({ valid: false, code: 'unavailable' });
      await sleep(150);
      expect(await v.verify('token-a')).toEqual({ valid: false, code: 'unavailable' });
    });
  });

  it('keeps a path prefix of baseUrl (a ledger behind a gateway path)', async () => {
    const v = new LedgerVerifier({ baseUrl: `${ledger.url}/ledger/`, retry: { retries: 0 } });
    ledger.otherwise(() => validAnswer());
    await v.verify('token-a');
    expect(ledger.paths.at(-1)).toBe('/ledger/v1/tokens/verify');
  });

  it('refuses an empty token without asking', async () => {
    expect(await verifier().verify('')).toEqual({ valid: false, code: 'missing' });
    expect(ledger.requests).toHaveLength(0);
  });
});
