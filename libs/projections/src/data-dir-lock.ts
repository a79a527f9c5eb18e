import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Another process already holds this data directory's read models. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly file: string,
    role: string,
  ) {
    super(
      `LEDGER_DATA_DIR ${dataDir} is in use by another ${role} process (it holds ${file}); stop that process, ` +
        `or give this one its own LEDGER_DATA_DIR (replicas may share events.sqlite, never their read models)`,
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  release(): void;
}

/**
 * Claims the read models of `dataDir` for one process of a role (`api`, `worker`): two
 * processes applying the same events to one read model would apply them twice.
 *
 * The lock is a SQLite file held in EXCLUSIVE locking mode after a write: SQLite keeps its
 * POSIX lock on the file until the connection closes, and the kernel drops it when the process
 * dies, kill -9 included, so there is no stale lock to clean up. Other processes (and other
 * connections of this one) get SQLITE_BUSY at once. Only the lock file is locked: the CLI and
 * replicas still read events.sqlite as before.
 */
export function lockDataDir(dataDir: string, role: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, `${role}.lock`);
  // timeout 0: refuse at once rather than wait for better-sqlite3's default 5 s busy timeout.
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, since TEXT NOT NULL)');
    // The write takes the EXCLUSIVE lock; the pid is for an operator reading the file, not for the lock.
    db.prepare('INSERT OR REPLACE INTO holder (id, pid, since) VALUES (1, ?, ?)').run(process.pid, new Date().toISOString());
  } catch (error) {
    db.close();
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code)) throw new DataDirLockedError(dataDir, file, role);
    throw error;
  }
  return { release: () => db.open && db.close() };
}
