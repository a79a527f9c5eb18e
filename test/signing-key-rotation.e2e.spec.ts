import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeProtectedHeader } from 'jose';
import { runCli } from './support/cli-runner';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

const run = promisify(execFile);
const FIXTURE = join(__dirname, 'fixtures', 'access-token-client.mjs');
const ISSUER = 'https://ledger.test';
const TTL_SECONDS = 5;
const ENV = { ACCESS_TOKEN_ISSUER: ISSUER, ACCESS_TOKEN_TTL: `${TTL_SECONDS}s` };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const kidOf = (jwt: string) => decodeProtectedHeader(jwt).kid as string;

/** Issue 15, signing keys: rotation by root and by `ledger keys rotate`, retirement, and no private key anywhere. */
describe('access token signing keys', () => {
  let server: LedgerServer;
  let parent: { id: string; value: string };
  let root = '';

  const exchange = async () => {
    const res = await call(server, 'POST', '/v1/auth', { body: { clientId: parent.id, secret: parent.value } });
    expect(res.status).toBe(200);
    return res.body.accessToken as string;
  };
  const jwksKids = async () => ((await call(server, 'GET', '/.well-known/jwks.json')).body.keys as Array<{ kid: string }>).map((k) => k.kid);
  const offline = async (...tokens: string[]) => {
    const { stdout } = await run(process.execPath, [FIXTURE, 'verify', `${server.url}/.well-known/jwks.json`, ISSUER, ...tokens], { timeout: 30_000 });
    return (JSON.parse(stdout.trim()) as Array<{ ok: boolean }>).map((r) => r.ok);
  };
  const verify = async (token: string) => (await call(server, 'POST', '/v1/tokens/verify', { body: { token } })).body;

  beforeAll(async () => {
    server = await startLedgerServer({ env: ENV });
    root = server.rootToken;
    const res = await call(server, 'POST', '/v1/projects/shop/tokens', { token: server.rootToken, body: { name: 'svc', scopes: ['read'] } });
    parent = { id: res.body.token.id, value: res.body.value };
  });
  afterAll(() => server.close());

  it('rotates: old tokens verify until they expire, then the retired key leaves the JWKS; the events are in the audit log', async () => {
    const before = await exchange();
    const firstKid = kidOf(before);
    expect(await jwksKids()).toEqual([firstKid]);

    const admin = await call(server, 'POST', '/v1/projects/shop/tokens', { token: server.rootToken, body: { name: 'admin', scopes: ['admin'] } });
    expect((await call(server, 'POST', '/v1/signing-keys/rotate', { token: admin.body.value })).status).toBe(403);
    const rotated = await call(server, 'POST', '/v1/signing-keys/rotate', { token: server.rootToken });
    expect(rotated.status).toBe(201);
    expect(rotated.body).toEqual({ kid: expect.any(String), retired: { kid: firstKid, verifiableUntil: expect.any(String) } });
    const secondKid = rotated.body.kid as string;

    const after = await exchange();
    expect(kidOf(after)).toBe(secondKid);
    expect(await jwksKids()).toEqual([firstKid, secondKid]);
    expect(await offline(before, after)).toEqual([true, true]);
    expect((await verify(before)).valid).toBe(true);

    // `ledger keys rotate` on the data directory while the server runs: it follows the ledger.
    const cli = await runCli(['--data-dir', server.dataDir, 'keys', 'rotate'], ENV);
    expect(cli).toMatchObject({ code: 0, stdout: expect.stringMatching(new RegExp(`^signing with key \\S+; ${secondKid} retired, in the JWKS until `)) });
    const thirdKid = /^signing with key (\S+);/.exec(cli.stdout)![1];
    let signedWith = '';
    for (let i = 0; i < 50 && signedWith !== thirdKid; i++) {
      signedWith = kidOf(await exchange());
      if (signedWith !== thirdKid) await sleep(100);
    }
    expect(signedWith).toBe(thirdKid);

    const retiredUntil = Date.parse(rotated.body.retired.verifiableUntil);
    await sleep(Math.max(0, retiredUntil - Date.now()) + 200);
    expect(await jwksKids()).not.toContain(firstKid);
    expect(await jwksKids()).toContain(thirdKid);
    expect(await verify(before)).toEqual({ valid: false, code: 'expired' });
    expect(await offline(before)).toEqual([false]);

    const audit = await call(server, 'GET', '/v1/audit/events?type=SigningKeyCreated,SigningKeyRetired&limit=100', { token: server.rootToken });
    const keyEvents = (audit.body.items as Array<{ type: string; streamId: string; data: { kid: string }; metadata: { actor: { type: string } } }>).filter(
      (e) => e.streamId === 'ledger-signing-keys',
    );
    expect(keyEvents.map((e) => [e.type, e.data.kid, e.metadata.actor.type])).toEqual([
      ['SigningKeyCreated', firstKid, 'system'],
      ['SigningKeyRetired', firstKid, 'token'],
      ['SigningKeyCreated', secondKid, 'token'],
      ['SigningKeyRetired', secondKid, 'cli'],
      ['SigningKeyCreated', thirdKid, 'cli'],
    ]);
  });

  it('keeps the private keys in an owner-only file and in no event, log, export or JWKS', async () => {
    const file = join(server.dataDir, 'signing-keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const privates = (JSON.parse(readFileSync(file, 'utf8')).keys as Array<{ d: string }>).map((k) => k.d);
    expect(privates.length).toBeGreaterThanOrEqual(3);
    const exported = await fetch(`${server.url}/v1/audit/export?format=ndjson`, { headers: { authorization: `Bearer ${server.rootToken}` } });
    const ndjson = await exported.text();
    expect(exported.status).toBe(200);
    expect(ndjson).toContain('SigningKeyCreated');
    const jwks = JSON.stringify((await call(server, 'GET', '/.well-known/jwks.json')).body);
    for (const d of privates) {
      expect(ndjson).not.toContain(d);
      expect(server.output()).not.toContain(d);
      expect(jwks).not.toContain(d);
    }
  });

  it('a restart keeps signing with the recorded key (no new key, no rotation)', async () => {
    const kid = kidOf(await exchange());
    await server.stop();
    server = await startLedgerServer({ dataDir: server.dataDir, env: ENV });
    expect(kidOf(await exchange())).toBe(kid);
    const audit = await call(server, 'GET', '/v1/audit/events?type=SigningKeyCreated&limit=100', { token: parent.value });
    expect(audit.status).toBe(403);
  });

  it('ledger keys rotate --server asks the running server, with a root token only', async () => {
    const before = kidOf(await exchange());
    const refused = await runCli(['--server', server.url, '--token', parent.value, 'keys', 'rotate']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/answered 403 \(insufficient_scope: /);
    const cli = await runCli(['--server', server.url, '--token', root, 'keys', 'rotate']);
    expect(cli.code).toBe(0);
    const kid = /^signing with key (\S+); (\S+) retired/.exec(cli.stdout);
    expect(kid?.[2]).toBe(before);
    expect(kidOf(await exchange())).toBe(kid?.[1]);
  });

  it('a replica without the private half of the active key answers 503 and never rotates on its own; a rotation mends it', async () => {
    const kids = await jwksKids();
    await server.stop();
    rmSync(join(server.dataDir, 'signing-keys.json'));
    server = await startLedgerServer({ dataDir: server.dataDir, env: ENV });
    expect(await jwksKids()).toEqual(kids);
    const refused = await call(server, 'POST', '/v1/auth', { body: { clientId: parent.id, secret: parent.value } });
    expect([refused.status, refused.body.error.code, refused.headers.get('retry-after')]).toEqual([503, 'signing_key_unavailable', '5']);
    const rotated = await call(server, 'POST', '/v1/signing-keys/rotate', { token: root });
    expect(rotated.status).toBe(201);
    expect(kidOf(await exchange())).toBe(rotated.body.kid);
  });

  it('SIGNING_KEY_FILE: the private key lives there (owner-only), not in the data directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-keys-'));
    const keyFile = join(dir, 'secrets', 'signing-keys.json');
    const other = await startLedgerServer({ env: { ...ENV, SIGNING_KEY_FILE: keyFile } });
    try {
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(existsSync(join(other.dataDir, 'signing-keys.json'))).toBe(false);
      const kid = (JSON.parse(readFileSync(keyFile, 'utf8')).keys as Array<{ kid: string }>)[0].kid;
      expect(((await call(other, 'GET', '/.well-known/jwks.json')).body.keys as Array<{ kid: string }>).map((k) => k.kid)).toEqual([kid]);
    } finally {
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  // Security review (jwt-fixes, 3): a leaked key is retired at once, cached verifications included.
  it('retireNow / --revoke-old: the old key verifies nothing from now on and leaves the JWKS', async () => {
    const leaked = await exchange();
    const leakedKid = kidOf(leaked);
    expect((await verify(leaked)).valid).toBe(true); // now in the verifier's cache
    expect((await call(server, 'POST', '/v1/signing-keys/rotate', { token: root, body: { retireNow: 'yes' } })).status).toBe(400);
    const rotated = await call(server, 'POST', '/v1/signing-keys/rotate', { token: root, body: { retireNow: true } });
    expect(rotated.status).toBe(201);
    expect(rotated.body.retired.kid).toBe(leakedKid);
    expect(await jwksKids()).not.toContain(leakedKid);
    expect(await verify(leaked)).toMatchObject({ valid: false });
    expect(await offline(leaked)).toEqual([false]);
    const fresh = await exchange();
    expect((await verify(fresh)).valid).toBe(true);

    const cli = await runCli(['--server', server.url, '--token', root, 'keys', 'rotate', '--revoke-old']);
    expect(cli).toMatchObject({ code: 0, stdout: expect.stringContaining(`${kidOf(fresh)} retired now`) });
    expect(await verify(fresh)).toMatchObject({ valid: false });
    expect(await jwksKids()).not.toContain(kidOf(fresh));
  });
});
