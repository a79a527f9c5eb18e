import { EventStoreDBClient } from '@eventstore/db-client';
import { ConfigError, loadConfig } from './ledger-config';

describe('EVENTSTORE_URL', () => {
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
    expect(loadConfig({ EVENTSTORE_URL: url }).eventStoreUrl).toBe(url);
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
    expect(() => loadConfig({ EVENTSTORE_URL: url })).toThrow(ConfigError);
    expect(() => loadConfig({ EVENTSTORE_URL: url })).toThrow(/^Invalid configuration: EVENTSTORE_URL /);
    expect(() => loadConfig({ EVENTSTORE_URL: url })).toThrow(problem);
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
