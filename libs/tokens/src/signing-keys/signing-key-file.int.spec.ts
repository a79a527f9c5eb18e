import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { addSigningKey, generateSigningKey, readSigningKeys } from './signing-key-file';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..', '..');
const NODE_ARGS = ['-r', 'ts-node/register/transpile-only', '-r', join(ROOT, 'test/support/register-paths.js')];
const WRITER = join(ROOT, 'test/fixtures/signing-key-writer.ts');

/** Security review (jwt-fixes, 5): the key file's read-modify-write is serialized between processes. */
describe('signing key file: concurrent updates', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-keyfile-jwt-fixes-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every key when several processes add keys at once', async () => {
    const file = join(dir, 'signing-keys.json');
    const startAt = String(Date.now() + 8_000);
    const writers = await Promise.all(
      Array.from({ length: 4 }, () => run(process.execPath, [...NODE_ARGS, WRITER, file, '25', startAt], { cwd: ROOT, timeout: 90_000 })),
    );
    const written = writers.flatMap((w) => JSON.parse(w.stdout.trim()) as string[]);
    expect(written).toHaveLength(100);
    expect(
      readSigningKeys(file)
        .map((k) => k.kid)
        .sort(),
    ).toEqual([...written].sort());
    expect(existsSync(`${file}.lock`)).toBe(false);
  }, 120_000);

  it('takes over a stale lock left by a process that died holding it', async () => {
    const file = join(dir, 'signing-keys.json');
    writeFileSync(`${file}.lock`, '999999\n');
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, old, old);
    const { privateJwk } = await generateSigningKey();
    addSigningKey(file, privateJwk);
    expect(readSigningKeys(file).map((k) => k.kid)).toEqual([privateJwk.kid]);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
