import Database from 'better-sqlite3';
import {
  DERIVED_FILE_ADVICE,
  namingCorruptFile,
  openSqliteFile,
  setJournalMode,
  type PartitionEvent,
  type RecordedEvent,
  type SqliteFileOptions,
} from '@ledger/event-store';
import { isTokenEvent } from '@ledger/token-domain';
import { evolveTokenRow, tokenRowId, TOKEN_LIST_EVENT_TYPES, type TokenRow } from './token-list.projection';

// A rowid table whose id is unique through an index, not a PRIMARY KEY: a rebuild then appends
// rows in event order and builds every index once at the end (sorting beats random inserts).
const TABLES = `
CREATE TABLE IF NOT EXISTS tokens (
  id TEXT NOT NULL,
  project_id TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  owner_id TEXT,
  scopes TEXT NOT NULL,
  metadata TEXT NOT NULL,
  hint TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  expired_at TEXT,
  revoked_at TEXT,
  revoke_reason TEXT,
  last_used_at TEXT,
  use_count INTEGER NOT NULL,
  rotated_from TEXT,
  rotated_to TEXT
);
CREATE TABLE IF NOT EXISTS checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1), position INTEGER NOT NULL);
`;

const ID_INDEX = 'CREATE UNIQUE INDEX IF NOT EXISTS tokens_by_id ON tokens (id);';
const QUERY_INDEXES = `
CREATE INDEX IF NOT EXISTS tokens_by_created ON tokens (project_id, created_at, id);
CREATE INDEX IF NOT EXISTS tokens_by_name ON tokens (project_id, name, id);
CREATE INDEX IF NOT EXISTS tokens_by_last_used ON tokens (project_id, COALESCE(last_used_at, ''), id);
`;

const COLUMNS = [
  'id',
  'project_id',
  'name',
  'type',
  'owner_id',
  'scopes',
  'metadata',
  'hint',
  'secret_hash',
  'created_at',
  'expires_at',
  'expired_at',
  'revoked_at',
  'revoke_reason',
  'last_used_at',
  'use_count',
  'rotated_from',
  'rotated_to',
];

const HANDLED = new Set<string>(TOKEN_LIST_EVENT_TYPES);

/**
 * A rebuild's file read without a copy per page up to this size (100,000 tokens take about 40 MB):
 * the pages read count in the process's RSS while the file is open.
 */
const REBUILD_MMAP_BYTES = 256 * 1024 * 1024;

/** A row's indexed columns as stored: times as ISO strings (or null), scopes as their JSON. */
export type StoredIndexedToken = [
  id: string,
  projectId: string,
  type: TokenRow['type'],
  ownerId: string | null,
  scopesJson: string,
  createdAt: string,
  expiresAt: string | null,
  expiredAt: string | null,
  revokedAt: string | null,
  secretHash: string,
];

const INSERT_ROW = `INSERT INTO tokens (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`;
const UPSERT_ROW = `${INSERT_ROW} ON CONFLICT (id) DO UPDATE SET ${COLUMNS.slice(1)
  .map((c) => `${c} = excluded.${c}`)
  .join(', ')}`;

/**
 * The token list read model in its own SQLite file. It can always be rebuilt from the store, so
 * it commits without fsync (synchronous=NORMAL); the checkpoint lives in the same transaction as
 * the rows, so after a crash the projector resumes exactly where the committed rows end.
 */
export class TokenListReadModel {
  private readonly selectRow: Database.Statement;
  private readonly selectSecretHash: Database.Statement;
  /** Plain INSERT until the indexes exist (a rebuild's first write: every row is new), then upsert. */
  private writeRow: Database.Statement;
  private readonly readCheckpoint: Database.Statement;
  private readonly writeCheckpoint: Database.Statement;
  private readonly writeInTransaction: (rows: Map<string, TokenRow | null>, position: number) => void;

