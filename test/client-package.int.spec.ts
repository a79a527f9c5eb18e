import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');
const CLIENT = join(ROOT, 'libs', 'client');
const TSC = require.resolve('typescript/bin/tsc');

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));

/** libs/client builds on its own (its own tsconfig) into what its package.json publishes, needing only its declared packages. */
describe('libs/client as a package of its own', () => {
  const out = mkdtempSync(join(tmpdir(), 'ledger-client-build-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const pkg = JSON.parse(readFileSync(join(CLIENT, 'package.json'), 'utf8'));

  it('compiles with its own tsconfig, and every entry of its exports map is built', () => {
    execFileSync(process.execPath, [TSC, '-p', join(CLIENT, 'tsconfig.json'), '--outDir', out], { stdio: 'pipe' });
    for (const entry of Object.values<{ types: string; default: string }>(pkg.exports)) {
      expect(existsSync(join(out, relative('dist', entry.default)))).toBe(true);
      expect(existsSync(join(out, relative('dist', entry.types)))).toBe(true);
    }
    expect(existsSync(join(out, 'ledger-verifier.unit.spec.js'))).toBe(false);
  });

  it('requires only node built-ins, its own files and the packages it declares', () => {
    const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]);
    const required = filesUnder(out)
      .filter((f) => f.endsWith('.js'))
      .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
    const foreign = required.filter(
      (name) =>
        !name.startsWith('.') && !name.startsWith('node:') && !declared.has(name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]),
    );
    expect(foreign).toEqual([]);
    expect(required).toContain('openapi-fetch');
  });
});
