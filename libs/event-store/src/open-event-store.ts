import type { EventStore } from './event-store.port';
import type * as esdb from './esdb/esdb-event-store';
import type * as postgres from './postgres/postgres-event-store';
import { SqliteEventStore } from './sqlite-event-store';

/** Where the ledger lives (LedgerConfig has both fields): at most one URL is set. */
export interface EventStoreLocation {
  /** EventStoreDB connection string. */
  eventStoreUrl: string | null;
  /** PostgreSQL URL. */
  databaseUrl?: string | null;
}

/**
 * EventStoreDB or PostgreSQL when a connection string is given (any number of replicas, each
 * with its own read model), else the embedded SQLite file. Either way callers see only the port.
 */
export function openEventStore({ eventStoreUrl, databaseUrl }: EventStoreLocation, sqliteFile: string, onReconnect?: (error: unknown) => void): EventStore {
  if (databaseUrl) return loadPostgresAdapter().PostgresEventStore.connect(databaseUrl, { onReconnect });
  if (eventStoreUrl) return loadEsdbAdapter().EsdbEventStore.connect(eventStoreUrl, { onReconnect });
  return SqliteEventStore.open(sqliteFile);
}

/**
 * The EventStoreDB adapter, loaded on first use: its gRPC client costs about 20 MB of RSS, which
 * a ledger on the embedded store should not pay.
 */
export const loadEsdbAdapter = (): typeof esdb => require('./esdb/esdb-event-store') as typeof esdb;

/** The PostgreSQL adapter and its driver, likewise loaded only when configured. */
export const loadPostgresAdapter = (): typeof postgres => require('./postgres/postgres-event-store') as typeof postgres;
