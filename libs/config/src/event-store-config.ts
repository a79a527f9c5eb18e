import { ConfigError } from './config-values';
import { embeddedLedgerProblem, eventStoreUrlProblem } from './eventstore-url';

export type EventStoreKind = 'sqlite' | 'esdb' | 'postgres';
const KINDS: EventStoreKind[] = ['sqlite', 'esdb', 'postgres'];

/** Which store holds the ledger: at most one of the two URLs is set, the other is null. */
export interface EventStoreSelection {
  /** EventStoreDB connection string (EVENTSTORE_URL). */
  eventStoreUrl: string | null;
  /** PostgreSQL connection URL (DATABASE_URL). */
  databaseUrl: string | null;
}

/**
 * EVENT_STORE names the store; unset, it follows the URL that is set (EVENTSTORE_URL:
 * EventStoreDB, DATABASE_URL: PostgreSQL, neither: the embedded SQLite file). With both URLs set
 * and no EVENT_STORE the choice is refused rather than guessed: DATABASE_URL is often present
 * for other programs. `dataDir`, when given, must not hold an embedded ledger for a server store.
 */
export function eventStoreSelection(env: NodeJS.ProcessEnv, dataDir?: string): EventStoreSelection {
  const kind = env.EVENT_STORE?.trim() || undefined;
  const esdbUrl = env.EVENTSTORE_URL?.trim() || null;
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (kind !== undefined && !KINDS.includes(kind as EventStoreKind)) {
    throw new ConfigError('EVENT_STORE', `must be one of ${KINDS.join(', ')} (got "${kind}")`);
  }
  if (kind === undefined && esdbUrl && databaseUrl) {
    throw new ConfigError('EVENT_STORE', 'must say which store to use (esdb or postgres): both EVENTSTORE_URL and DATABASE_URL are set');
  }
  const chosen = (kind as EventStoreKind | undefined) ?? (esdbUrl ? 'esdb' : databaseUrl ? 'postgres' : 'sqlite');
  if (chosen === 'sqlite') return { eventStoreUrl: null, databaseUrl: null };
  const variable = chosen === 'esdb' ? 'EVENTSTORE_URL' : 'DATABASE_URL';
  const url = chosen === 'esdb' ? esdbUrl : databaseUrl;
  if (!url) throw new ConfigError(variable, `must be set when EVENT_STORE is ${chosen}`);
  const problem = (chosen === 'esdb' ? eventStoreUrlProblem(url) : databaseUrlProblem(url)) ?? (dataDir ? embeddedLedgerProblem(dataDir) : null);
  if (problem) throw new ConfigError(variable, problem);
  return chosen === 'esdb' ? { eventStoreUrl: url, databaseUrl: null } : { eventStoreUrl: null, databaseUrl: url };
}

/** Checks a postgres:// URL without ever repeating it (it may carry a password). */
export function databaseUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be a PostgreSQL URL: postgres://user:password@host:5432/database';
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return 'must be a PostgreSQL URL: postgres://user:password@host:5432/database';
  if (!url.hostname && !url.searchParams.get('host')) return 'has no host';
  if (url.pathname.replace(/^\//, '') === '') return 'names no database (postgres://host:5432/ledger)';
  return null;
}
