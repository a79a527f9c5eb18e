import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './ledger-config';

describe('EVENT_STORE and DATABASE_URL', () => {
  const LEDGER_DATA_DIR = join(tmpdir(), `ledger-config-absent-${process.pid}`);
  const PG = 'postgres://ledger:pw@db.internal:5432/ledger';
  const ESDB = 'esdb://eventstore:2113?tls=false';
  const store = (env: NodeJS.ProcessEnv) => {
    const { eventStoreUrl, databaseUrl } = loadConfig({ LEDGER_DATA_DIR, ...env });
    return { eventStoreUrl, databaseUrl };
  };

  it('selects PostgreSQL by DATABASE_URL alone or by EVENT_STORE=postgres', () => {
    expect(store({ DATABASE_URL: PG })).toEqual({ eventStoreUrl: null, databaseUrl: PG });
    expect(store({ EVENT_STORE: 'postgres', DATABASE_URL: `${PG}?sslmode=require` })).toEqual({ eventStoreUrl: null, databaseUrl: `${PG}?sslmode=require` });
    expect(store({ DATABASE_URL: 'postgresql:///ledger?host=/var/run/postgresql' }).databaseUrl).toBe('postgresql:///ledger?host=/var/run/postgresql');
  });

  it('lets EVENT_STORE choose when both URLs are set, and refuses to guess without it', () => {
    expect(store({ EVENT_STORE: 'esdb', EVENTSTORE_URL: ESDB, DATABASE_URL: PG })).toEqual({ eventStoreUrl: ESDB, databaseUrl: null });
    expect(store({ EVENT_STORE: 'postgres', EVENTSTORE_URL: ESDB, DATABASE_URL: PG })).toEqual({ eventStoreUrl: null, databaseUrl: PG });
    expect(store({ EVENT_STORE: 'sqlite', DATABASE_URL: PG })).toEqual({ eventStoreUrl: null, databaseUrl: null });
    expect(() => store({ EVENTSTORE_URL: ESDB, DATABASE_URL: PG })).toThrow(/^Invalid configuration: EVENT_STORE must say which store/);
  });

  it.each([
    [{ EVENT_STORE: 'mysql' }, /^Invalid configuration: EVENT_STORE must be one of sqlite, esdb, postgres/],
    [{ EVENT_STORE: 'postgres' }, /^Invalid configuration: DATABASE_URL must be set when EVENT_STORE is postgres/],
    [{ EVENT_STORE: 'esdb' }, /^Invalid configuration: EVENTSTORE_URL must be set when EVENT_STORE is esdb/],
    [{ DATABASE_URL: 'mysql://u:pw@h/db' }, /^Invalid configuration: DATABASE_URL must be a PostgreSQL URL/],
    [{ DATABASE_URL: 'not a url' }, /^Invalid configuration: DATABASE_URL must be a PostgreSQL URL/],
    [{ DATABASE_URL: 'postgres://u:pw@h:5432' }, /^Invalid configuration: DATABASE_URL names no database/],
  ])('refuses %j with one line naming the variable', (env, problem) => {
    expect(() => store(env)).toThrow(ConfigError);
    expect(() => store(env)).toThrow(problem);
  });

  it('never repeats the password of DATABASE_URL', () => {
    const failure = (() => {
      try {
        store({ DATABASE_URL: 'mysql://ledger:s3cret-pw@h/db' });
      } catch (error) {
        return error as Error;
      }
    })();
    expect(failure?.message).toMatch(/DATABASE_URL/);
    expect(failure?.message).not.toContain('s3cret-pw');
  });

  it('refuses a data directory that holds an embedded ledger', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-config-'));
    try {
      writeFileSync(join(dataDir, 'events.sqlite'), '');
      expect(() => loadConfig({ DATABASE_URL: PG, LEDGER_DATA_DIR: dataDir })).toThrow(
        /^Invalid configuration: DATABASE_URL is set, but LEDGER_DATA_DIR .* holds an embedded ledger/,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
