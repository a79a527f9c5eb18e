import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatTokenValue, REDACTED } from '@ledger/token-domain';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

const dataOf = (dir: string): string =>
  readdirSync(dir)
    .map((f) => readFileSync(join(dir, f)).toString('latin1'))
    .join('');

/**
 * Free text ends up in immutable, exported events: a token value a client pasted into a name, an
 * owner, metadata or a revoke reason is refused (400 secret_in_field, naming the field, never
 * quoting it) before anything is written; one in a header is redacted from the event metadata.
 */
describe('token values in free text never reach the ledger', () => {
  let server: LedgerServer;
  const pasted = () => formatTokenValue('project', randomBytes(32));

  beforeAll(async () => {
    server = await startLedgerServer({ env: { USAGE_FLUSH_INTERVAL: '1s' } });
  });
  afterAll(() => server?.close());

  it.each([
    ['name', (v: string) => ({ name: `copied ${v}`, scopes: [] }), 'name'],
    ['ownerId', (v: string) => ({ name: 'n', scopes: [], type: 'personal', ownerId: v }), 'ownerId'],
    ['a metadata value', (v: string) => ({ name: 'n', scopes: [], metadata: { ci: { note: `leaked ${v}` } } }), 'metadata.ci.note'],
    ['a metadata key', (v: string) => ({ name: 'n', scopes: [], metadata: { [v]: 1 } }), 'metadata.'],
  ])('refuses a create with a token value in %s, writing nothing', async (_what, body, field) => {
    const value = pasted();
    const before = await call(server, 'GET', '/v1/projects/paste/tokens?status=all', { token: server.rootToken });
    const res = await call(server, 'POST', '/v1/projects/paste/tokens', { token: server.rootToken, body: body(value) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('secret_in_field');
    expect(res.body.error.message).toContain(field);
    expect(JSON.stringify(res.body)).not.toContain(value);
    const after = await call(server, 'GET', '/v1/projects/paste/tokens?status=all', { token: server.rootToken });
    expect(after.body.items).toEqual(before.body.items);
    expect(dataOf(server.dataDir)).not.toContain(value.slice(4, 20));
  });

  it('refuses a revoke whose reason holds a token value, and the token stays active', async () => {
    const created = await call(server, 'POST', '/v1/projects/paste/tokens', { token: server.rootToken, body: { name: 'svc', scopes: [] } });
    const value = pasted();
    const res = await call(server, 'DELETE', `/v1/projects/paste/tokens/${created.body.token.id}?reason=${encodeURIComponent(`found ${value} in CI`)}`, {
      token: server.rootToken,
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'secret_in_field', details: [{ field: 'reason' }] });
    expect(JSON.stringify(res.body)).not.toContain(value);
    expect((await call(server, 'GET', `/v1/projects/paste/tokens/${created.body.token.id}`, { token: server.rootToken })).body.status).toBe('active');
  });

  it('redacts a token value in the User-Agent and correlation id from the event metadata', async () => {
    const created = await call(server, 'POST', '/v1/projects/paste/tokens', { token: server.rootToken, body: { name: 'svc', scopes: [] } });
    const inUa = pasted();
    const inCorrelation = pasted();
    const revoked = await call(server, 'DELETE', `/v1/projects/paste/tokens/${created.body.token.id}`, {
      token: server.rootToken,
      headers: { 'user-agent': `curl/8 ${inUa}`, 'x-correlation-id': inCorrelation },
    });
    expect(revoked.status).toBe(200);
    const history = await call(server, 'GET', `/v1/projects/paste/tokens/${created.body.token.id}/events`, { token: server.rootToken });
    const event = history.body.items.find((e: { type: string }) => e.type === 'TokenRevoked');
    expect(event.metadata).toMatchObject({ userAgent: `curl/8 ${REDACTED}`, correlationId: REDACTED });
    expect(dataOf(server.dataDir)).not.toContain(inUa.slice(4, 20));
    expect(dataOf(server.dataDir)).not.toContain(inCorrelation.slice(4, 20));
  });

  it('redacts a token value in the User-Agent of a verification from the TokenUsed event', async () => {
    const created = await call(server, 'POST', '/v1/projects/paste/tokens', { token: server.rootToken, body: { name: 'used', scopes: [] } });
    const inUa = pasted();
    const verified = await call(server, 'POST', '/v1/tokens/verify', { body: { token: created.body.value }, headers: { 'user-agent': `bot ${inUa}` } });
    expect(verified.body.valid).toBe(true);
    let used: { data: { lastUserAgent: string } } | undefined;
    for (let i = 0; i < 100 && !used; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const history = await call(server, 'GET', `/v1/projects/paste/tokens/${created.body.token.id}/events`, { token: server.rootToken });
      used = history.body.items.find((e: { type: string }) => e.type === 'TokenUsed');
    }
    expect(used?.data.lastUserAgent).toBe(`bot ${REDACTED}`);
  });

  it('never echoes a token value in an error of the verification hot path', async () => {
    const value = pasted();
    const res = await call(server, 'POST', '/v1/tokens/verify', { body: { token: 'x', [value]: 1 } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(JSON.stringify(res.body)).not.toContain(value);
  });
  // Security review (jwt-fixes, 4): a short-lived access token is a live bearer credential too.
  it('refuses a JWT access token in a name, a metadata value and a revoke reason, writing nothing', async () => {
    const parent = await call(server, 'POST', '/v1/projects/paste/tokens', { token: server.rootToken, body: { name: 'jwt-parent', scopes: [] } });
    const exchanged = await call(server, 'POST', '/v1/auth', { body: { clientId: parent.body.token.id, secret: parent.body.value } });
    expect(exchanged.status).toBe(200);
    const jwt = exchanged.body.accessToken as string;
    const signature = jwt.split('.')[2];
    // A name is at most 200 characters: a whole JWT is refused as too long before its content is looked at.
    const named = await call(server, 'POST', '/v1/projects/paste/tokens', { token: server.rootToken, body: { name: `copied ${jwt}`, scopes: [] } });
    expect(named.status).toBe(400);
    expect(JSON.stringify(named.body)).not.toContain(signature);
    for (const [body, field] of [
      [{ name: 'n', scopes: [], metadata: { ci: { note: `Bearer ${jwt}` } } }, 'metadata.ci.note'],
      [{ name: 'n', scopes: [], metadata: { [`k`]: jwt } }, 'metadata.k'],
    ] as const) {
      const res = await call(server, 'POST', '/v1/projects/paste/tokens', { token: server.rootToken, body });
      expect([res.status, res.body.error?.code]).toEqual([400, 'secret_in_field']);
      expect(res.body.error.message).toContain(field);
      expect(JSON.stringify(res.body)).not.toContain(signature);
    }
    const revoke = await call(server, 'DELETE', `/v1/projects/paste/tokens/${parent.body.token.id}?reason=${encodeURIComponent(`leaked ${jwt}`)}`, {
      token: server.rootToken,
    });
    expect([revoke.status, revoke.body.error?.code]).toEqual([400, 'secret_in_field']);
    expect((await call(server, 'GET', `/v1/projects/paste/tokens/${parent.body.token.id}`, { token: server.rootToken })).body.status).toBe('active');
    expect(dataOf(server.dataDir)).not.toContain(signature);
  });
});
