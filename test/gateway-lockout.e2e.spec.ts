import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatTokenValue } from '@ledger/token-domain';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';
import { nginxInstalled, startNginxGateway, type NginxGateway } from './support/nginx-gateway';
import { skipLoudly } from './support/skip-loudly';

// The YAML parser @nestjs/swagger already ships (no types of its own here).
const yaml: { load(text: string): unknown } = require('js-yaml');

interface Compose {
  'x-ledger': { environment: Record<string, string> };
  services: { nginx: { networks?: { default?: { ipv4_address?: string } } } };
  networks: { default: { ipam: { config: Array<{ subnet: string }> } } };
}

/** A POST /v1/tokens/verify through the gateway from a chosen loopback address (one per client). */
function verifyFrom(gateway: NginxGateway, from: string, token: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const body = JSON.stringify({ token });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: gateway.port,
        localAddress: from,
        method: 'POST',
        path: '/v1/tokens/verify',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A GET through the gateway from a chosen loopback address, the path sent exactly as given. */
function getFrom(gateway: NginxGateway, from: string, path: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: gateway.port, localAddress: from, method: 'GET', path, agent: false }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * The shipped docker-compose.yml + deploy/nginx.conf (issue 12, item 4): the API trusts the
 * gateway's address and nothing else, and nginx replaces whatever client address headers a client
 * sent, so an address sending bad tokens through the gateway locks out only itself. Run with a
 * real nginx; the compose network is played by loopback (nginx at 127.0.0.1, clients at
 * 127.0.0.2 and 127.0.0.3).
 */
describe('the shipped compose + nginx configuration', () => {
  if (!nginxInstalled()) {
    skipLoudly('gateway lockout through deploy/nginx.conf', 'nginx is not installed (apt-get install nginx-light)');
    return;
  }
  const compose = yaml.load(readFileSync(join(__dirname, '..', 'docker-compose.yml'), 'utf8')) as Compose;
  const trusted = compose['x-ledger'].environment.TRUSTED_PROXIES;
  const gatewayAddress = compose.services.nginx.networks?.default?.ipv4_address;

  let server: LedgerServer;
  let gateway: NginxGateway;
  beforeAll(async () => {
    // The compose value, with nginx's compose address mapped to where nginx runs here.
    const env = {
      FAILED_AUTH_LIMIT: '3/1m',
      ...(trusted
        ? {
            TRUSTED_PROXIES: trusted
              .split(',')
              .map((a) => (a.trim() === gatewayAddress ? '127.0.0.1' : a))
              .join(','),
          }
        : {}),
    };
    server = await startLedgerServer({ env });
    gateway = await startNginxGateway([new URL(server.url).host]);
  });
  afterAll(async () => {
    await gateway?.stop();
    await server?.close();
  });

  it('trusts exactly the nginx gateway for client addresses', () => {
    expect(gatewayAddress).toEqual(expect.any(String));
    expect(trusted).toBe(gatewayAddress);
  });

  it('an address sending bad tokens through the gateway does not lock out another client', async () => {
    const good = await call(server, 'POST', '/v1/projects/shop/tokens', { token: server.rootToken, body: { name: 'svc', scopes: [] } });
    const guess = () => formatTokenValue('project', randomBytes(32));
    // The attacker also claims to be the other client: nginx must not pass that on.
    const spoof = { 'x-forwarded-for': '127.0.0.3', 'x-real-ip': '127.0.0.3' };
    for (let i = 0; i < 3; i++) expect((await verifyFrom(gateway, '127.0.0.2', guess(), spoof)).body).toEqual({ valid: false, code: 'not_found' });
    expect((await verifyFrom(gateway, '127.0.0.2', guess(), spoof)).status).toBe(429);

    // Another client: its own bucket, for its failures and its valid token alike.
    expect((await verifyFrom(gateway, '127.0.0.3', guess())).body).toEqual({ valid: false, code: 'not_found' });
    expect((await verifyFrom(gateway, '127.0.0.3', good.body.value)).body.valid).toBe(true);
    // And the attacker's own valid token still passes: the bucket only refuses failures.
    expect((await verifyFrom(gateway, '127.0.0.2', good.body.value)).body.valid).toBe(true);
  });

  it('refuses the internal routes to an outside address, and still serves it the API', async () => {
    // 127.0.0.2 is not nginx's own address nor on the compose subnet: an outside client.
    for (const path of ['/metrics', '/metrics/', '//metrics', '/%6detrics', '/v1/../metrics', '/admin/queues', '/admin/queues/api/queues', '/admin//queues']) {
      const res = await getFrom(gateway, '127.0.0.2', path);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
      expect(JSON.parse(res.text).error.code).toBe('forbidden');
    }
    const created = await call(server, 'POST', '/v1/projects/shop/tokens', { token: server.rootToken, body: { name: 'svc2', scopes: [] } });
    expect((await verifyFrom(gateway, '127.0.0.2', created.body.value)).body.valid).toBe(true);
    expect((await getFrom(gateway, '127.0.0.2', '/health/ready')).status).toBe(200);
    expect((await getFrom(gateway, '127.0.0.2', '/docs')).status).not.toBe(403);

    // An allowed address (here nginx's own, 127.0.0.1) is served the metrics.
    const allowed = await getFrom(gateway, '127.0.0.1', '/metrics');
    expect(allowed.status).toBe(200);
    expect(allowed.text).toContain('ledger_tokens');
  });

  it('allows the compose subnet, less its gateway, on the internal routes', () => {
    const subnet = compose.networks.default.ipam.config[0].subnet;
    const conf = readFileSync(join(__dirname, '..', 'deploy', 'nginx.conf'), 'utf8');
    const blocks = [...conf.matchAll(/location (\/metrics|\/admin\/queues) \{([^}]*)\}/g)];
    expect(blocks.map((b) => b[1])).toEqual(['/metrics', '/admin/queues']);
    const gatewayOfSubnet = subnet.replace(/0\/\d+$/, '1');
    for (const [, , body] of blocks) {
      const rules = body
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => /^(allow|deny) /.test(l));
      expect(rules).toEqual([`deny ${gatewayOfSubnet};`, `allow ${subnet};`, 'allow 127.0.0.1;', 'deny all;']);
    }
  });
});
