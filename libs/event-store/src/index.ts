export * from './event-store.port';
export * from './event-metadata';
export * from './hash-chain';
export * from './handle-command';
export * from './memory-event-store';
export * from './sqlite-event-store';
// Types only: the adapter itself is loaded by openEventStore / loadEsdbAdapter when configured.
export type { EsdbEventStore, EsdbEventStoreOptions } from './esdb/esdb-event-store';
export type { PostgresEventStore, PostgresEventStoreOptions } from './postgres/postgres-event-store';
export * from './open-event-store';
export * from './chain-verifier';
export * from './read-all-pages';
export * from './sqlite-file';
export * from './ledger-emptiness';