  private constructor(
    readonly db: Database.Database,
    deferIndexes: boolean,
  ) {
    db.exec(TABLES);
    this.selectRow = db.prepare('SELECT * FROM tokens WHERE id = ?');
    this.selectSecretHash = db.prepare('SELECT secret_hash FROM tokens WHERE id = ?').pluck();
    this.writeRow = db.prepare(INSERT_ROW);
    if (!deferIndexes) this.createIndexes();
    this.readCheckpoint = db.prepare('SELECT position FROM checkpoint WHERE id = 1').pluck();
    this.writeCheckpoint = db.prepare('INSERT INTO checkpoint (id, position) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET position = excluded.position');
    this.writeInTransaction = db.transaction((rows: Map<string, TokenRow | null>, position: number) => {
      for (const row of rows.values()) if (row) this.writeRow.run(rowToSql(row));
      this.writeCheckpoint.run(position);
    });
  }

  /** The read model file a service keeps up to date: WAL, commits without fsync, indexes kept row by row. */
  static open(file: string): TokenListReadModel {
    return TokenListReadModel.openWith(file, { synchronous: 'NORMAL' }, false);
  }

  /**
   * A file that a rebuild writes whole and that nothing opens before it is complete (then `seal`
   * and a rename make it the read model): no journal and no fsync (a failed or interrupted
   * rebuild's file is deleted, never read), pages read through mmap, and the
   * indexes built once at the end (createIndexes), much cheaper than updating them row by row.
   */
  static openForRebuild(file: string): TokenListReadModel {
    return TokenListReadModel.openWith(file, { synchronous: 'OFF', journal: 'OFF', mmapBytes: REBUILD_MMAP_BYTES }, true);
  }

  private static openWith(file: string, options: SqliteFileOptions, deferIndexes: boolean): TokenListReadModel {
    const db = openSqliteFile(file, options);
    try {
      return new TokenListReadModel(db, deferIndexes);
    } catch (error) {
      db.close();
      throw namingCorruptFile(file, error, DERIVED_FILE_ADVICE);
    }
  }

  /** A rebuilt file takes the journal every read model has (WAL) before it is put in place. */
  seal(): void {
    setJournalMode(this.db, this.db.name, 'WAL');
  }

  createIndexes(): void {
    this.createIdIndex();
    this.db.exec(QUERY_INDEXES);
  }

  /**
   * Only what lookups and upserts by id need: a rebuild too big to hold in memory writes its
   * later rows with this one index and builds the list's indexes once at the end (maintaining
   * all four row by row made a million-token rebuild take twice as long).
   */
  createIdIndex(): void {
    this.db.exec(ID_INDEX);
    this.writeRow = this.db.prepare(UPSERT_ROW);
  }

  /**
   * Copies every row of other read model files (a parallel rebuild's parts, which hold disjoint
   * tokens) into this one and sets the checkpoint, in one transaction. As `SELECT *` with no
   * column list: SQLite then copies each record as it is stored (its transfer optimization, for a
   * table with no index yet and the same columns, which the parts have: they are made by TABLES
   * too) instead of decoding and re-encoding every column: 44–55 ms instead of 75–80 ms for the
   * 80,000 rows of 100,000 events (docs/performance.md, "Several threads, ranges of streams claimed in turn").
   */
  copyRowsFrom(files: string[], position: number): void {
    const attached = files.map((file, index) => {
      const schema = `part${index}`;
      this.db.prepare(`ATTACH DATABASE ? AS ${schema}`).run(file);
      return schema;
    });
    try {
      this.db.transaction(() => {
        for (const schema of attached) this.db.exec(`INSERT INTO tokens SELECT * FROM ${schema}.tokens`);
        this.writeCheckpoint.run(position);
      })();
    } finally {
      for (const schema of attached) this.db.exec(`DETACH DATABASE ${schema}`);
    }
  }

  /** Position of the last applied event, 0 when nothing was applied yet. */
  checkpoint(): number {
    return (this.readCheckpoint.get() as number | undefined) ?? 0;
  }

