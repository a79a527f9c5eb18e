import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface SqliteFileOptions {
  synchronous: 'FULL' | 'NORMAL' | 'OFF';
  /**
   * Page cache in KiB. better-sqlite3 builds SQLite with 16 MB a connection; the service keeps
   * three or four connections whose start-up catch-ups read whole files, so each would fill its
   * 16 MB and keep it (about 50 MB of the process for caching what the OS page cache already
   * holds). SQLite's own default, 2 MB, is the service's; a one-off rebuild may ask for more.
   */
  cacheKiB?: number;
}

export const DEFAULT_SQLITE_CACHE_KIB = 2000;

/** A SQLite file (its directory made if needed) in WAL mode with the given durability and cache. */
export function openSqliteFile(file: string, options: SqliteFileOptions): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous}`);
  db.pragma(`cache_size = -${options.cacheKiB ?? DEFAULT_SQLITE_CACHE_KIB}`);
  return db;
}
