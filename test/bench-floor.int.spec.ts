import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { formatTokenValue } from '@ledger/token-domain';
import { FLOOR_DIR, installFloor } from '../bench/support/floor-install';
import { TS_NODE_ARGS } from './support/typescript-runner';

const ROOT = join(__dirname, '..');

/**
 * The verify bench compares the ledger with a bare server doing the same work; that floor must not
 * run on the project's own Fastify (a slow version there would make a slow floor and a flattering
 * ratio), so it runs on bench/floor's separate install.
 */
describe('verify bench floor', () => {
  let dir: string;
  beforeAll(() => installFloor(), 120_000);
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-floor-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('resolves Fastify from bench/floor, not from the project node_modules, and answers a verify', async () => {
    const value = formatTokenValue('integration', randomBytes(32));
    const file = join(dir, 'token-list.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE tokens (id TEXT, project_id TEXT, scopes TEXT, secret_hash TEXT)');
    db.prepare('INSERT INTO tokens VALUES (?, ?, ?, ?)').run('tok_1', 'p1', '["a"]', createHash('sha256').update(value).digest('hex'));
    db.close();
    // Port 0: the kernel's pick, read from the ready line (a port found free beforehand can be taken meanwhile).
    const child = spawn(process.execPath, [...TS_NODE_ARGS, join(ROOT, 'bench/support/bare-verify-server.ts'), file, '0'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const readyLine = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c) => {
          out += c;
          if (out.includes('\n')) resolve(out.split('\n')[0]);
        });
        child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
      });
      const ready = JSON.parse(readyLine) as { ready: boolean; port: number; fastify: { path: string; version: string } };
      expect(ready.fastify.path.startsWith(join(FLOOR_DIR, 'node_modules') + sep)).toBe(true);
      expect(ready.fastify.path.startsWith(join(ROOT, 'node_modules') + sep)).toBe(false);
      expect(ready.fastify.version).toMatch(/^5\./);
      const response = await fetch(`http://127.0.0.1:${ready.port}/v1/tokens/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: value }),
      });
      expect(await response.json()).toEqual({ valid: true, tokenId: 'tok_1', projectId: 'p1', scopes: ['a'] });
    } finally {
      child.kill('SIGKILL');
    }
  });
});
