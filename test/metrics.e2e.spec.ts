import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatTokenValue } from '@ledger/token-domain';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

const unknownToken = () => formatTokenValue('project', randomBytes(32));

/** The value of one sample line of the Prometheus text, 0 when the series is absent. */
async function sample(server: LedgerServer, series: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  const servers: LedgerServer[] = [];
  afterAll(() => Promise.all(servers.map((s) => s.close())));
  const start = async (env: NodeJS.ProcessEnv = {}) => {
    const server = await startLedgerServer({ env });
    servers.push(server);
    return server;
  };
  const createToken = async (server: LedgerServer, project = 'shop') => {
    const { body } = await call(server, 'POST', `/v1/projects/${project}/tokens`, { token: server.rootToken, body: { name: 'svc', scopes: ['orders:read'] } });
    return { id: body.token.id as string, value: body.value as string };
  };

  it('counts verifications by route and result, and times both hot paths by route template', async () => {
    const server = await start();
    const { value } = await createToken(server);
    const verifyValid = 'ledger_verifications_total{route="/v1/tokens/verify",result="valid"}';
    const checkScope = 'ledger_verifications_total{route="/v1/auth/check",result="insufficient_scope"}';
    const verifyLatency = 'ledger_http_request_duration_seconds_count{route="/v1/tokens/verify",method="POST",status="200"}';
    const checkLatency = 'ledger_http_request_duration_seconds_count{route="/v1/auth/check",method="GET",status="403"}';
    const before = await Promise.all([verifyValid, checkScope, verifyLatency, checkLatency].map((s) => sample(server, s)));
    await call(server, 'POST', '/v1/tokens/verify', { body: { token: value } });
    await call(server, 'POST', '/v1/tokens/verify', { body: { token: value } });
    await call(server, 'GET', '/v1/auth/check?scope=orders:write', { token: value });
    const after = await Promise.all([verifyValid, checkScope, verifyLatency, checkLatency].map((s) => sample(server, s)));
    expect(after.map((n, i) => n - before[i])).toEqual([2, 1, 2, 1]);
    expect(await sample(server, 'ledger_verifications_total{route="/v1/tokens/verify",result="not_found"}')).toBe(0);
  });

  it('counts 429s by bucket: failed credentials and the admin limit', async () => {
    const server = await start({ FAILED_AUTH_LIMIT: '2/1m' });
    for (let i = 0; i < 3; i++) await call(server, 'POST', '/v1/tokens/verify', { body: { token: unknownToken() } });
    expect(await sample(server, 'ledger_rate_limited_total{bucket="failed_credentials"}')).toBe(1);
    // The third was verified (not_found) and then went over the bucket's limit: counted as both.
    expect(await sample(server, 'ledger_verifications_total{route="/v1/tokens/verify",result="not_found"}')).toBe(3);
    await call(server, 'POST', '/v1/tokens/verify', { body: { token: unknownToken() } });
    expect(await sample(server, 'ledger_verifications_total{route="/v1/tokens/verify",result="rate_limited"}')).toBe(1);
    expect(await sample(server, 'ledger_rate_limited_total{bucket="failed_credentials"}')).toBe(2);
    expect(await sample(server, 'ledger_rate_limited_total{bucket="admin"}')).toBe(0);

    const admin = await start({ ADMIN_RATE_LIMIT: '3/1m' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(admin, 'GET', '/v1/projects/shop/tokens', { token: admin.rootToken })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(await sample(admin, 'ledger_rate_limited_total{bucket="failed_credentials"}')).toBe(0);
    expect(await sample(admin, 'ledger_rate_limited_total{bucket="admin"}')).toBe(statuses.filter((s) => s === 429).length);
  });

  it('gauges tokens by project and status and the projection lag, and holds no token value', async () => {
    const server = await start();
    const a = await createToken(server, 'shop');
    const b = await createToken(server, 'shop');
    const c = await createToken(server, 'billing');
    expect((await call(server, 'DELETE', `/v1/projects/shop/tokens/${b.id}`, { token: server.rootToken })).status).toBe(200);
    expect(await sample(server, 'ledger_tokens{project="shop",status="active"}')).toBe(1);
    expect(await sample(server, 'ledger_tokens{project="shop",status="revoked"}')).toBe(1);
    expect(await sample(server, 'ledger_tokens{project="billing",status="active"}')).toBe(1);
    // Caught up after the writes were answered (read-your-writes): no lag for either read model.
    for (const readModel of ['token_list']) {
      expect(await sample(server, `ledger_projection_lag_events{read_model="${readModel}"}`)).toBe(0);
      expect(await sample(server, `ledger_projection_lag_seconds{read_model="${readModel}"}`)).toBe(0);
    }
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toContain('ledger_projection_lag_events{read_model="reminders"}');
    for (const token of [a, b, c, { value: server.rootToken }]) expect(text).not.toContain(token.value);
    expect(text).not.toMatch(/tl[piur]_[0-9A-Za-z]{20,}/);
  });

  it('METRICS=off takes the request metrics off (the gauges stay)', async () => {
    const server = await start({ METRICS: 'off' });
    const { value } = await createToken(server);
    await call(server, 'POST', '/v1/tokens/verify', { body: { token: value } });
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).not.toContain('ledger_verifications_total{');
    expect(text).not.toContain('ledger_http_request_duration_seconds_count{');
    expect(text).toContain('ledger_tokens{project="shop",status="active"} 1');
  });

  it('the Grafana dashboard (deploy/grafana) queries only series the service exposes', async () => {
    const server = await start();
    const { value } = await createToken(server);
    await call(server, 'POST', '/v1/tokens/verify', { body: { token: value } });
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const exposed = new Set(
      text
        .split('\n')
        .filter((l) => l.startsWith('# TYPE '))
        .map((l) => l.split(' ')[2]),
    );
    const dashboard = JSON.parse(readFileSync(join(__dirname, '../deploy/grafana/token-ledger.dashboard.json'), 'utf8')) as {
      panels: Array<{ targets: Array<{ expr: string }> }>;
    };
    const used = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/ledger_[a-z_0-9]+/g) ?? []));
    expect(used.length).toBeGreaterThan(10);
    for (const name of used) expect([name, exposed.has(name.replace(/_(bucket|count|sum)$/, ''))]).toEqual([name, true]);
  });
});
