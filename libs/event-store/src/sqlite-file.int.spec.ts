import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteFile, setJournalMode } from './sqlite-file';

describe('openSqliteFile journal', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-sqlite-file-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a WAL by default', () => {
    const db = openSqliteFile(join(dir, 'a.db'), { synchronous: 'NORMAL' });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  // better-sqlite3's defensive mode answers the pragma with the old mode instead of failing.
  it('turns the journal off when asked, and writes no journal file', () => {
    const file = join(dir, 'b.db');
    const db = openSqliteFile(file, { synchronous: 'OFF', journal: 'OFF' });
    expect(db.pragma('journal_mode', { simple: true })).toBe('off');
    db.exec('CREATE TABLE t (a)');
    db.transaction(() => db.prepare('INSERT INTO t VALUES (1)').run())();
    expect(existsSync(`${file}-journal`)).toBe(false);
    expect(existsSync(`${file}-wal`)).toBe(false);
    // Only that pragma was let through: the connection is defensive again.
    expect(() => db.exec('PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = sql')).toThrow();
    db.close();
  });

  it('takes an in-memory database as it is', () => {
    const db = openSqliteFile(':memory:', { synchronous: 'OFF' });
    expect(db.pragma('journal_mode', { simple: true })).toBe('memory');
    db.close();
  });

  it('fails loudly when SQLite keeps another journal than the one asked for', () => {
    // SQLite's temporary database (no file name) takes no WAL: the pragma answers `delete`.
    const db = new Database('');
    expect(() => setJournalMode(db, 'the temporary database', 'WAL')).toThrow('the temporary database: SQLite kept journal_mode delete where WAL was asked');
    db.close();
  });
});
