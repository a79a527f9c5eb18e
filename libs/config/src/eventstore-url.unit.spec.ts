import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The client as the adapter imports it (its one import of the library).
import { EventStoreDBClient } from '../../event-store/src/esdb/esdb-client';
import { ConfigError, loadConfig } from './ledger-config';

describe('EVENTSTORE_URL', () => {
  // Not ./data: a developer's embedded ledger there must not change these answers.
  const LEDGER_DATA_DIR = join(tmpdir(), `ledger-config-absent-${process.pid}`);

  it('is unset by default: the embedded SQLite store', () => {
    expect(loadConfig({}).eventStoreUrl).toBeNull();
  });

  it.each([
    'esdb://localhost:2113?tls=false',
    'esdb://eventstore:2113?tls=false&nodePreference=leader&defaultDeadline=5000',
    'esdb://admin:changeit@node1:2113,node2:2113,node3:2113?tls=true&connectionName=api-1',
    'esdb+discover://cluster.internal:2113?tls=true&nodePreference=follower',
    'esdb://127.0.0.1?TLS=false&node_preference=read_only_replica',
  ])('accepts %s, as the client does', (url) => {
    expect(loadConfig({ EVENTSTORE_URL: url, LEDGER_DATA_DIR }).eventStoreUrl).toBe(url);
    expect(() => EventStoreDBClient.connectionString(url)).not.toThrow();
  });

  it.each([
    ['http://localhost:2113', /must be an EventStoreDB connection string/],
    ['localhost:2113', /must be an EventStoreDB connection string/],
    ['esdb://', /node that is not host/],
    ['esdb://host:99999', /port outside/],
    ['esdb://host:2113?tls=maybe', /tls must be true or false/],
    ['esdb://host:2113?tsl=false', /unknown option tsl/],
    ['esdb://host:2113?defaultDeadline=soon', /whole number/],
    ['esdb://host:2113?nodePreference=nearest', /nodePreference must be/],
    ['esdb://host:2113?throwOnAppendFailure=false', /not supported/],
    ['esdb+discover://a:2113,b:2113', /one DNS name/],
    ['esdb://admin@host:2113', /user:password/],
    ['esdb://host:2113?tls=true&tlsCAFile=%2Fnowhere%2Fca.crt', /tlsCAFile names a file that does not exist/],
  ])('refuses %s with one line naming the variable', (url, problem) => {
    expect(() => loadConfig({ EVENTSTORE_URL: url, LEDGER_DATA_DIR })).toThrow(ConfigError);
    expect(() => loadConfig({ EVENTSTORE_URL: url, LEDGER_DATA_DIR })).toThrow(/^Invalid configuration: EVENTSTORE_URL /);
    expect(() => loadConfig({ EVENTSTORE_URL: url, LEDGER_DATA_DIR })).toThrow(problem);
  });

  it('refuses a data directory that holds an embedded ledger, whose read model would not fit', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-config-'));
    try {
      expect(loadConfig({ EVENTSTORE_URL: 'esdb://h:2113?tls=false', LEDGER_DATA_DIR: dataDir }).eventStoreUrl).not.toBeNull();
      writeFileSync(join(dataDir, 'events.sqlite'), '');
      expect(() => loadConfig({ EVENTSTORE_URL: 'esdb://h:2113?tls=false', LEDGER_DATA_DIR: dataDir })).toThrow(
        /^Invalid configuration: EVENTSTORE_URL is set, but LEDGER_DATA_DIR .* holds an embedded ledger/,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('never repeats a password from the connection string', () => {
    const url = 'esdb://admin:s3cret-pw@host:2113?tls=maybe';
    expect(() => loadConfig({ EVENTSTORE_URL: url })).toThrow(ConfigError);
    try {
      loadConfig({ EVENTSTORE_URL: url });
    } catch (e) {
      expect((e as Error).message).not.toContain('s3cret-pw');
    }
  });
});
