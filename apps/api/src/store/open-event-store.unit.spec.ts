import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@ledger/config';
import { loadEsdbAdapter, loadPostgresAdapter, SqliteEventStore } from '@ledger/event-store';
import { openEventStore } from './open-event-store';

describe('openEventStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-open-store-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opens the embedded SQLite file when EVENTSTORE_URL is unset', async () => {
    const store = openEventStore(loadConfig({ LEDGER_DATA_DIR: dir }), join(dir, 'events.sqlite'));
    expect(store).toBeInstanceOf(SqliteEventStore);
    await store.close();
  });

  it('connects to EventStoreDB when EVENTSTORE_URL is set, and writes no SQLite file', async () => {
    const config = loadConfig({ LEDGER_DATA_DIR: dir, EVENTSTORE_URL: 'esdb://127.0.0.1:1?tls=false' });
    const store = openEventStore(config, join(dir, 'events.sqlite'));
    expect(store).toBeInstanceOf(loadEsdbAdapter().EsdbEventStore);
    await store.close();
    expect(existsSync(join(dir, 'events.sqlite'))).toBe(false);
  });

  it('connects to PostgreSQL when DATABASE_URL is set, and writes no SQLite file', async () => {
    const config = loadConfig({ LEDGER_DATA_DIR: dir, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/ledger' });
    const store = openEventStore(config, join(dir, 'events.sqlite'));
    expect(store).toBeInstanceOf(loadPostgresAdapter().PostgresEventStore);
    await store.close();
    expect(existsSync(join(dir, 'events.sqlite'))).toBe(false);
  });
});
