import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadConfig } from '@ledger/config';
import { skipLoudly } from './support/skip-loudly';

const yaml: { load(text: string): unknown } = require('js-yaml');

const ROOT = join(__dirname, '..');
const PASSWORD = 'Compose0test0password';

interface ComposeService {
  image?: string;
  command?: string[];
  deploy?: { replicas?: number };
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  volumes?: unknown[];
  networks?: { default?: { ipv4_address?: string } };
}

function composeConfig(env: NodeJS.ProcessEnv) {
  return spawnSync('docker-compose', ['-f', join(ROOT, 'docker-compose.postgres.yml'), 'config'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
    timeout: 30_000,
  });
}

describe('docker-compose.postgres.yml', () => {
  const probe = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    skipLoudly('docker-compose config (PostgreSQL)', "Debian's docker-compose is not installed (apt-get install docker-compose)");
    return;
  }

  let services: Record<string, ComposeService>;
  beforeAll(() => {
    const result = composeConfig({ LEDGER_BOOTSTRAP_TOKEN: 'tlr_compose-config-test-placeholder', POSTGRES_PASSWORD: PASSWORD });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    ({ services } = yaml.load(result.stdout) as { services: Record<string, ComposeService> });
  });

  it('runs PostgreSQL, Redis, three API replicas, the worker and nginx', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'nginx', 'postgres', 'redis', 'worker']);
    expect(services.postgres.image).toMatch(/^postgres:15/);
    expect(services.api.deploy?.replicas).toBe(3);
    expect(services.worker.command).toEqual(['node', 'dist/apps/worker/src/main.js']);
    expect(services.nginx.depends_on).toMatchObject({ api: { condition: 'service_healthy' } });
  });

  it('points every replica and the worker at the one database, after it is healthy, with a configuration the ledger accepts', () => {
    for (const name of ['api', 'worker']) {
      const env = services[name].environment!;
      expect(env).toMatchObject({
        EVENT_STORE: 'postgres',
        DATABASE_URL: `postgres://ledger:${PASSWORD}@postgres:5432/ledger`,
        REDIS_URL: 'redis://redis:6379',
      });
      expect(env.EVENTSTORE_URL).toBeUndefined();
      expect(services[name].depends_on).toMatchObject({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
      const config = loadConfig({ ...env, LEDGER_DATA_DIR: join(ROOT, 'no-such-dir'), LEDGER_BOOTSTRAP_TOKEN: '' });
      expect(config).toMatchObject({ eventStoreUrl: null, databaseUrl: env.DATABASE_URL });
    }
    expect(services.postgres.environment).toMatchObject({ POSTGRES_USER: 'ledger', POSTGRES_DB: 'ledger', POSTGRES_PASSWORD: PASSWORD });
  });

  it('trusts exactly the nginx gateway for client addresses, as docker-compose.yml does', () => {
    const gateway = services.nginx.networks?.default?.ipv4_address;
    expect(gateway).toEqual(expect.any(String));
    for (const name of ['api', 'worker']) expect(services[name].environment?.TRUSTED_PROXIES).toBe(gateway);
  });

  it('refuses to start without the database password or the root token', () => {
    const noPassword = composeConfig({ LEDGER_BOOTSTRAP_TOKEN: 'tlr_x' });
    expect(noPassword.status).not.toBe(0);
    expect(noPassword.stderr).toMatch(/POSTGRES_PASSWORD/);
    const noToken = composeConfig({ POSTGRES_PASSWORD: PASSWORD });
    expect(noToken.status).not.toBe(0);
    expect(noToken.stderr).toMatch(/LEDGER_BOOTSTRAP_TOKEN/);
  });
});
