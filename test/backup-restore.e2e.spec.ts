import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { freePort, spawnServer, waitUntilReady, type ChildServer } from './support/child-server';
import { skipLoudly } from './support/skip-loudly';

/**
 * docs/operations.md, "Backup and restore": its marked bash blocks, run as written, back up a
 * ledger that is serving writes (SQLite's online backup, through `sqlite3` and through
 * better-sqlite3) and restore each copy, into a new directory and in place over a killed
 * ledger. The restored ledger must serve the tokens as they stood at the backup, and its events
 * must be the original's first events, hash for hash.
 */
const ROOT = join(__dirname, '..');
const OPERATIONS = readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8');
const ROOT_LINE = /^Root token \(shown once\): (tlr_[0-9A-Za-z]{49})$/m;
const HAS_SQLITE3 = spawnSync('sqlite3', ['-version']).status === 0;

function block(marker: string): string {
  const found = new RegExp(`<!-- operations:${marker} -->\\n\`\`\`bash\\n([\\s\\S]*?)\\n\`\`\``).exec(OPERATIONS);
  if (!found) throw new Error(`docs/operations.md has no block marked operations:${marker}`);
  return found[1];
}

const scratch: string[] = [];
const tempDir = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `ledger-docs-${name}-`));
  scratch.push(dir);
  return dir;
};

/** `npx ledger` of the docs, run from the sources (as the other CLI tests do) instead of a build. */
function ledgerCli(): string {
  const file = join(tempDir('cli'), 'ledger');
  const node = ['-r', 'ts-node/register/transpile-only', '-r', join(ROOT, 'test/support/register-paths.js'), join(ROOT, 'apps/cli/src/main.ts')];
  writeFileSync(file, `#!/bin/sh\ncd '${ROOT}' && exec '${process.execPath}' ${node.map((a) => `'${a}'`).join(' ')} "$@"\n`);
  chmodSync(file, 0o755);
  return file;
}

