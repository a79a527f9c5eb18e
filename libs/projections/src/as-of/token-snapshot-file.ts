import Database from 'better-sqlite3';
import { openSqliteFile } from '@ledger/event-store';
import type { TokenRow } from '../token-list.projection';
import type { SnapshotMark } from './replay-plan';

// Each snapshot stores only the rows changed since the previous one, so the file grows with the
// log (not tokens × snapshots); the list at a snapshot is the latest version of each row up to it.
const TABLES = `
CREATE TABLE IF NOT EXISTS snapshots (
  position INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL,
  previous_position INTEGER NOT NULL,
  max_time INTEGER NOT NULL,
  chunk_min_time INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS snapshot_rows (
  position INTEGER NOT NULL,
  id TEXT NOT NULL,
  project_id TEXT NOT NULL,
  row TEXT NOT NULL,
  PRIMARY KEY (position, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS snapshot_rows_by_project ON snapshot_rows (project_id, position);
`;

export interface StoredSnapshot extends SnapshotMark {
  /** Id of the event at `position`: a store replaced by another one no longer has it there. */
  eventId: string;
  /** Position of the event before it (0 for none): reading after it finds that event in any store. */
  previousPosition: number;
}

/**
 * Snapshots of the token list replay, in their own SQLite file beside the read model. They are
 * derived data (rebuildable from the log at any time), so nothing here is fsynced.
 */
export class TokenSnapshotFile {
  private readonly insertSnapshot: Database.Statement;
  private readonly insertRow: Database.Statement;

  private constructor(readonly db: Database.Database) {
    db.exec(TABLES);
    this.insertSnapshot = db.prepare(
      'INSERT OR IGNORE INTO snapshots (position, event_id, previous_position, max_time, chunk_min_time) VALUES (?, ?, ?, ?, ?)',
    );
    this.insertRow = db.prepare('INSERT OR IGNORE INTO snapshot_rows (position, id, project_id, row) VALUES (?, ?, ?, ?)');
  }

  static open(file: string): TokenSnapshotFile {
    const db = openSqliteFile(file, { synchronous: 'OFF' });
    // Another process (the CLI beside a server) may be writing the same snapshot: wait for it.
    db.pragma('busy_timeout = 5000');
    return new TokenSnapshotFile(db);
  }

  /** Every snapshot, in position order. */
  snapshots(): StoredSnapshot[] {
    return this.db
      .prepare(
        'SELECT position, event_id AS eventId, previous_position AS previousPosition, max_time AS maxTime, chunk_min_time AS chunkMinTime FROM snapshots ORDER BY position',
      )
      .all() as StoredSnapshot[];
  }

  /** A snapshot and the rows changed since the previous one, together or not at all. */
  write(snapshot: StoredSnapshot, changed: Iterable<TokenRow>): void {
    this.db.transaction(() => {
      for (const row of changed) this.insertRow.run(snapshot.position, row.id, row.projectId, JSON.stringify(row));
      this.insertSnapshot.run(snapshot.position, snapshot.eventId, snapshot.previousPosition, snapshot.maxTime, snapshot.chunkMinTime);
    })();
  }

  /** The token rows as they stood at snapshot `position` (one project's, if given). */
  rowsAt(position: number, projectId?: string): Map<string, TokenRow> {
    const rows = new Map<string, TokenRow>();
    // all() over iterate(): one call into SQLite instead of one per row.
    const versions = (
      projectId === undefined
        ? this.db.prepare('SELECT row FROM snapshot_rows WHERE position <= ? ORDER BY position').pluck().all(position)
        : this.db.prepare('SELECT row FROM snapshot_rows WHERE project_id = ? AND position <= ? ORDER BY position').pluck().all(projectId, position)
    ) as string[];
    for (const text of versions) {
      const row = JSON.parse(text) as TokenRow;
      rows.set(row.id, row);
    }
    return rows;
  }

  /** Forgets every snapshot from `position` on (all of them by default), e.g. for another store. */
  dropFrom(position = 0): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM snapshot_rows WHERE position >= ?').run(position);
      this.db.prepare('DELETE FROM snapshots WHERE position >= ?').run(position);
    })();
  }

  close(): void {
    this.db.close();
  }
}
