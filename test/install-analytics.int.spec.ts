import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/**
 * `@scarf/scarf` (through @nestjs/swagger → swagger-ui-dist) reports every install to scarf.sh
 * from a postinstall script. A self-hosted security product must not phone home, so the project
 * turns it off twice: `scarfSettings.enabled: false` in package.json (honoured for any npm
 * install of this checkout) and SCARF_ANALYTICS=false where this project installs (.ci/run, the
 * Dockerfile).
 *
 * The script is run for real, in a child process with a controlled environment, pointed at a
 * local receiver (SCARF_LOCAL_PORT) instead of scarf.sh; only its `npm ls` walk of the tree is
 * replaced by the chain `npm ls` reports here, so the run does not depend on npm's speed.
 */
function runScarfPostinstall(rootPackage: object, env: Record<string, string>, port: number, home: string) {
  const script = `
    const report = require(${JSON.stringify(require.resolve('@scarf/scarf/report.js', { paths: [ROOT] }))});
    report.getDependencyInfo = async () => ({
      scarf: { name: '@scarf/scarf', version: '1.4.0' },
      parent: { name: 'swagger-ui-dist', version: '5.0.0', scarfSettings: { defaultOptIn: true } },
      grandparent: { name: '@nestjs/swagger', version: '11.0.0' },
      rootPackage: JSON.parse(process.env.ROOT_PACKAGE),
      anyInChainDisabled: false,
    });
    report.reportPostInstall()
      .then(() => console.log('reported'), (e) => console.log('not reported: ' + e.message))
      .finally(() => process.exit(0));
  `;
  const child = spawn(process.execPath, ['-e', script], {
    cwd: home,
    // Nothing of the caller's environment (CI may set SCARF_ANALYTICS or DO_NOT_TRACK itself).
    env: { PATH: process.env.PATH ?? '', HOME: home, TMPDIR: home, SCARF_LOCAL_PORT: String(port), ROOT_PACKAGE: JSON.stringify(rootPackage), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (out += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise<string>((resolve) => child.once('exit', () => (clearTimeout(timer), resolve(out))));
}

describe('install-time analytics (@scarf/scarf)', () => {
  let receiver: Server;
  let port: number;
  let reports: string[];
  let home: string;
  const withoutSetting = { ...PACKAGE, scarfSettings: undefined };

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => (reports.push(`${req.method} ${req.url} ${body}`), res.writeHead(200).end()));
    });
    // scarf-js sends to "localhost" when SCARF_LOCAL_PORT is set.
    await new Promise<void>((resolve) => receiver.listen(0, 'localhost', resolve));
    port = (receiver.address() as { port: number }).port;
  });
  beforeEach(() => {
    reports = [];
    home = mkdtempSync(join(tmpdir(), 'ledger-scarf-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));
  afterAll(async () => {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('package.json turns it off', async () => {
    expect(PACKAGE.scarfSettings).toEqual({ enabled: false });
    expect(await runScarfPostinstall(PACKAGE, {}, port, home)).toContain('not reported: User has opted out');
    expect(reports).toEqual([]);
  });

  it('SCARF_ANALYTICS=false turns it off even without the package.json setting', async () => {
    expect(await runScarfPostinstall(withoutSetting, { SCARF_ANALYTICS: 'false' }, port, home)).toContain('not reported: User has opted out');
    expect(reports).toEqual([]);
  });

  // The control: without either, the same run does report, so the two above can fail.
  it('without either, the script reports the install', async () => {
    expect(await runScarfPostinstall(withoutSetting, {}, port, home)).toMatch(/^reported$/m);
    expect(reports).toEqual([expect.stringMatching(/^POST \/package-event\/install /)]);
  });

  it('the CI script and both Dockerfile stages set SCARF_ANALYTICS=false before installing', () => {
    const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    expect(ci.indexOf('export SCARF_ANALYTICS=false')).toBeGreaterThan(-1);
    expect(ci.indexOf('export SCARF_ANALYTICS=false')).toBeLessThan(ci.indexOf('run npm ci'));
    const stages = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
      .split(/^FROM /m)
      .slice(1);
    expect(stages).toHaveLength(2);
    for (const stage of stages) {
      // An ENV instruction, possibly continued over several lines with a backslash.
      const env = stage.search(/^ENV (?:[^\n]*\\\n)*[^\n]*\bSCARF_ANALYTICS=false\b/m);
      expect(env).toBeGreaterThan(-1);
      expect(env).toBeLessThan(stage.indexOf('npm ci'));
    }
  });
});
