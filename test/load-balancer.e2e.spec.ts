import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENTS_FILE } from '../apps/api/src/store/ledger-store.module';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';
import { nginxInstalled, startNginxGateway, type NginxGateway } from './support/nginx-gateway';
import { skipLoudly } from './support/skip-loudly';

/**
 * deploy/nginx.conf, run by a real nginx in front of two replicas on one event store (SQLite
 * standing in for EventStoreDB): one port for all, a caller's requests stay on one replica (so
 * it reads its own writes), and a replica that goes away is routed around.
 */
describe('nginx in front of two replicas', () => {
  if (!nginxInstalled()) {
    skipLoudly('nginx load balancer', 'nginx is not installed');
    return;
  }

  let a: LedgerServer;
  let b: LedgerServer;
  let lb: NginxGateway;

  beforeAll(async () => {
    a = await startLedgerServer();
    const dirB = mkdtempSync(join(tmpdir(), 'ledger-lb-b-'));
    symlinkSync(join(a.dataDir, EVENTS_FILE), join(dirB, EVENTS_FILE));
    b = await startLedgerServer({ dataDir: dirB });

    lb = await startNginxGateway([a, b].map((r) => new URL(r.url).host));
  });

  afterAll(async () => {
    await lb?.stop();
    await b?.close();
    await a?.close();
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
