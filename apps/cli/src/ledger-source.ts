import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openEventStore, type EventStore } from '@ledger/event-store';
import { ConfigError, EVENTS_FILE, eventStoreSelection } from '@ledger/config';
import type { RebuildSource } from '@ledger/projections';
import { CliError } from './cli-error';
import { ServerClient } from './server-client';

export interface SourceOptions {
  dataDir?: string;
  server?: string;
  token?: string;
}

/** Where a command reads the ledger: the data directory itself, or a running server over HTTP. */
export type LedgerSource = { kind: 'data-dir'; dataDir: string; store: EventStore } | { kind: 'server'; client: ServerClient };

export function dataDirOf(options: SourceOptions): string {
  return resolve(options.dataDir ?? process.env.LEDGER_DATA_DIR ?? './data');
}

/**
 * Opens the events file read-alongside: SQLite's WAL lets this process read (and append, for
 * bootstrap) while a server is running on the same directory.
 */
export function openDataDir(options: SourceOptions, { create = false } = {}): { dataDir: string; store: EventStore; source: RebuildSource } {
  const dataDir = dataDirOf(options);
  const file = join(dataDir, EVENTS_FILE);
  // With EVENTSTORE_URL or DATABASE_URL the ledger is on that server, as for the API and the worker.
  const location = eventStoreLocation();
  if (!location.eventStoreUrl && !location.databaseUrl && !create && !existsSync(file)) {
    throw new CliError(`no ledger in ${dataDir}: ${EVENTS_FILE} not found (use --data-dir, LEDGER_DATA_DIR or --server)`);
  }
  // source: where a rebuild's worker threads open their own connections to the same store.
  return { dataDir, store: openEventStore(location, file), source: { location, sqliteFile: file } };
}

/** The same selection as the service's (EVENT_STORE, EVENTSTORE_URL, DATABASE_URL), as a CLI error. */
function eventStoreLocation() {
  try {
    return eventStoreSelection(process.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
}

export function openSource(options: SourceOptions): LedgerSource {
  if (options.server) return { kind: 'server', client: new ServerClient(options.server, options.token ?? process.env.LEDGER_TOKEN) };
  return { kind: 'data-dir', ...openDataDir(options) };
}

export async function closeSource(source: LedgerSource): Promise<void> {
  if (source.kind === 'data-dir') await source.store.close();
}

/** For commands that change files of the data directory and so cannot go through a server. */
export function refuseServer(options: SourceOptions, command: string): void {
  if (options.server) throw new CliError(`${command} works on the data directory only (--data-dir), not against --server`);
}
