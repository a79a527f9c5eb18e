import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, verifyEventStore } from '@ledger/event-store';
import { REFUSED_PORT } from './support/refused-port';
import { runCli, runCliOnTerminal } from './support/cli-runner';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';
import { A, appendTimeline, B, C, T } from './support/timeline';

const oneLine = (text: string) => {
  expect(text.trimEnd().split('\n')).toHaveLength(1);
  return text.trim();
};

/** `ledger` run as child processes, on a data directory and against a running server. */
describe('ledger CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-cli-'));
  const dataDir = join(dir, 'data');
  const onDir = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);
  let rootValue = '';

  beforeAll(async () => {
    const boot = await onDir('bootstrap');
    expect(boot.code).toBe(0);
    rootValue = /^Root token \(shown once\): (tlr_\S+)$/m.exec(boot.stdout)?.[1] ?? '';
    expect(rootValue).not.toBe('');
    const store = SqliteEventStore.open(join(dataDir, 'events.sqlite'));
    await appendTimeline(store);
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('bootstrap prints the root token once and refuses a second time without --force', async () => {
    const again = await onDir('bootstrap');
    expect(again.code).toBe(1);
    expect(oneLine(again.stderr)).toMatch(/^ledger: the ledger in .* already has events; use --force/);
    expect(again.stdout).toBe('');
    const list = await onDir('tokens', 'list', '--project', '_system', '--json');
    expect(list.code).toBe(0);
    const tokens = JSON.parse(list.stdout);
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({ type: 'root', status: 'active', hint: `tlr_…${rootValue.slice(-4)}` });
    expect(list.stdout).not.toContain(rootValue);
  });

  it('tokens list and replay --as-of show tokens as a table or JSON', async () => {
    const [table, rotated, revoked, all] = await Promise.all([
      onDir('tokens', 'list', '--project', 'acme'),
      onDir('replay', '--as-of', T.rotated, '--project', 'acme', '--json'),
      onDir('replay', '--as-of', T.revoked, '--project', 'acme'),
      onDir('replay', '--as-of', T.revoked, '--all', '--json'),
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+PROJECT\s+NAME\s+TYPE\s+STATUS/);
    expect(table.stdout).toContain(A);
    expect(
      JSON.parse(rotated.stdout)
        .map((t: { id: string }) => t.id)
        .sort(),
    ).toEqual([A, B, C].sort());
    const lines = revoked.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2); // header + C, the only token valid then
    expect(lines[1]).toContain(C);
    const everything = JSON.parse(all.stdout) as Array<{ id: string; status: string; projectId: string }>;
    expect(Object.fromEntries(everything.filter((t) => t.projectId === 'acme').map((t) => [t.id, t.status]))).toEqual({
      [A]: 'expired',
      [B]: 'revoked',
      [C]: 'active',
    });
  });

  it('exports ndjson and csv that pass audit verify --file; one changed line fails naming its event', async () => {
    const ndjson = join(dir, 'export.ndjson');
    const csv = join(dir, 'export.csv');
    const exports = await Promise.all([onDir('audit', 'export', '--out', ndjson), onDir('audit', 'export', '--format', 'csv', '--out', csv)]);
    expect(exports.map((r) => r.code)).toEqual([0, 0]);
    const checks = await Promise.all([runCli(['audit', 'verify', '--file', ndjson]), runCli(['audit', 'verify', '--file', csv])]);
    for (const check of checks) {
      expect(check.code).toBe(0);
      expect(check.stdout).toMatch(/: 9 events in 5 streams, head [0-9a-f]{64} at position 9\nOK: every hash chain is intact\n$/);
    }

    // The third event is C's creation; its later TokenExpired links to it.
    const ndLines = readFileSync(ndjson, 'utf8').split('\n');
    const target = JSON.parse(ndLines[2]);
    expect(target).toMatchObject({ position: 3 });
    ndLines[2] = ndLines[2].replace('"name":"C"', '"name":"Z"');
    writeFileSync(ndjson, ndLines.join('\n'));
    const csvLines = readFileSync(csv, 'utf8').split('\n');
    csvLines[3] = csvLines[3].replace('""name"":""C""', '""name"":""Z""');
    writeFileSync(csv, csvLines.join('\n'));

    const failed = await Promise.all([runCli(['audit', 'verify', '--file', ndjson]), runCli(['audit', 'verify', '--file', csv])]);
    for (const check of failed) {
      expect(check.code).toBe(2);
      expect(oneLine(check.stderr)).toBe(
        `ledger: verification failed: event ${target.id} at position 3 (token-${target.data.tokenId} revision 0, TokenCreated): its content does not hash to the hash recorded with it`,
      );
    }
  });

  it('audit verify on the data directory names the event edited in the SQLite file', async () => {
    expect((await onDir('audit', 'verify')).code).toBe(0);
    const copy = join(dir, 'tampered');
    const store = SqliteEventStore.open(join(copy, 'events.sqlite'));
    await appendTimeline(store);
    await store.close();
    const reopened = SqliteEventStore.open(join(copy, 'events.sqlite'));
    const recorded = await verifyEventStore(reopened);
    await reopened.close();
    const db = new Database(join(copy, 'events.sqlite'));
    db.prepare('UPDATE events SET data = replace(data, \'"reason":"leaked"\', \'"reason":"routine"\') WHERE type = \'TokenRevoked\'').run();
    const revokedAt = db.prepare("SELECT position FROM events WHERE type = 'TokenRevoked'").pluck().get() as number;
    // B's revocation is its stream's last event: the chain alone cannot see it; an earlier one can.
    db.prepare('UPDATE events SET metadata = replace(metadata, \'"timeline"\', \'"someone"\') WHERE position = 1').run();
    db.close();
    const result = await runCli(['--data-dir', copy, 'audit', 'verify', '--json', '--expect-head', recorded.head, '--at', String(recorded.lastPosition)]);
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(false);
    expect(report.broken).toHaveLength(1);
    expect(report.broken[0]).toMatchObject({ position: 1, streamId: `token-${A}`, reason: 'altered' });
    // The head recorded before both edits changed: that is what covers B's revocation.
    expect(report.anchor).toMatchObject({ head: recorded.head, position: recorded.lastPosition, ok: false });
    expect(revokedAt).toBeGreaterThan(1);
    expect(oneLine(result.stderr)).toContain('position 1 (token-');
  });

  it('projections rebuild reports progress on stderr and a final count', async () => {
    const result = await onDir('projections', 'rebuild');
    expect(result.code).toBe(0);
    // Read stream by stream: progress counts events, against the head (at most one per position).
    expect(result.stderr).toMatch(/rebuilding token list: 9 events, stream by stream, of at most 9 \(100%\)/);
    // Nine events: too few to be worth a second thread.
    expect(result.stdout).toMatch(/^Rebuilt the token list from 9 events \(up to position 9\) in [\d.]+ s on 1 thread\n$/);
    expect(existsSync(join(dataDir, 'token-list.v1.sqlite'))).toBe(true);
  });

  it('projections rebuild draws a progress bar on a terminal', async () => {
    const result = await runCliOnTerminal(['--data-dir', dataDir, 'projections', 'rebuild']);
    if (result === null) {
      console.warn('SKIPPED: the progress bar on a terminal was not checked: util-linux `script` (a pseudo-terminal) is not installed');
      return;
    }
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/rebuilding token list \[[^\]]+\] 100% 9\/9 events/);
    expect(result.stdout).toContain('Rebuilt the token list from 9 events');
  });

  it('fails with one clear line and a non-zero exit', async () => {
    const results = await Promise.all([
      runCli(['--data-dir', join(dir, 'nothing-here'), 'tokens', 'list']),
      onDir('replay', '--as-of', 'last-tuesday'),
      onDir('replay', '--as-of', '2999-01-01T00:00:00Z'),
      onDir('audit', 'verify', '--file', join(dir, 'missing.ndjson')),
      runCli(['--server', `http://127.0.0.1:${REFUSED_PORT}`, '--token', rootValue, 'audit', 'verify']),
      onDir('frobnicate'),
    ]);
    expect(results.map((r) => r.code)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(results.map((r) => oneLine(r.stderr))).toEqual([
      expect.stringMatching(/^ledger: no ledger in .*nothing-here: events.sqlite not found/),
      'ledger: --as-of must be an ISO-8601 time such as 2026-03-01T00:00:00Z (got "last-tuesday")',
      expect.stringMatching(/^ledger: --as-of 2999-01-01T00:00:00.000Z is in the future/),
      expect.stringMatching(/^ledger: --file .*missing.ndjson does not exist$/),
      `ledger: cannot reach http://127.0.0.1:${REFUSED_PORT} (ECONNREFUSED)`,
      "error: unknown command 'frobnicate'",
    ]);
  });

  it('the package bin is an executable launcher for the compiled CLI', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
    const launcher = join(__dirname, '..', pkg.bin.ledger);
    accessSync(launcher, constants.X_OK);
    expect(readFileSync(launcher, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n[\s\S]*dist', 'apps', 'cli', 'src', 'main\.js/);
  });

  describe('against a running server', () => {
    let server: LedgerServer;
    let root: string;
    beforeAll(async () => {
      server = await startLedgerServer();
      root = server.rootToken;
      const created = await call(server, 'POST', '/v1/projects/shop/tokens', { token: root, body: { name: 'billing', scopes: ['orders:read'] } });
      await call(server, 'DELETE', `/v1/projects/shop/tokens/${created.body.token.id}`, { token: root });
    });
    afterAll(() => server.close());
    const onServer = (...args: string[]) => runCli(['--server', server.url, '--token', root, ...args]);

    it('verifies, lists, replays and exports through the HTTP API, and reads the data directory alongside', async () => {
      const out = join(dir, 'server.csv');
      const [verify, list, replay, exported, alongside] = await Promise.all([
        onServer('audit', 'verify'),
        onServer('tokens', 'list', '--project', 'shop', '--json'),
        onServer('replay', '--as-of', new Date().toISOString(), '--all', '--json'),
        onServer('audit', 'export', '--format', 'csv', '--out', out),
        runCli(['--data-dir', server.dataDir, 'audit', 'verify']),
      ]);
      expect(verify.code).toBe(0);
      // The server's first start also recorded its access token signing key (stream ledger-signing-keys).
      expect(verify.stdout).toMatch(/ledger at http:\/\/127.0.0.1:\d+: 4 events in 3 streams/);
      expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ name: 'billing', status: 'revoked' })]);
      expect(
        JSON.parse(replay.stdout)
          .map((t: { status: string }) => t.status)
          .sort(),
      ).toEqual(['active', 'revoked']);
      expect(exported.code).toBe(0);
      expect(alongside.code).toBe(0);
      expect(alongside.stdout).toContain('4 events in 3 streams');
      const check = await runCli(['audit', 'verify', '--file', out]);
      expect(check.code).toBe(0);
    });

    it('refuses projections rebuild on the directory of a running server, which holds its read model', async () => {
      const refused = await runCli(['--data-dir', server.dataDir, 'projections', 'rebuild']);
      expect(refused.code).toBe(1);
      expect(refused.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^ledger: LEDGER_DATA_DIR .* is in use by another api process/)]);
    });

    it('says which token problem the server answered', async () => {
      const bad = await runCli(['--server', server.url, '--token', 'tlr_nope', 'audit', 'verify']);
      expect(bad.code).toBe(3); // the server refused the token (ledger --help, "Exit codes")
      expect(oneLine(bad.stderr)).toMatch(/^ledger: http:\/\/127.0.0.1:\d+ answered 401 \(invalid_token: /);
      const noProject = await onServer('tokens', 'list');
      expect(oneLine(noProject.stderr)).toBe('ledger: --project is needed with --server (the API lists one project at a time)');
    });
  });
});
