import { Logger } from '@nestjs/common';
import type { LedgerConfig } from '@ledger/config';
import { EsdbEventStore, SqliteEventStore, type EventStore } from '@ledger/event-store';

/**
 * EventStoreDB when EVENTSTORE_URL is set (any number of replicas, each with its own read model),
 * else the embedded SQLite file. Either way the rest of the app sees only the port.
 */
export function openEventStore(config: LedgerConfig, sqliteFile: string): EventStore {
  if (!config.eventStoreUrl) return SqliteEventStore.open(sqliteFile);
  const logger = new Logger('EventStore');
  return EsdbEventStore.connect(config.eventStoreUrl, {
    onReconnect: (error) => logger.warn(`subscription to EventStoreDB lost (${(error as Error).message}); subscribing again`),
  });
}
