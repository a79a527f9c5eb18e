import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatTokenValue } from '@ledger/token-domain';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));

/** Invariant 5 (docs/architecture.md, "Invariants"): a token's value is shown once, at creation, and is then nowhere. */
describe('no secret value at rest or in logs', () => {
  let server: LedgerServer;
  const bootstrapToken = formatTokenValue('root', randomBytes(32));
  afterAll(() => server.close());

  it('leaves no token value in the data directory or the log output', async () => {
    server = await startLedgerServer({ env: { LEDGER_BOOTSTRAP_TOKEN: bootstrapToken, LOG_LEVEL: 'trace' } });
    const values: string[] = [bootstrapToken];
    const root = bootstrapToken;

    const created = await call(server, 'POST', '/v1/projects/sec/tokens', { token: root, body: { name: 'a', scopes: ['tokens:read'] } });
    values.push(created.body.value);
    const rotated = await call(server, 'POST', `/v1/projects/sec/tokens/${created.body.token.id}/rotate`, { token: root, body: {} });
    values.push(rotated.body.value);
    // Use every credential header, succeed and fail, so each request path is logged.
    const variants: Array<Record<string, string>> = [
      { authorization: `Bearer ${created.body.value}` },
      { 'x-api-key': rotated.body.value },
      { 'auth-token': rotated.body.value },
    ];
    for (const headers of variants) {
      await call(server, 'GET', '/v1/projects/sec/tokens', { headers });
      await call(server, 'GET', '/v1/projects/other/tokens', { headers });
    }
    await call(server, 'DELETE', `/v1/projects/sec/tokens/${rotated.body.token.id}`, { token: root });
    const denied = await call(server, 'GET', '/v1/projects/sec/tokens', { token: rotated.body.value });
    expect(denied.status).toBe(401);
    expect(JSON.stringify(denied.body)).not.toContain(rotated.body.value);
    // A value smuggled into a field must not come back in the validation error either.
    const echoed = await call(server, 'POST', '/v1/projects/sec/tokens', { token: root, body: { name: 'x', scopes: [created.body.value] } });
    expect(echoed.status).toBe(400);
    expect(JSON.stringify(echoed.body)).not.toContain(created.body.value);

    // The verification paths: verify, forward-auth, introspection (Bearer, Basic, form) and
    // revocation, valid and not, then a graceful stop that flushes TokenUsed events.
    const live = created.body.value;
    await call(server, 'POST', '/v1/tokens/verify', { body: { token: live, scopes: ['nope'] } });
    await call(server, 'POST', '/v1/tokens/verify', { body: { token: live.slice(0, -1) + 'x' } });
    await call(server, 'GET', '/v1/auth/check?scope=tokens:read', { headers: { 'x-api-key': live } });
    const form = (path: string, body: string, headers: Record<string, string> = {}) =>
      call(server, 'POST', path, { body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
    await form('/oauth2/introspect', `token=${live}`, { authorization: `Bearer ${root}` });
    await form('/oauth2/introspect', `token=${live}`, { authorization: `Basic ${Buffer.from(`${created.body.token.id}:${live}`).toString('base64')}` });
    await form('/oauth2/introspect', `token=${root}&client_id=${created.body.token.id}&client_secret=${live}`);
    const leaked = await call(server, 'POST', '/v1/projects/sec/tokens', { token: root, body: { name: 'leaked', scopes: [] } });
    values.push(leaked.body.value);
    expect((await form('/oauth2/revoke', `token=${leaked.body.value}`)).status).toBe(200);

    // What auditors and ops read: the audit log, both export formats, reminders and metrics.
    const read: string[] = [];
    for (const path of ['/v1/audit/events', '/v1/audit/export?format=ndjson', '/v1/audit/export?format=csv', '/v1/reminders', '/metrics']) {
      const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${root}` } });
      expect([path, res.status]).toEqual([path, 200]);
      read.push(await res.text());
    }
    expect(read[1]).toContain(created.body.token.id);

    await server.stop();
    expect(values.every((v) => /^tl[piur]_/.test(v))).toBe(true);
    const output = server.output();
    expect(output).toContain('request completed');
    const files = filesUnder(server.dataDir);
    expect(files.some((f) => f.endsWith('events.sqlite'))).toBe(true);
    for (const value of values) {
      expect(output).not.toContain(value);
      for (const body of read) expect(body).not.toContain(value.slice(4));
      // The distinctive body alone, in case a value were stored re-encoded around its prefix.
      for (const file of files) expect(readFileSync(file).includes(value.slice(4))).toBe(false);
    }
  });
});