  /** Applies a batch and advances the checkpoint to its last event, in one transaction. */
  apply(events: RecordedEvent[]): void {
    if (events.length > 0) this.write(this.fold(events), events[events.length - 1].position);
  }

  /**
   * Folds events into `rows` (rows already there are taken from it, the others read from the
   * file), so that rows touched many times are read and written once. Nothing is written yet.
   * Events as a rebuild reads them do (PartitionEvent): the fold reads only their type and data.
   */
  fold(events: PartitionEvent[], rows = new Map<string, TokenRow | null>()): Map<string, TokenRow | null> {
    for (const event of events) {
      if (!isTokenEvent(event) || !HANDLED.has(event.type)) continue;
      const id = tokenRowId(event);
      // TokenCreated starts its row afresh: no need to look for one (most events of a rebuild).
      const before = rows.has(id) ? rows.get(id)! : event.type === 'TokenCreated' ? null : this.getRow(id);
      rows.set(id, evolveTokenRow(before, event));
    }
    return rows;
  }

  /** Writes folded rows and the checkpoint of the last event folded into them, in one transaction. */
  write(rows: Map<string, TokenRow | null>, position: number): void {
    this.writeInTransaction(rows, position);
  }

  /**
   * What the in-memory token index keeps of every row, streamed (its load at start), as the file
   * holds it: no object per row and the scopes still JSON, which the index parses once per
   * distinct list, shared by many tokens.
   */
  indexedRows(): IterableIterator<StoredIndexedToken> {
    const select = this.db.prepare('SELECT id, project_id, type, owner_id, scopes, created_at, expires_at, expired_at, revoked_at, secret_hash FROM tokens');
    return select.raw().iterate() as IterableIterator<StoredIndexedToken>;
  }

  /** Every row, streamed. */
  *rows(): IterableIterator<TokenRow> {
    for (const raw of this.db.prepare('SELECT * FROM tokens').iterate()) yield rowFromSql(raw as Record<string, unknown>);
  }

  secretHashOf(id: string): string | undefined {
    return this.selectSecretHash.get(id) as string | undefined;
  }

  getRow(id: string): TokenRow | null {
    const raw = this.selectRow.get(id) as Record<string, unknown> | undefined;
    return raw ? rowFromSql(raw) : null;
  }

  close(): void {
    this.db.close();
  }
}

export function rowFromSql(raw: Record<string, unknown>): TokenRow {
  return {
    id: raw.id as string,
    projectId: raw.project_id as string,
    name: raw.name as string,
    type: raw.type as TokenRow['type'],
    ownerId: raw.owner_id as string | null,
    scopes: JSON.parse(raw.scopes as string) as string[],
    metadata: JSON.parse(raw.metadata as string) as Record<string, unknown>,
    hint: raw.hint as string,
    secretHash: raw.secret_hash as string,
    createdAt: raw.created_at as string,
    expiresAt: raw.expires_at as string | null,
    expiredAt: raw.expired_at as string | null,
    revokedAt: raw.revoked_at as string | null,
    revokeReason: raw.revoke_reason as string | null,
    lastUsedAt: raw.last_used_at as string | null,
    useCount: raw.use_count as number,
    rotatedFrom: raw.rotated_from as string | null,
    rotatedTo: raw.rotated_to as string | null,
  };
}

/** Values in COLUMNS order: positional parameters bind faster than named ones (rebuild speed). */
function rowToSql(row: TokenRow): unknown[] {
  return [
    row.id,
    row.projectId,
    row.name,
    row.type,
    row.ownerId,
    JSON.stringify(row.scopes),
    JSON.stringify(row.metadata),
    row.hint,
    row.secretHash,
    row.createdAt,
    row.expiresAt,
    row.expiredAt,
    row.revokedAt,
    row.revokeReason,
    row.lastUsedAt,
    row.useCount,
    row.rotatedFrom,
    row.rotatedTo,
  ];
}
