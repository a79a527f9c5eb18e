import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTokenValue } from '@ledger/token-domain';
import { spawnServer, waitUntilReady, type ChildServer } from './support/child-server';
import { until } from './support/reminder-behaviour';

const ROOT_LINE = /^Root token \(shown once\): (tlr_[0-9A-Za-z]{49})$/m;

describe('starting the service', () => {
  let dataDir: string;
  const running: ChildServer[] = [];
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-start-'));
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop('SIGKILL')));
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(env: NodeJS.ProcessEnv = {}): Promise<ChildServer> {
    const server = spawnServer({ LEDGER_DATA_DIR: dataDir, ...env });
    running.push(server);
    await waitUntilReady(server);
    return server;
  }

  const listSystemTokens = (server: ChildServer, token: string) =>
    fetch(`${server.url}/v1/projects/_system/tokens`, { headers: { authorization: `Bearer ${token}` } });

  it.each([
    ['PORT', 'not-a-port'],
    ['LOG_LEVEL', 'chatty'],
    ['LEDGER_BOOTSTRAP_TOKEN', 'secret'],
  ])('refuses to start with a bad %s, in one line naming it', async (variable, value) => {
    const server = spawnServer({ LEDGER_DATA_DIR: dataDir, [variable]: value });
    running.push(server);
    expect(await server.exited).toBe(1);
    expect(server.stderr().trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^Invalid configuration: ${variable} `))]);
  });

  it('prints one human-readable line when ready, and no per-route mapping lines at the default log level', async () => {
    const server = spawnServer({ LEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    running.push(server);
    await waitUntilReady(server);
    const url = server.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${url}/console/`)).status).not.toBe(404);
    const expected = `Token Ledger listening on ${url} — console ${url}/console/, API docs ${url}/docs`;
    await until(() => server.stdout().includes('Token Ledger listening'), 10_000, 'the start line');
    const lines = server.stdout().trimEnd().split('\n');
    expect(lines.filter((line) => line.startsWith('Token Ledger listening'))).toEqual([expected]);
    expect((await fetch(`${url}/docs`)).status).toBe(200);
    // The rest are the JSON logs (and the root token line), none of them Nest's route mapping.
    const json = lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { msg?: string; context?: string });
    expect(json.length).toBeGreaterThan(0);
    expect(server.stdout() + server.stderr()).not.toMatch(/Mapped \{/);
    expect(json.filter((log) => ['RouterExplorer', 'RoutesResolver', 'InstanceLoader'].includes(log.context ?? ''))).toEqual([]);
  });

  it('keeps the route mapping lines at LOG_LEVEL=debug (moved down a level, not dropped)', async () => {
    const server = await start({ LOG_LEVEL: 'debug' });
    await until(() => server.stdout().includes('Token Ledger listening'), 10_000, 'the start line');
    expect(server.stdout()).toMatch(/"context":"RouterExplorer".*Mapped \{\/v1\/projects, GET\} route/);
  });

  it('prints a root token once on the first start of an empty ledger, and never again', async () => {
    const first = await start();
    const token = ROOT_LINE.exec(first.stdout())?.[1];
    expect(token).toBeDefined();
    expect(first.stdout().match(/Root token/g)).toHaveLength(1);
    // SIGTERM drains (SHUTDOWN_DRAIN, 0 here), closes the app and exits 0 (graceful-shutdown.ts).
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = await start();
    expect(second.stdout()).not.toContain('Root token');
    // The first start's root token survived the restart.
    const res = await listSystemTokens(second, token!);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(1);
  });

  it('uses LEDGER_BOOTSTRAP_TOKEN instead, creating it once across restarts', async () => {
    const token = formatTokenValue('root', randomBytes(32));
    const first = await start({ LEDGER_BOOTSTRAP_TOKEN: token });
    expect(first.stdout()).not.toContain('Root token');
    expect((await listSystemTokens(first, token)).status).toBe(200);
    await first.stop();

    const second = await start({ LEDGER_BOOTSTRAP_TOKEN: token });
    const res = await listSystemTokens(second, token);
    expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(1);
  });

  it('keeps acknowledged writes across kill -9 and restart', async () => {
    const token = formatTokenValue('root', randomBytes(32));
    const first = await start({ LEDGER_BOOTSTRAP_TOKEN: token });
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${first.url}/v1/projects/crash/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `t${i}`, scopes: [] }),
      });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { token: { id: string } }).token.id);
    }
    await first.stop('SIGKILL');

    const second = await start({ LEDGER_BOOTSTRAP_TOKEN: token });
    const res = await fetch(`${second.url}/v1/projects/crash/tokens?limit=200`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await res.json()) as { items: Array<{ id: string }> }).items.map((t: { id: string }) => t.id)).toEqual(ids);
  });
});
