import Database from 'better-sqlite3';

/**
 * Everything a token list read model file holds that a rebuild must reproduce: its rows, its
 * checkpoint and its indexes (the list's queries need them: a rebuild that spilled rows mid-way,
 * or folded on several threads, builds them at the end).
 */
export function dumpTokenList(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    return {
      rows: db.prepare('SELECT * FROM tokens ORDER BY id').all(),
      checkpoint: db.prepare('SELECT position FROM checkpoint').pluck().get(),
      indexes: db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tokens' ORDER BY name").pluck().all(),
    };
  } finally {
    db.close();
  }
}
