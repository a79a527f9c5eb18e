import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';
import { REFUSED_PORT } from './support/refused-port';
import { skipLoudly } from './support/skip-loudly';
import { SERVICE_NODE_FLAGS, serviceNodeFlags } from '../bench/support/bench-kit';

// The YAML parser @nestjs/swagger already ships (no types of its own here).
const yaml: { load(text: string): unknown } = require('js-yaml');

const ROOT = join(__dirname, '..');
const BOOTSTRAP = 'tlr_compose-config-test-placeholder';

interface ComposeService {
  image?: string;
  command?: string[];
  healthcheck?: { test: string[] };
  deploy?: { replicas?: number };
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  ports?: unknown[];
  volumes?: unknown[];
}

function composeConfig(env: NodeJS.ProcessEnv) {
  return spawnSync('docker-compose', ['-f', join(ROOT, 'docker-compose.yml'), 'config'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
    timeout: 30_000,
  });
}

/**
 * Runs a health check's `node -e` command the way Docker would, with PORT pointing at `port`.
 * Asynchronously: the API it checks runs in this process.
 */
function runHealthCheck(command: string[], port: number): Promise<number | null> {
  const [program, ...args] = command[0] === 'CMD' ? command.slice(1) : command;
  expect(program).toBe('node');
  const script = args[args.indexOf('-e') + 1].replace('127.0.0.1:3000', `127.0.0.1:${port}`);
  const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  return new Promise((resolve) => child.once('exit', (code) => (clearTimeout(timer), resolve(code))));
}

describe('docker-compose.yml', () => {
  const probe = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    skipLoudly('docker-compose config', "Debian's docker-compose is not installed (apt-get install docker-compose)");
    return;
  }

  let services: Record<string, ComposeService>;
  let volumes: Record<string, unknown>;
  beforeAll(() => {
    const result = composeConfig({ LEDGER_BOOTSTRAP_TOKEN: BOOTSTRAP });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    ({ services, volumes } = yaml.load(result.stdout) as { services: Record<string, ComposeService>; volumes: Record<string, unknown> });
  });

  it('validates, with EventStoreDB, Redis, the API replicas, the worker and nginx, each health-checked', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'eventstore', 'nginx', 'redis', 'worker']);
    for (const [name, service] of Object.entries(services)) expect([name, service.healthcheck?.test.length]).toEqual([name, expect.any(Number)]);
    expect(services.api.deploy?.replicas).toBe(2);
    expect(services.nginx.ports).toHaveLength(1);
    expect(services.api.ports).toBeUndefined();
  });

  it('keeps EventStoreDB and Redis data on volumes, Redis with AOF', () => {
    expect(Object.keys(volumes)).toEqual(expect.arrayContaining(['eventstore-data', 'redis-data']));
    expect(JSON.stringify(services.eventstore.volumes)).toContain('/var/lib/eventstore');
    expect(services.redis.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
  });

  it('points the API and the worker at EventStoreDB and Redis, the worker at its own entry point', () => {
    for (const name of ['api', 'worker']) {
      expect(services[name].environment).toMatchObject({
        EVENTSTORE_URL: 'esdb://eventstore:2113?tls=false',
        REDIS_URL: 'redis://redis:6379',
        LEDGER_BOOTSTRAP_TOKEN: BOOTSTRAP,
      });
      expect(services[name].depends_on).toMatchObject({ eventstore: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    }
    expect(services.worker.command).toEqual(['node', 'dist/apps/worker/src/main.js']);
  });

  it('refuses to start without a shared bootstrap token, saying how to make one', () => {
    const result = composeConfig({});
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('set LEDGER_BOOTSTRAP_TOKEN (npm run --silent root-token)');
  });

  describe('health checks against a real API', () => {
    let server: LedgerServer;
    beforeAll(async () => {
      server = await startLedgerServer();
    });
    afterAll(() => server.close());

    it('passes the compose readiness check and the Dockerfile HEALTHCHECK on a ready API, fails them on a dead port', async () => {
      const port = Number(new URL(server.url).port);
      const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
      const healthcheck = JSON.parse(/HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])/.exec(dockerfile)![1]) as string[];
      const dead = REFUSED_PORT;

      for (const check of [services.api.healthcheck!.test, healthcheck]) {
        expect(await runHealthCheck(check, port)).toBe(0);
        expect(await runHealthCheck(check, dead)).toBe(1);
      }
      // Not ready (projection stopped): compose's check fails, the liveness HEALTHCHECK does not.
      const { Projector } = await import('@ledger/projections');
      await server.app.get(Projector).stop();
      expect((await call(server, 'GET', '/health/ready')).status).toBe(503);
      expect(await runHealthCheck(services.api.healthcheck!.test, port)).toBe(1);
      expect(await runHealthCheck(healthcheck, port)).toBe(0);
      await server.app.get(Projector).start();
    });
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);

  it('builds in one stage and runs production dependencies only, as a non-root user, in another', () => {
    expect(stages).toHaveLength(2);
    const [build, runtime] = stages;
    expect(build).toMatch(/python3 make g\+\+/);
    expect(build).toMatch(/npm run build/);
    expect(runtime).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/COPY --from=build \/app\/dist/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK /m);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-/m);
  });

  it("runs the server with npm start's V8 memory flags, which the benches measure too", () => {
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]) as string[];
    expect(SERVICE_NODE_FLAGS).toEqual(
      expect.arrayContaining([expect.stringMatching(/^--max-semi-space-size=\d+$/), expect.stringMatching(/^--heap-growing-percent=\d+$/), '--expose-gc']),
    );
    expect(cmd).toEqual(['node', ...SERVICE_NODE_FLAGS, 'dist/apps/api/src/main.js']);
    expect(() => serviceNodeFlags('node dist/apps/worker/src/main.js')).toThrow(/node command/);
  });
});
