import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { spawnServer, waitUntilReady, type ChildServer } from './support/child-server';
import { Client } from 'pg';
import { createTestDatabase, POSTGRES_TEST_SERVER, SKIP_POSTGRES, type TestDatabase } from '../libs/event-store/src/postgres/pg-test-database';
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
const HAS_PG_TOOLS = ['pg_dump', 'pg_restore', 'createdb'].every((tool) => spawnSync(tool, ['--version']).status === 0);

function block(marker: string): string {
  const found = new RegExp(`<!-- operations:${marker} -->\\n\\n?\`\`\`bash\\n([\\s\\S]*?)\\n\`\`\``).exec(OPERATIONS);
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

type Tokens = Record<'kept' | 'revoked' | 'revokedLater' | 'late', string>;

/**
 * The restored ledger serves the tokens as they stood at the backup (a token revoked after it is
 * valid again: the docs tell operators so), and its events are the original's first ones.
 */
async function expectRestored(restored: ChildServer, root: string, tokens: Tokens, originalChain: string[]): Promise<void> {
  await waitUntilReady(restored);
  expect(restored.stdout()).not.toMatch(ROOT_LINE); // not a new ledger: the old root token works
  expect(await verifyCode(restored, tokens.kept)).toBe('valid');
  expect(await verifyCode(restored, tokens.revoked)).toBe('revoked');
  expect(await verifyCode(restored, tokens.revokedLater)).toBe('valid');
  expect(await verifyCode(restored, tokens.late)).toBe('not_found');

  const { body: report } = await call(restored, root, 'GET', '/v1/audit/verify');
  expect(report).toMatchObject({ ok: true, brokenCount: 0 });
  const chain = await chainOf(restored, root);
  expect(chain.length).toBeGreaterThan(5);
  expect(chain.length).toBeLessThan(originalChain.length);
  expect(chain).toEqual(originalChain.slice(0, chain.length));
}

/** Tokens in every state a restore must keep apart, with writes running while `backUp` copies the ledger. */
async function historyAround(server: ChildServer, root: string, backUp: () => Promise<void>): Promise<{ tokens: Tokens; chain: string[] }> {
  const create = async (name: string) => {
    const { status, body } = await call(server, root, 'POST', '/v1/projects/shop/tokens', { name, type: 'integration', scopes: ['orders:read'] });
    expect(status).toBe(201);
    return body as { token: { id: string }; value: string };
  };
  const revoke = async (id: string) => expect((await call(server, root, 'DELETE', `/v1/projects/shop/tokens/${id}`)).status).toBe(200);

  const kept = await create('kept');
  const revoked = await create('revoked');
  await revoke(revoked.token.id);
  const revokedLater = await create('revoked after the backup');

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
  try {
    await backUp();
  } finally {
    writing = false;
    await writer;
  }
  await revoke(revokedLater.token.id);
  const late = await create('created after the backup');
  return { tokens: { kept: kept.value, revoked: revoked.value, revokedLater: revokedLater.value, late: late.value }, chain: await chainOf(server, root) };
}

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('backup and restore as docs/operations.md tells', () => {
  const restore = block('restore').replaceAll('npx ledger', '"$LEDGER_CLI"');
  let original: ChildServer;
  let restored: ChildServer | undefined;
  let originalDir: string;
  let root: string;
  let cli: string;
  const backups: Record<'sqlite3' | 'node', string> = { sqlite3: '', node: '' };
  let tokens: Tokens;
  let originalChain: string[];

  beforeAll(async () => {
    cli = ledgerCli();
    originalDir = tempDir('original');
    original = spawnServer({ LEDGER_DATA_DIR: originalDir });
    await waitUntilReady(original);
    root = ROOT_LINE.exec(original.stdout())![1];
    ({ tokens, chain: originalChain } = await historyAround(original, root, async () => {
      for (const how of ['sqlite3', 'node'] as const) {
        if (how === 'sqlite3' && !HAS_SQLITE3) continue;
        backups[how] = join(tempDir(`backup-${how}`), 'copy');
        const result = await bash(block(how === 'sqlite3' ? 'backup' : 'backup-node'), { LEDGER_DATA_DIR: originalDir, BACKUP_DIR: backups[how] });
        expect({ how, code: result.code, stderr: result.stderr }).toEqual({ how, code: 0, stderr: '' });
        if (how === 'sqlite3') expect(result.stdout.trim()).toBe('ok');
      }
    }));
  }, 180_000);

  afterAll(async () => {
    await restored?.stop('SIGKILL');
    await original?.stop('SIGKILL');
  });

  /** Restores `backup` into `dataDir` with the docs' block, starts a ledger there and checks it. */
  async function restoreAndCheck(backup: string, dataDir: string): Promise<void> {
    const result = await bash(restore, { LEDGER_DATA_DIR: dataDir, BACKUP_DIR: backup, LEDGER_CLI: cli });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toContain('OK: every hash chain is intact');

    restored = spawnServer({ LEDGER_DATA_DIR: dataDir });
    await expectRestored(restored, root, tokens, originalChain);
    await restored.stop('SIGKILL');
    restored = undefined;
  }

  if (HAS_SQLITE3) {
    it('restores the sqlite3 copy into a new directory', () => restoreAndCheck(backups.sqlite3, join(tempDir('restored'), 'data')), 120_000);
  } else {
    skipLoudly('backup with the sqlite3 shell (docs/operations.md)', 'no sqlite3 command here (apt-get install sqlite3); the better-sqlite3 backup still runs');
  }

  let killedCopy = '';

  it('restores the better-sqlite3 copy in place over a ledger killed mid-flight', async () => {
    await original.stop('SIGKILL'); // leaves events.sqlite-wal and -shm behind, and read models ahead of the copy
    killedCopy = join(tempDir('killed'), 'data');
    cpSync(originalDir, killedCopy, { recursive: true });
    await restoreAndCheck(backups.node, originalDir);
  }, 120_000);

  it('rebuilds read models left ahead of the restored ledger (docs/operations.md, "A read model ahead of the store")', async () => {
    // Only the ledger file replaced: the derived files still describe the newer history.
    rmSync(join(killedCopy, 'events.sqlite-wal'), { force: true });
    rmSync(join(killedCopy, 'events.sqlite-shm'), { force: true });
    cpSync(join(backups.node, 'events.sqlite'), join(killedCopy, 'events.sqlite'));
    restored = spawnServer({ LEDGER_DATA_DIR: killedCopy });
    await expectRestored(restored, root, tokens, originalChain);
    expect(restored.stdout()).toContain('read model is ahead of the event store (store replaced?); rebuilding it');
    await restored.stop('SIGKILL');
    restored = undefined;
  }, 120_000);
});

(SKIP_POSTGRES ? describe.skip : describe)('backup and restore on PostgreSQL as docs/operations.md tells', () => {
  let database: TestDatabase;
  let original: ChildServer | undefined;
  let restored: ChildServer | undefined;
  const restoredDb = { name: '', url: '' };

  afterAll(async () => {
    await restored?.stop('SIGKILL');
    await original?.stop('SIGKILL');
    const admin = new Client({ connectionString: POSTGRES_TEST_SERVER });
    await admin.connect();
    if (restoredDb.name) await admin.query(`DROP DATABASE IF EXISTS ${restoredDb.name} WITH (FORCE)`);
    await admin.end();
    await database?.drop();
  });

  if (!HAS_PG_TOOLS) {
    skipLoudly(
      'pg_dump / pg_restore backup and restore (docs/operations.md)',
      'pg_dump, pg_restore or createdb is not installed (apt-get install postgresql-client)',
    );
    return;
  }

  it('dumps a ledger serving writes and restores it into a new database', async () => {
    database = await createTestDatabase();
    restoredDb.name = `${database.name}_restored`;
    const url = new URL(database.url);
    url.pathname = `/${restoredDb.name}`;
    restoredDb.url = url.toString();

    original = spawnServer({ LEDGER_DATA_DIR: tempDir('pg-original'), DATABASE_URL: database.url });
    await waitUntilReady(original);
    const root = ROOT_LINE.exec(original.stdout())![1];
    const backupDir = join(tempDir('pg-backup'), 'copy');
    const { tokens, chain } = await historyAround(original, root, async () => {
      const result = await bash(block('backup-postgres'), { DATABASE_URL: database.url, BACKUP_DIR: backupDir });
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    });

    const env = {
      DATABASE_URL: database.url,
      BACKUP_DIR: backupDir,
      RESTORED_DB: restoredDb.name,
      RESTORED_URL: restoredDb.url,
      LEDGER_CLI: ledgerCli(),
      LEDGER_DATA_DIR: tempDir('pg-cli'),
    };
    const result = await bash(block('restore-postgres').replaceAll('npx ledger', '"$LEDGER_CLI"'), env);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toContain('OK: every hash chain is intact');

    restored = spawnServer({ LEDGER_DATA_DIR: tempDir('pg-restored'), DATABASE_URL: restoredDb.url });
    await expectRestored(restored, root, tokens, chain);
  }, 180_000);
});
