import Database from 'better-sqlite3';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { EventStoreUnavailableError } from './event-store.port';

export interface SqliteFileOptions {
  synchronous: 'FULL' | 'NORMAL' | 'OFF';
  /**
   * OFF only for a file nothing else opens until it is complete (a rebuild's output, renamed into
   * place at the end): a crash mid-write can leave it corrupt, so it must be deleted, never opened.
   */
  journal?: 'WAL' | 'OFF';
  /** Bytes of the file read through mmap instead of read() (SQLite's default: none). */
  mmapBytes?: number;
}

/**
 * Page cache in KiB, SQLite's own default, for every connection. better-sqlite3 builds SQLite with
 * 16 MB a connection; the service keeps three or four connections whose start-up catch-ups read
 * whole files, so each would fill its 16 MB and keep it (about 50 MB of the process for caching
 * what the OS page cache already holds). A rebuild's file is no exception: its index build sorts
 * faster in runs of this size (docs/performance.md, "Several threads, ranges of streams claimed in turn").
 */
const SQLITE_CACHE_KIB = 2000;

/** A SQLite file (its directory made if needed) in WAL mode, unless told otherwise, with the given durability and cache. */
export function openSqliteFile(file: string, options: SqliteFileOptions): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    setJournalMode(db, file, options.journal ?? 'WAL');
  } catch (error) {
    db.close();
    throw error;
  }
  db.pragma(`synchronous = ${options.synchronous}`);
  db.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
  if (options.mmapBytes) db.pragma(`mmap_size = ${options.mmapBytes}`);
  return db;
}

/**
 * Sets the journal and checks that SQLite took it: the pragma answers with the mode in force and
 * never fails. better-sqlite3 opens connections in SQLite's defensive mode, which keeps the journal
 * on when asked for OFF; OFF is lifted out of it for this one statement. An in-memory database
 * only has a memory journal.
 */
export function setJournalMode(db: Database.Database, file: string, mode: 'WAL' | 'OFF'): void {
  if (mode === 'OFF') db.unsafeMode(true);
  let inForce: unknown;
  try {
    inForce = db.pragma(`journal_mode = ${mode}`, { simple: true });
  } finally {
    if (mode === 'OFF') db.unsafeMode(false);
  }
  const wanted = file === ':memory:' ? 'memory' : mode.toLowerCase();
  if (inForce !== wanted) throw new Error(`${file}: SQLite kept journal_mode ${String(inForce)} where ${mode} was asked`);
}

/** Deletes a SQLite file with its WAL and shared-memory files (left behind, SQLite would replay the WAL into a new file). */
export function removeSqliteFile(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}

/** SQLite found the file damaged: no retry mends it, the process must stop and say which file. */
export class CorruptSqliteFileError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    advice: string,
  ) {
    super(`${file} is corrupt (${detail}); ${advice}`);
    this.name = 'CorruptSqliteFileError';
  }
}

const CORRUPT_CODES = /^SQLITE_(CORRUPT|NOTADB)/;

/** What to do about a damaged file that only derived data lives in. */
export const DERIVED_FILE_ADVICE = 'it holds derived data only: stop the process, delete the file and start again to rebuild it from the ledger';

/** `error` as a CorruptSqliteFileError naming `file` when SQLite reported damage, else unchanged. */
export function namingCorruptFile(file: string, error: unknown, advice: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CORRUPT_CODES.test(code) ? new CorruptSqliteFileError(file, `${code}: ${(error as Error).message}`, advice) : error;
}

/**
 * SQLite failures that are the file's state, not the statement's: locked by another process past
 * the busy timeout, an I/O error, a full disk, a read-only or vanished file. The same write may
 * succeed later (space freed, lock released).
 */
export const TRANSIENT_SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|READONLY|CANTOPEN|NOMEM)/;

export function isTransientSqliteError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_SQLITE_CODES.test(code);
}

/** Store errors that are the state of a file or a connection, not of the events: worth a retry. */
export function isTransientStoreError(error: unknown): boolean {
  return error instanceof EventStoreUnavailableError || isTransientSqliteError(error);
}
