import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/cli-runner';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

const oneLine = (text: string) => {
  expect(text.trimEnd().split('\n')).toHaveLength(1);
  return text.trim();
};
const VALUE = /^tl[piu]_[0-9A-Za-z]{49}$/;

/** `ledger tokens create|show|rotate|revoke|update` and `ledger projects list`, as child processes against a real server. */
describe('ledger CLI write commands', () => {
  let server: LedgerServer;
  let root: string;
  const onServer = (...args: string[]) => runCli(['--server', server.url, '--token', root, ...args]);

  beforeAll(async () => {
    server = await startLedgerServer();
    root = server.rootToken;
  });
  afterAll(() => server.close());

  const verify = async (value: string, scopes: string[] = []) => (await call(server, 'POST', '/v1/tokens/verify', { body: { token: value, scopes } })).body;

  it('--version prints the package version; --help documents the exit codes', async () => {
    const [version, help] = await Promise.all([runCli(['--version']), runCli(['--help'])]);
    expect(version.code).toBe(0);
    expect(version.stdout).toBe(`${JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).version}\n`);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:\n {2}0 {2}done\n/);
    for (const code of [1, 2, 3, 4, 5, 6, 7]) expect(help.stdout).toMatch(new RegExp(`\\n  ${code}  \\S`));
    expect(help.stdout).toContain('projects');
  });

  it('create prints the value once: alone with --quiet, with the token as --json, or after the details', async () => {
    const [quiet, json, human] = await Promise.all([
      onServer('tokens', 'create', '--project', 'cli', '--name', 'quiet one', '--scopes', 'orders:read', '--quiet'),
      onServer(
        'tokens',
        'create',
        '--project',
        'cli',
        '--name',
        'json one',
        '--scopes',
        'orders:read,orders:write',
        '--expires-in',
        '30d',
        '--metadata',
        '{"team":"pay"}',
        '--type',
        'integration',
        '--json',
      ),
      onServer('tokens', 'create', '--project', 'cli', '--name', 'human one'),
    ]);
    expect([quiet.code, json.code, human.code]).toEqual([0, 0, 0]);
    expect(quiet.stdout).toMatch(/^tlp_[0-9A-Za-z]{49}\n$/);
    expect(await verify(quiet.stdout.trim(), ['orders:read'])).toMatchObject({ valid: true, projectId: 'cli' });

    const issued = JSON.parse(json.stdout);
    expect(issued.value).toMatch(VALUE);
    expect(issued.token).toMatchObject({
      projectId: 'cli',
      name: 'json one',
      type: 'integration',
      scopes: ['orders:read', 'orders:write'],
      metadata: { team: 'pay' },
    });

    const value = /Value \(shown once, store it now\):\n(\S+)\n$/.exec(human.stdout)?.[1] ?? '';
    expect(value).toMatch(VALUE);
    expect(human.stdout.split(value)).toHaveLength(2); // once
    expect(human.stdout).toMatch(/^Created token tok_\w+ in project cli\.\nid: +tok_/);
    expect(`${quiet.stderr}${json.stderr}${human.stderr}`).toBe('');
  });

  it('show, update, rotate and revoke a token, with --json and the exit code of each refusal', async () => {
    const created = JSON.parse(
      (await onServer('tokens', 'create', '--project', 'cli', '--name', 'billing', '--scopes', 'orders:read,orders:write', '--expires-in', '30d', '--json'))
        .stdout,
    );
    const id = created.token.id as string;

    const [shown, shownHuman, missing] = await Promise.all([
      onServer('tokens', 'show', id, '--project', 'cli', '--json'),
      onServer('tokens', 'show', id, '--project', 'cli'),
      onServer('tokens', 'show', 'tok_0000000000000000000000', '--project', 'cli'),
    ]);
    expect(JSON.parse(shown.stdout)).toEqual(created.token);
    expect(shownHuman.stdout).toMatch(/^id: +tok_\w+\n[\s\S]*scopes: +orders:read, orders:write\n/m);
    expect(shownHuman.stdout).not.toContain(created.value);
    expect(missing.code).toBe(4);
    expect(oneLine(missing.stderr)).toMatch(/answered 404 \(not_found: /);

    const [updated, widened, extended, nothing] = await Promise.all([
      onServer('tokens', 'update', id, '--project', 'cli', '--name', 'billing v2', '--scopes', 'orders:read', '--expires-in', '7d', '--json'),
      onServer('tokens', 'update', id, '--project', 'cli', '--scopes', 'orders:read,refunds'),
      onServer('tokens', 'update', id, '--project', 'cli', '--expires-in', '90d'),
      onServer('tokens', 'update', id, '--project', 'cli'),
    ]);
    expect(updated.code).toBe(0);
    expect(JSON.parse(updated.stdout)).toMatchObject({ id, name: 'billing v2', scopes: ['orders:read'] });
    expect(await verify(created.value, ['orders:write'])).toMatchObject({ valid: false, code: 'insufficient_scope' });
    expect([widened.code, extended.code]).toEqual([5, 5]);
    expect(oneLine(widened.stderr)).toMatch(/answered 400 \(scope_widening: /);
    expect(oneLine(extended.stderr)).toMatch(/answered 400 \(expiry_extension: /);
    expect(nothing.code).toBe(1);
    expect(oneLine(nothing.stderr)).toBe('ledger: tokens update needs at least one of --name, --metadata, --scopes, --expires-in, --expires-at');

    const rotated = await onServer('tokens', 'rotate', id, '--project', 'cli', '--grace-period', '1h', '--quiet');
    expect(rotated.code).toBe(0);
    const newValue = rotated.stdout.trim();
    expect(rotated.stdout).toMatch(/^tlp_[0-9A-Za-z]{49}\n$/);
    expect(await verify(newValue, ['orders:read'])).toMatchObject({ valid: true });
    const again = await onServer('tokens', 'rotate', id, '--project', 'cli', '--json');
    expect(again.code).toBe(6);
    expect(oneLine(again.stderr)).toMatch(/answered 409 \(token_already_rotated: /);

    const revoked = await onServer('tokens', 'revoke', id, '--project', 'cli', '--reason', 'rotated', '--json');
    expect(revoked.code).toBe(0);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ id, status: 'revoked', revokeReason: 'rotated' });
    expect(await verify(created.value)).toMatchObject({ valid: false, code: 'revoked' });
    const editRevoked = await onServer('tokens', 'update', id, '--project', 'cli', '--name', 'x');
    expect(editRevoked.code).toBe(6);

    // The data directory, read alongside the running server: the same token, from a replay of the log.
    const onDir = await runCli(['--data-dir', server.dataDir, 'tokens', 'show', id, '--project', 'cli', '--json']);
    expect(onDir.code).toBe(0);
    expect(JSON.parse(onDir.stdout)).toMatchObject({ id, name: 'billing v2', scopes: ['orders:read'], status: 'revoked' });
  });

  it('projects list counts tokens by status, from the server and from the data directory alike', async () => {
    await onServer('tokens', 'create', '--project', 'cli-projects', '--name', 'a', '--quiet');
    const [fromServer, fromDir, table] = await Promise.all([
      onServer('projects', 'list', '--json'),
      runCli(['--data-dir', server.dataDir, 'projects', 'list', '--json']),
      onServer('projects', 'list'),
    ]);
    expect([fromServer.code, fromDir.code, table.code]).toEqual([0, 0, 0]);
    const projects = JSON.parse(fromServer.stdout);
    expect(projects).toContainEqual({ projectId: 'cli-projects', tokens: { active: 1, revoked: 0, expired: 0, total: 1 } });
    expect(JSON.parse(fromDir.stdout)).toEqual(projects);
    expect(table.stdout.split('\n')[0]).toMatch(/^PROJECT\s+ACTIVE\s+REVOKED\s+EXPIRED\s+TOTAL$/);
    expect(table.stdout).toMatch(/\ncli-projects\s+1\s+0\s+0\s+1\n/);
  });

  it('takes the server and token from LEDGER_SERVER and LEDGER_TOKEN; refuses writes without a server or the scope', async () => {
    const viaEnv = await runCli(['tokens', 'create', '--project', 'cli-env', '--name', 'env', '--scopes', 'tokens:read', '--quiet'], {
      LEDGER_SERVER: server.url,
      LEDGER_TOKEN: root,
    });
    expect(viaEnv.code).toBe(0);
    const reader = viaEnv.stdout.trim();
    const [noServer, noScope, badToken, ownProjects] = await Promise.all([
      runCli(['--data-dir', server.dataDir, 'tokens', 'revoke', 'tok_0000000000000000000000', '--project', 'cli']),
      runCli(['--server', server.url, '--token', reader, 'tokens', 'create', '--project', 'cli-env', '--name', 'x']),
      runCli(['--server', server.url, '--token', `${reader.slice(0, -1)}${reader.endsWith('x') ? 'y' : 'x'}`, 'projects', 'list']),
      runCli(['projects', 'list', '--json'], { LEDGER_SERVER: server.url, LEDGER_TOKEN: reader }),
    ]);
    expect(noServer.code).toBe(1);
    expect(oneLine(noServer.stderr)).toMatch(/^ledger: tokens revoke needs --server <url> \(or LEDGER_SERVER\)/);
    expect(noScope.code).toBe(3);
    expect(oneLine(noScope.stderr)).toMatch(/answered 403 \(insufficient_scope: /);
    expect(badToken.code).toBe(3);
    expect(noScope.stderr + badToken.stderr).not.toContain(reader);
    expect(JSON.parse(ownProjects.stdout)).toEqual([{ projectId: 'cli-env', tokens: { active: 1, revoked: 0, expired: 0, total: 1 } }]);
  });

  it('bootstrap, projections rebuild and audit export answer --json too (every command does)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-cli-json-'));
    try {
      const boot = await runCli(['--data-dir', dataDir, 'bootstrap', '--json']);
      expect(boot.code).toBe(0);
      const root = JSON.parse(boot.stdout);
      expect(root).toEqual({ tokenId: expect.stringMatching(/^tok_/), hint: `tlr_…${root.value.slice(-4)}`, value: expect.stringMatching(/^tlr_/) });
      const rebuilt = await runCli(['--data-dir', dataDir, 'projections', 'rebuild', '--json']);
      expect(rebuilt.code).toBe(0);
      expect(JSON.parse(rebuilt.stdout)).toEqual({ events: 1, position: 1, threads: 1, seconds: expect.any(Number) });
      const [exported, csvToo] = await Promise.all([
        runCli(['--data-dir', dataDir, 'audit', 'export', '--json']),
        runCli(['--data-dir', dataDir, 'audit', 'export', '--json', '--format', 'csv']),
      ]);
      expect(exported.code).toBe(0);
      const lines = exported.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(lines.map((l) => l.type ?? ('trailer' in l ? 'trailer' : '?'))).toEqual(['TokenCreated', 'trailer']);
      expect(csvToo.code).toBe(1);
      expect(oneLine(csvToo.stderr)).toBe('ledger: --json writes ndjson (JSON lines); it cannot be combined with --format csv');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
