/**
 * Short-lived access tokens (issue 15), on the built ledger (`npm start`'s node flags):
 * - exchanges/s: POST /oauth2/token (client_credentials, HTTP Basic) at 16 connections, spread over
 *   16 ledger tokens; each exchange is a durable append (AccessTokenIssued) before the JWT is signed;
 * - the ledger's verify of an access token vs of an opaque token, in one run (POST /v1/tokens/verify,
 *   16 connections, alternating rounds);
 * - offline verification in a consumer with a cached JWKS (jose createRemoteJWKSet fetched once, then
 *   jwtVerify in a loop in this process): verifications per second per CPU second, no network.
 * The admin rate limits are off for the run (they would cap exchanges per client address).
 * Prints one JSON line per measurement and a summary; figures on a shared machine: read them with
 * the load average the summary carries.
 * Run: npm run bench -- access-tokens   (BENCH_DURATION_S, BENCH_ROUNDS shorten it)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { formatTokenValue } from '@ledger/token-domain';
import { buildIfNeeded, freePort, stopProcess } from './support/bench-kit';
import { cleanUpOnSignal } from './support/clean-up-on-signal';
import { load, round1, startLedger } from './support/ledger-process';

const CONNECTIONS = 16;
const PARENTS = 16;
const WARMUP_S = 1;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const OFFLINE_S = Number(process.env.BENCH_OFFLINE_S ?? 3);
const ISSUER = 'https://ledger.bench';

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

async function post(url: string, body: unknown, headers: Record<string, string>): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** Verifications per CPU second of this process: one core, the JWKS fetched once and cached. */
async function offlineVerifications(jwksUrl: string, tokens: string[]): Promise<{ per_cpu_s: number; per_s: number; count: number }> {
  const jwks = createRemoteJWKSet(new URL(jwksUrl));
  for (const token of tokens) await jwtVerify(token, jwks, { issuer: ISSUER, typ: 'at+jwt', algorithms: ['ES256'] });
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  let count = 0;
  const until = Date.now() + OFFLINE_S * 1000;
  while (Date.now() < until) {
    for (let i = 0; i < 100; i++) await jwtVerify(tokens[(count + i) % tokens.length], jwks, { issuer: ISSUER, typ: 'at+jwt', algorithms: ['ES256'] });
    count += 100;
  }
  const used = process.cpuUsage(cpu);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { per_cpu_s: Math.round(count / ((used.user + used.system) / 1e6)), per_s: Math.round(count / seconds), count };
}

async function main(): Promise<void> {
  buildIfNeeded();
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-bench-access-'));
  const root = formatTokenValue('root', randomBytes(32));
  let ledger: Awaited<ReturnType<typeof startLedger>> | undefined;
  const removeHandlers = cleanUpOnSignal(() => {
    ledger?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });
  try {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    // The admin rate limits (per client address) would cap the exchanges: the bench measures the ledger.
    ledger = await startLedger(dataDir, port, {
      LEDGER_BOOTSTRAP_TOKEN: root,
      ACCESS_TOKEN_ISSUER: ISSUER,
      ADMIN_RATE_LIMIT: 'off',
      ADMIN_PROJECT_RATE_LIMIT: 'off',
    });
    const parents: Array<{ id: string; value: string }> = [];
    for (let i = 0; i < PARENTS; i++) {
      const created = await post(`${base}/v1/projects/bench/tokens`, { name: `client ${i}`, scopes: ['read', 'write'] }, { authorization: `Bearer ${root}` });
      parents.push({ id: created.token.id, value: created.value });
    }
    const basic = parents.map((p) => `Basic ${Buffer.from(`${p.id}:${p.value}`).toString('base64')}`);
    let next = 0;
    const exchange = await load({
      bench: 'access-tokens',
      server: 'ledger',
      route: 'exchange',
      url: `${base}/oauth2/token`,
      request: {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&scope=read',
        // Each request authenticates as the next of the 16 tokens: 16 streams appended to at once.
        setupClient: (client: { setHeaders: (h: object) => void }) =>
          client.setHeaders({ 'content-type': 'application/x-www-form-urlencoded', authorization: basic[next++ % basic.length] }),
      },
      connections: CONNECTIONS,
      warmupS: WARMUP_S,
      seconds: DURATION_S,
      pid: ledger.pid,
    });

    const jwts: string[] = [];
    for (const p of parents) jwts.push((await post(`${base}/v1/auth`, { clientId: p.id, secret: p.value }, {})).accessToken);
    const verifyRuns: Record<'access_token' | 'opaque', number[]> = { access_token: [], opaque: [] };
    const cpuRuns: Record<'access_token' | 'opaque', number[]> = { access_token: [], opaque: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [kind, token] of [
        ['access_token', jwts[0]],
        ['opaque', parents[0].value],
      ] as const) {
        const run = await load({
          bench: 'access-tokens',
          server: 'ledger',
          route: `verify-${kind}`,
          url: `${base}/v1/tokens/verify`,
          request: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, scopes: ['read'] }) },
          connections: CONNECTIONS,
          warmupS: WARMUP_S,
          seconds: DURATION_S,
          pid: ledger.pid,
          round,
        });
        verifyRuns[kind].push(run.requests.average);
        cpuRuns[kind].push(run.cpuUsPerRequest ?? 0);
      }
    }

    const offline = await offlineVerifications(`${base}/.well-known/jwks.json`, jwts);
    process.stdout.write(
      JSON.stringify({
        bench: 'access-tokens-summary',
        load_average: loadavg().map((l) => round1(l)),
        cores: cpus().length,
        exchanges_per_s: Math.round(exchange.requests.average),
        exchange_p99_ms: exchange.latency.p99,
        exchange_connections: CONNECTIONS,
        ledger_verify_req_per_s: { access_token: Math.round(mean(verifyRuns.access_token)), opaque: Math.round(mean(verifyRuns.opaque)) },
        ledger_verify_cpu_us_per_req: { access_token: Math.round(mean(cpuRuns.access_token)), opaque: Math.round(mean(cpuRuns.opaque)) },
        offline_verifications_per_cpu_s: offline.per_cpu_s,
        offline_verifications_per_s_one_thread: offline.per_s,
        offline_seconds: OFFLINE_S,
        rounds: ROUNDS,
        seconds_per_round: DURATION_S,
      }) + '\n',
    );
  } finally {
    await stopProcess(ledger);
    removeHandlers();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`access-tokens bench failed: ${error instanceof Error ? error.message : error}\n`);
  process.exitCode = 1;
});
