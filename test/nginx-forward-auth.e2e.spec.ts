import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';
import { onFreePort } from './support/child-server';

const NGINX = process.env.NGINX_BIN ?? '/usr/sbin/nginx';
const EXAMPLE = join(__dirname, '..', 'examples', 'nginx', 'token-ledger-auth.conf');
const present = existsSync(NGINX);
if (!present) {
  // Loud, one line: this suite proves the shipped nginx example and cannot without nginx.
  process.stderr.write(`SKIPPED nginx forward-auth e2e: no nginx at ${NGINX} (apt-get install -y nginx-light, or set NGINX_BIN)\n`);
}
const describeWithNginx = present ? describe : describe.skip;

/** The shipped examples/nginx config, verbatim but for its three addresses, in front of a small upstream. */
describeWithNginx('nginx auth_request in front of an upstream (examples/nginx)', () => {
  let ledger: LedgerServer;
  let upstream: Server;
  let nginx: ChildProcess;
  let dir: string;
  let base: string;
  let nginxErr = '';
  const seen: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    ledger = await startLedgerServer({ env: { TRUSTED_PROXIES: 'loopback' } });
    upstream = createServer((req, res) => {
      seen.push(req.headers);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ upstream: true, path: req.url }));
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const upstreamPort = (upstream.address() as { port: number }).port;
    dir = mkdtempSync(join(tmpdir(), 'ledger-nginx-'));
    for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub));
    writeFileSync(
      join(dir, 'nginx.conf'),
      [
        'daemon off;',
        'master_process off;',
        'worker_processes 1;',
        `pid ${dir}/nginx.pid;`,
        `error_log ${dir}/error.log warn;`,
        'events { worker_connections 64; }',
        'http {',
        `  access_log ${dir}/access.log;`,
        `  client_body_temp_path ${dir}/body;`,
        `  proxy_temp_path ${dir}/proxy;`,
        `  fastcgi_temp_path ${dir}/fastcgi;`,
        `  uwsgi_temp_path ${dir}/uwsgi;`,
        `  scgi_temp_path ${dir}/scgi;`,
        `  include ${dir}/site.conf;`,
        '}',
      ].join('\n'),
    );
    base = await onFreePort((port) => startNginx(upstreamPort, port));
  }, 30_000);

  /** The example's site on `port`; resolves with its URL once nginx itself answers there. */
  async function startNginx(upstreamPort: number, port: number): Promise<string> {
    const site = readFileSync(EXAMPLE, 'utf8')
      .replace('server 127.0.0.1:3000;', `server ${new URL(ledger.url).host};`)
      .replace('server 127.0.0.1:8080;', `server 127.0.0.1:${upstreamPort};`)
      .replace('listen 127.0.0.1:8000;', `listen 127.0.0.1:${port};`);
    expect(site).not.toContain(':3000;');
    writeFileSync(join(dir, 'site.conf'), site);
    nginxErr = '';
    nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
    nginx.stderr!.on('data', (c) => (nginxErr += c));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 10_000;
    for (;;) {
      // Its own answer (Server: nginx), not a neighbour's that took the port.
      const server = await fetch(`${url}/`).then(
        (r) => r.headers.get('server') ?? '',
        () => '',
      );
      if (server.startsWith('nginx')) return url;
      const errorLog = () => nginxErr + (existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '');
      if (nginx.exitCode !== null) throw new Error(`nginx exited: ${errorLog()}`);
      if (Date.now() > deadline) {
        nginx.kill('SIGKILL'); // not left running behind a start on another port
        throw new Error(`nginx did not start: ${errorLog()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx.once('exit', r));
      nginx.kill('SIGKILL');
      await exited;
    }
    await new Promise((r) => upstream?.close(r));
    await ledger?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const create = async (project: string, scopes: string[], extra: Record<string, unknown> = {}) => {
    const res = await call(ledger, 'POST', `/v1/projects/${project}/tokens`, { token: ledger.rootToken, body: { name: 'gw', scopes, ...extra } });
    expect(res.status).toBe(201);
    return res.body as { token: { id: string }; value: string };
  };

  it('allows a token with the scope and passes its identity upstream (client-sent X-Token-* overwritten)', async () => {
    const { token, value } = await create('shop', ['orders:read'], { type: 'personal', ownerId: 'ada' });
    seen.length = 0;
    const res = await fetch(`${base}/orders/42`, { headers: { authorization: `Bearer ${value}`, 'x-token-id': 'tok_forged' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ upstream: true, path: '/orders/42' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ 'x-token-id': token.id, 'x-token-project': 'shop', 'x-token-scopes': 'orders:read', 'x-token-owner': 'ada' });
  });

  it('accepts X-API-Key as well', async () => {
    const { value } = await create('shop', ['orders:read']);
    expect((await fetch(`${base}/orders/1`, { headers: { 'x-api-key': value } })).status).toBe(200);
  });

  it('401 without a token, or with a revoked one, and the upstream never sees the request', async () => {
    const { token, value } = await create('shop', ['orders:read']);
    await call(ledger, 'DELETE', `/v1/projects/shop/tokens/${token.id}`, { token: ledger.rootToken });
    seen.length = 0;
    const none = await fetch(`${base}/orders/1`);
    expect(none.status).toBe(401);
    const revoked = await fetch(`${base}/orders/1`, { headers: { authorization: `Bearer ${value}` } });
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toBe('Bearer error="invalid_token", error_description="revoked"');
    expect(seen).toHaveLength(0);
  });

  it('403 for a valid token lacking the scope, or of another project', async () => {
    const reader = await create('shop', ['orders:write']);
    const other = await create('billing', ['orders:read']);
    seen.length = 0;
    const res = await fetch(`${base}/orders/1`, { headers: { authorization: `Bearer ${reader.value}` } });
    expect(res.status).toBe(403);
    expect((await fetch(`${base}/orders/1`, { headers: { authorization: `Bearer ${other.value}` } })).status).toBe(403);
    expect(seen).toHaveLength(0);
  });
});
