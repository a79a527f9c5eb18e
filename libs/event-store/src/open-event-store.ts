import type { EventStore } from './event-store.port';
import type * as esdb from './esdb/esdb-event-store';
import { SqliteEventStore } from './sqlite-event-store';

/**
 * EventStoreDB when a connection string is given (any number of replicas, each with its own read
 * model), else the embedded SQLite file. Either way callers see only the port.
 */
export function openEventStore(
  eventStoreUrl: string | null,
  sqliteFile: string,
  onReconnect?: (error: unknown) => void,
): EventStore {
  if (!eventStoreUrl) return SqliteEventStore.open(sqliteFile);
  return loadEsdbAdapter().EsdbEventStore.connect(eventStoreUrl, { onReconnect });
}

/**
 * The EventStoreDB adapter, loaded on first use: its gRPC client costs about 20 MB of RSS, which
 * a ledger on the embedded store should not pay.
 */
export const loadEsdbAdapter = (): typeof esdb => require('./esdb/esdb-event-store');
