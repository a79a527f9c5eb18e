import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onFreePort } from './child-server';

export const nginxInstalled = (): boolean => spawnSync('nginx', ['-v']).status === 0;

export interface NginxGateway {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * deploy/nginx.conf as shipped, run by a real nginx on a free loopback port, with the compose
 * service `api:3000` replaced by the given upstream `host:port` addresses.
 */
export function startNginxGateway(upstreams: string[]): Promise<NginxGateway> {
  return onFreePort((port) => startOn(port, upstreams));
}

async function startOn(port: number, upstreams: string[]): Promise<NginxGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-nginx-'));
  mkdirSync(join(dir, 'tmp'));
  const site = readFileSync(join(__dirname, '..', '..', 'deploy', 'nginx.conf'), 'utf8');
  const servers = upstreams.map((host) => `    server ${host} max_fails=3 fail_timeout=10s;`).join('\n');
  const local = site.replace('    server api:3000 max_fails=3 fail_timeout=10s;', servers).replace('listen 80;', `listen 127.0.0.1:${port};`);
  if (local.includes('api:3000') || !local.includes(`127.0.0.1:${port}`))
    throw new Error('deploy/nginx.conf no longer has the expected upstream and listen lines');
  writeFileSync(join(dir, 'site.conf'), local);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path tmp;`).join(' ');
  writeFileSync(join(dir, 'nginx.conf'), `daemon off; error_log stderr; pid nginx.pid; events {} http { access_log off; ${temp} include site.conf; }\n`);
  const nginx: ChildProcess = spawn('nginx', ['-p', `${dir}/`, '-c', 'nginx.conf'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  nginx.stderr!.on('data', (c) => (err += c));
  const stop = async () => {
    if (nginx.exitCode === null && nginx.signalCode === null) {
      const exited = new Promise((resolve) => nginx.once('exit', resolve));
      nginx.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (
    (await fetch(`${url}/nginx-health`).then(
      (r) => r.status,
      () => 0,
    )) !== 200
  ) {
    if (nginx.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`nginx did not start: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, port, stop };
}
