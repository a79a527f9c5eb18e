import { Logger } from '@nestjs/common';
import type { LedgerConfig } from '@ledger/config';
import { openEventStore as openStore, type EventStore } from '@ledger/event-store';

/** The configured store (see @ledger/event-store openEventStore), logging lost subscriptions. */
export function openEventStore(config: LedgerConfig, sqliteFile: string): EventStore {
  const logger = new Logger('EventStore');
  const server = config.databaseUrl ? 'PostgreSQL' : 'EventStoreDB';
  return openStore(config, sqliteFile, (error) => logger.warn(`connection to ${server} lost (${(error as Error).message}); trying again`));
}
