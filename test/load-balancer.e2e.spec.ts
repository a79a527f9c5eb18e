import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENTS_FILE } from '../apps/api/src/store/ledger-store.module';
import { freePort } from './support/child-server';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';
import { skipLoudly } from './support/skip-loudly';

/**
 * deploy/nginx.conf, run by a real nginx in front of two replicas on one event store (SQLite
 * standing in for EventStoreDB): one port for all, a caller's requests stay on one replica (so
 * it reads its own writes), and a replica that goes away is routed around.
 */
describe('nginx in front of two replicas', () => {
  if (spawnSync('nginx', ['-v']).status !== 0) {
    skipLoudly('nginx load balancer', 'nginx is not installed');
    return;
  }

  let a: LedgerServer;
  let b: LedgerServer;
  let nginx: ChildProcess;
  let dir: string;
  let lb: { url: string };

  beforeAll(async () => {
    a = await startLedgerServer();
    const dirB = mkdtempSync(join(tmpdir(), 'ledger-lb-b-'));
    symlinkSync(join(a.dataDir, EVENTS_FILE), join(dirB, EVENTS_FILE));
    b = await startLedgerServer({ dataDir: dirB });

    dir = mkdtempSync(join(tmpdir(), 'ledger-nginx-'));
    mkdirSync(join(dir, 'tmp'));
    const port = await freePort();
    const site = readFileSync(join(__dirname, '..', 'deploy', 'nginx.conf'), 'utf8');
    const upstreams = [a, b].map((r) => `    server ${new URL(r.url).host} max_fails=3 fail_timeout=10s;`).join('\n');
    const local = site.replace('    server api:3000 max_fails=3 fail_timeout=10s;', upstreams).replace('listen 80;', `listen 127.0.0.1:${port};`);
    expect(local).not.toContain('api:3000');
    expect(local).toContain(`127.0.0.1:${port}`);
    writeFileSync(join(dir, 'site.conf'), local);
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path tmp;`).join(' ');
    writeFileSync(join(dir, 'nginx.conf'), `daemon off; error_log stderr; pid nginx.pid; events {} http { access_log off; ${temp} include site.conf; }\n`);
    nginx = spawn('nginx', ['-p', `${dir}/`, '-c', 'nginx.conf'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    nginx.stderr!.on('data', (c) => (err += c));
    lb = { url: `http://127.0.0.1:${port}` };
    const deadline = Date.now() + 10_000;
    while (
      (await fetch(`${lb.url}/nginx-health`).then(
        (r) => r.status,
        () => 0,
      )) !== 200
    ) {
      if (nginx.exitCode !== null || Date.now() > deadline) throw new Error(`nginx did not start: ${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx.once('exit', resolve));
      nginx.kill('SIGTERM');
      await exited;
    }
    await b?.close();
    await a?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves the API on one port, and each caller reads its own writes at once', async () => {
    expect((await call(lb, 'GET', '/health/ready')).status).toBe(200);
    for (let i = 0; i < 10; i++) {
      const created = await call(lb, 'POST', '/v1/projects/lb/tokens', { token: a.rootToken, body: { name: `t${i}`, scopes: [] } });
      expect(created.status).toBe(201);
      // The same credentials reach the same replica, which answered only once it showed the token.
      const read = await call(lb, 'GET', `/v1/projects/lb/tokens/${created.body.token.id}`, { token: a.rootToken });
      expect(read.status).toBe(200);
    }
  });

  it('routes around a replica that went away', async () => {
    await a.stop();
    for (let i = 0; i < 10; i++) {
      expect((await call(lb, 'GET', '/v1/projects/lb/tokens?limit=1', { token: a.rootToken })).status).toBe(200);
    }
    const created = await call(lb, 'POST', '/v1/projects/lb/tokens', { token: a.rootToken, body: { name: 'after', scopes: [] } });
    expect(created.status).toBe(201);
  });
});
