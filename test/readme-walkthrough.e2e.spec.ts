import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { spawnServer, waitUntilReady, type ChildServer } from './support/child-server';

/**
 * The README's walk-through has to work verbatim: its marked bash blocks run here, in one
 * `bash -euo pipefail`, against a freshly started server, and every `# → …` line in them must
 * match what the commands print, in order.
 */
const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
const ROOT_LINE = /^Root token \(shown once\): (tlr_[0-9A-Za-z]{49})$/m;

function markedBlocks(marker: string): string[] {
  const pattern = new RegExp(`<!-- ${marker} -->\\n\\n?\`\`\`bash\\n([\\s\\S]*?)\\n\`\`\``, 'g');
  return [...README.matchAll(pattern)].map((m) => m[1]);
}

/** `# → 403 (it lacks tokens:write)` claims the output line `403`. */
function claimedOutputs(script: string): string[] {
  return [...script.matchAll(/^# → (.*?)(?: \(.*\))?$/gm)].map((m) => m[1]);
}

function runBash(script: string, env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | string; stdout: string; stderr: string }> {
  // stdin is closed, not a socket: bash reads the system bashrc when stdin looks like sshd's.
  const shell = spawn('bash', ['-euo', 'pipefail', '-c', script], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  let stdout = '';
  let stderr = '';
  shell.stdout.on('data', (chunk) => (stdout += chunk));
  shell.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => shell.once('close', (code, signal) => resolve({ code: code ?? String(signal), stdout, stderr })));
}

/** Whether `expected` appears among `lines` in this order (other lines may come between). */
function inOrder(lines: string[], expected: string[]): string[] {
  let at = 0;
  const missing: string[] = [];
  for (const line of expected) {
    const found = lines.indexOf(line, at);
    if (found === -1) missing.push(line);
    else at = found + 1;
  }
  return missing;
}

describe('README walk-through', () => {
  const blocks = markedBlocks('walkthrough');
  const script = blocks.join('\n');
  let server: ChildServer;
  let dataDir: string;
  let workDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-readme-'));
    workDir = mkdtempSync(join(tmpdir(), 'ledger-readme-shell-'));
    server = spawnServer({ LEDGER_DATA_DIR: dataDir });
    await waitUntilReady(server);
  }, 30_000);

  afterAll(async () => {
    await server?.stop('SIGKILL');
    for (const dir of [dataDir, workDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sets up LEDGER and ROOT the way the test provides them', () => {
    const [setup] = markedBlocks('walkthrough:setup');
    expect(setup).toMatch(/^export LEDGER=http:\/\/localhost:3000$/m);
    expect(setup).toMatch(/^export ROOT=tlr_…/m);
    // Only those two: anything else there would not be exercised below.
    expect(setup.split('\n').filter((l) => l.trim() && !l.startsWith('export LEDGER=') && !l.startsWith('export ROOT='))).toEqual([]);
  });

  it('uses only what a bash shell with curl and node surely has', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    expect(script).not.toMatch(/\bjq\b/);
    expect(script).not.toMatch(/localhost:3000/); // the address comes from $LEDGER
  });

  it('runs verbatim against a fresh server and prints what it claims', async () => {
    const root = ROOT_LINE.exec(server.stdout())?.[1];
    expect(root).toBeDefined();

    const env = {
      PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
      HOME: workDir,
      LEDGER: server.url,
      ROOT: root,
    };
    const result = await runBash(script, env, workDir);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });

    const lines = result.stdout.split('\n');
    // The key steps, whatever the README's comments say.
    const claimed = claimedOutputs(script);
    expect(claimed).toEqual(expect.arrayContaining(['active', '403', 'revoked', '401', 'TokenCreated TokenRotated TokenRevoked']));
    expect(inOrder(lines, claimed)).toEqual([]);

    // The created token: its value has the integration prefix and never reaches the history.
    const created = JSON.parse(lines[0]) as { token: { id: string; status: string }; value: string };
    expect(created.value).toMatch(/^tli_[0-9A-Za-z]{49}$/);
    expect(created.token.status).toBe('active');

    const history = await fetch(`${server.url}/v1/projects/shop/tokens/${created.token.id}/events`, {
      headers: { authorization: `Bearer ${root}` },
    });
    const { items } = (await history.json()) as { items: Array<{ type: string; data: Record<string, unknown> }> };
    expect(items.map((e) => e.type)).toEqual(['TokenCreated', 'TokenRotated', 'TokenRevoked']);
    expect(JSON.stringify(items)).not.toContain(created.value);
    expect(items[2].data.reason).toBe('rotated');
  }, 60_000);
});
