import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@ledger/config';
import { skipLoudly } from './support/skip-loudly';

// The YAML parser @nestjs/swagger already ships (no types of its own here).
const yaml: { load(text: string): unknown } = require('js-yaml');

const ROOT = join(__dirname, '..');
const PASSWORD = 'Compose0test0password';

interface ComposeService {
  image?: string;
  entrypoint?: string | string[];
  command?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  volumes?: string[];
}

function composeConfig(env: NodeJS.ProcessEnv) {
  return spawnSync('docker-compose', ['-f', join(ROOT, 'docker-compose.yml'), '-f', join(ROOT, 'docker-compose.secure-esdb.yml'), 'config'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
    timeout: 30_000,
  });
}

describe('docker-compose.secure-esdb.yml over docker-compose.yml', () => {
  const probe = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    skipLoudly('docker-compose config (secure EventStoreDB)', "Debian's docker-compose is not installed (apt-get install docker-compose)");
    return;
  }

  let services: Record<string, ComposeService>;
  beforeAll(() => {
    const result = composeConfig({ LEDGER_BOOTSTRAP_TOKEN: 'tlr_compose-config-test-placeholder', EVENTSTORE_ADMIN_PASSWORD: PASSWORD });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    ({ services } = yaml.load(result.stdout) as { services: Record<string, ComposeService> });
  });

  it('makes the certificates once with es-gencert-cli before EventStoreDB starts', () => {
    expect(services['esdb-certs'].image).toMatch(/^eventstore\/es-gencert-cli:/);
    const script = services['esdb-certs'].command!.join('\n');
    expect(script).toMatch(/if \[ ! -f \/certs\/node\/node.crt \]/);
    expect(script).toMatch(/create-ca/);
    expect(script).toMatch(/create-node .*-dns-names eventstore/);
    expect(services.eventstore.depends_on).toMatchObject({ 'esdb-certs': { condition: 'service_completed_successfully' } });
  });

  it('runs EventStoreDB with TLS and a password of the operator’s, health-checked over HTTPS', () => {
    expect(services.eventstore.environment).toMatchObject({
      EVENTSTORE_INSECURE: 'false',
      EVENTSTORE_CERTIFICATE_FILE: '/etc/eventstore/certs/node/node.crt',
      EVENTSTORE_CERTIFICATE_PRIVATE_KEY_FILE: '/etc/eventstore/certs/node/node.key',
      EVENTSTORE_TRUSTED_ROOT_CERTIFICATES_PATH: '/etc/eventstore/certs/ca',
      EVENTSTORE_DEFAULT_ADMIN_PASSWORD: PASSWORD,
    });
    expect(services.eventstore.volumes).toEqual(expect.arrayContaining(['esdb-certs:/etc/eventstore/certs:ro']));
    expect(services.eventstore.healthcheck!.test.join(' ')).toContain('https://localhost:2113/health/live');
  });

  it('points the API and the worker at it over TLS with credentials the ledger accepts, giving them the CA certificate only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-secure-compose-'));
    try {
      const ca = join(dir, 'ca.crt');
      writeFileSync(ca, '');
      for (const name of ['api', 'worker']) {
        const url = services[name].environment!.EVENTSTORE_URL;
        expect(url).toBe(`esdb://admin:${PASSWORD}@eventstore:2113?tls=true&tlsCAFile=/etc/ledger/esdb/ca.crt`);
        // The same string as the ledger checks it at start, with the CA where this machine has one.
        const local = url.replace('/etc/ledger/esdb/ca.crt', ca);
        expect(loadConfig({ EVENTSTORE_URL: local, LEDGER_DATA_DIR: join(dir, 'data') }).eventStoreUrl).toBe(local);
        expect(services[name].volumes).toEqual(expect.arrayContaining(['esdb-trust:/etc/ledger/esdb:ro']));
        expect(JSON.stringify(services[name].volumes)).not.toMatch(/esdb-ca|esdb-certs/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start without the admin password, saying which variable to set', () => {
    const result = composeConfig({ LEDGER_BOOTSTRAP_TOKEN: 'tlr_compose-config-test-placeholder' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('set EVENTSTORE_ADMIN_PASSWORD');
  });
});