function bash(script: string, env: Record<string, string>): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const shell = spawn('bash', ['-euo', 'pipefail', '-c', script], {
    cwd: ROOT,
    env: { PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`, HOME: tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  let stdout = '';
  let stderr = '';
  shell.stdout.on('data', (c) => (stdout += c));
  shell.stderr.on('data', (c) => (stderr += c));
  return new Promise((resolve) => shell.once('close', (code, signal) => resolve({ code: code ?? String(signal), stdout, stderr })));
}

async function call(server: ChildServer, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').startsWith('application/json');
  return { status: response.status, body: json && text ? JSON.parse(text) : null, text };
}

const verifyCode = async (server: ChildServer, value: string) => {
  const { body } = await call(server, '', 'POST', '/v1/tokens/verify', { token: value });
  return body.valid ? 'valid' : body.code;
};

/** `position:hash` of every event, in order, from the audit export (the trailer left out). */
async function chainOf(server: ChildServer, root: string): Promise<string[]> {
  const { text } = await call(server, root, 'GET', '/v1/audit/export?format=ndjson');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .filter((e) => !e.trailer)
    .map((e) => `${e.position}:${e.hash}`);
}

describe('backup and restore as docs/operations.md tells', () => {
  const restore = block('restore').replaceAll('npx ledger', '"$LEDGER_CLI"');
  let original: ChildServer;
  let restored: ChildServer | undefined;
  let originalDir: string;
  let root: string;
  let cli: string;
  const backups: Record<'sqlite3' | 'node', string> = { sqlite3: '', node: '' };
  const tokens: Record<'kept' | 'revoked' | 'revokedLater' | 'late', string> = { kept: '', revoked: '', revokedLater: '', late: '' };
  let originalChain: string[];

  const create = async (name: string) => {
    const { status, body } = await call(original, root, 'POST', '/v1/projects/shop/tokens', { name, type: 'integration', scopes: ['orders:read'] });
    expect(status).toBe(201);
    return body as { token: { id: string }; value: string };
  };
  const revoke = async (id: string) => expect((await call(original, root, 'DELETE', `/v1/projects/shop/tokens/${id}`)).status).toBe(200);

  beforeAll(async () => {
    cli = ledgerCli();
    originalDir = tempDir('original');
    original = spawnServer({ LEDGER_DATA_DIR: originalDir }, await freePort());
    await waitUntilReady(original);
    root = ROOT_LINE.exec(original.stdout())![1];

    tokens.kept = (await create('kept')).value;
    const revoked = await create('revoked');
    tokens.revoked = revoked.value;
    await revoke(revoked.token.id);
    const revokedLater = await create('revoked after the backup');
    tokens.revokedLater = revokedLater.value;

    // Writes keep coming while the copies are taken.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await create(`load ${written}`);
        written++;
      }
    })();
    while (written < 5) await new Promise((r) => setTimeout(r, 20));

    for (const how of ['sqlite3', 'node'] as const) {
      if (how === 'sqlite3' && !HAS_SQLITE3) continue;
      backups[how] = join(tempDir(`backup-${how}`), 'copy');
      const result = await bash(block(how === 'sqlite3' ? 'backup' : 'backup-node'), { LEDGER_DATA_DIR: originalDir, BACKUP_DIR: backups[how] });
      expect({ how, code: result.code, stderr: result.stderr }).toEqual({ how, code: 0, stderr: '' });
      if (how === 'sqlite3') expect(result.stdout.trim()).toBe('ok');
    }

    writing = false;
    await writer;
    await revoke(revokedLater.token.id);
    tokens.late = (await create('created after the backup')).value;
    originalChain = await chainOf(original, root);
  }, 180_000);

  afterAll(async () => {
    await restored?.stop('SIGKILL');
    await original?.stop('SIGKILL');
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  /** Restores `backup` into `dataDir` with the docs' block, starts a ledger there and checks it. */
  async function restoreAndCheck(backup: string, dataDir: string): Promise<void> {
    const result = await bash(restore, { LEDGER_DATA_DIR: dataDir, BACKUP_DIR: backup, LEDGER_CLI: cli });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toContain('OK: every hash chain is intact');

    restored = spawnServer({ LEDGER_DATA_DIR: dataDir }, await freePort());
    await waitUntilReady(restored);
    expect(restored.stdout()).not.toMatch(ROOT_LINE); // not a new ledger: the old root token works
    expect(await verifyCode(restored, tokens.kept)).toBe('valid');
    expect(await verifyCode(restored, tokens.revoked)).toBe('revoked');
    expect(await verifyCode(restored, tokens.revokedLater)).toBe('valid'); // the docs' warning: revoke it again
    expect(await verifyCode(restored, tokens.late)).toBe('not_found');

    const { body: report } = await call(restored, root, 'GET', '/v1/audit/verify');
    expect(report).toMatchObject({ ok: true, brokenCount: 0 });
    const chain = await chainOf(restored, root);
    expect(chain.length).toBeGreaterThan(5);
    expect(chain.length).toBeLessThan(originalChain.length);
    expect(chain).toEqual(originalChain.slice(0, chain.length));
    await restored.stop('SIGKILL');
    restored = undefined;
  }

  if (HAS_SQLITE3) {
    it('restores the sqlite3 copy into a new directory', () => restoreAndCheck(backups.sqlite3, join(tempDir('restored'), 'data')), 120_000);
  } else {
    skipLoudly('backup with the sqlite3 shell (docs/operations.md)', 'no sqlite3 command here (apt-get install sqlite3); the better-sqlite3 backup still runs');
  }

  it('restores the better-sqlite3 copy in place over a ledger killed mid-flight', async () => {
    await original.stop('SIGKILL'); // leaves events.sqlite-wal and -shm behind, and read models ahead of the copy
    await restoreAndCheck(backups.node, originalDir);
  }, 120_000);
});
