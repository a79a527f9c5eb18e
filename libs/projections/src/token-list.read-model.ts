import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RecordedEvent } from '@ledger/event-store';
import { evolveTokenRow, tokenRowId, TOKEN_LIST_EVENT_TYPES, type TokenRow } from './token-list.projection';

// A rowid table, not WITHOUT ROWID: rows are wide (hash, scopes, metadata) and token ids random,
// so a clustered id key would split pages full of whole rows on every insert.
const TABLES = `
CREATE TABLE IF NOT EXISTS tokens (
  id TEXT NOT NULL PRIMARY KEY,
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

const INDEXES = `
CREATE INDEX IF NOT EXISTS tokens_by_created ON tokens (project_id, created_at, id);
CREATE INDEX IF NOT EXISTS tokens_by_name ON tokens (project_id, name, id);
CREATE INDEX IF NOT EXISTS tokens_by_hash ON tokens (secret_hash);
`;

const COLUMNS = [
  'id', 'project_id', 'name', 'type', 'owner_id', 'scopes', 'metadata', 'hint', 'secret_hash', 'created_at',
  'expires_at', 'expired_at', 'revoked_at', 'revoke_reason', 'last_used_at', 'use_count', 'rotated_from', 'rotated_to',
];

const HANDLED = new Set<string>(TOKEN_LIST_EVENT_TYPES);

/**
 * The token list read model in its own SQLite file. It can always be rebuilt from the store, so
 * it commits without fsync (synchronous=NORMAL); the checkpoint lives in the same transaction as
 * the rows, so after a crash the projector resumes exactly where the committed rows end.
 */
export class TokenListReadModel {
  private readonly selectRow: Database.Statement;
  private readonly upsertRow: Database.Statement;
  private readonly readCheckpoint: Database.Statement;
  private readonly writeCheckpoint: Database.Statement;
  private readonly applyInTransaction: (events: RecordedEvent[]) => void;

  private constructor(readonly db: Database.Database, deferIndexes: boolean) {
    db.exec(TABLES);
    if (!deferIndexes) this.createIndexes();
    this.selectRow = db.prepare('SELECT * FROM tokens WHERE id = ?');
    this.upsertRow = db.prepare(
      `INSERT INTO tokens (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})
       ON CONFLICT (id) DO UPDATE SET ${COLUMNS.slice(1).map((c) => `${c} = excluded.${c}`).join(', ')}`,
    );
    this.readCheckpoint = db.prepare('SELECT position FROM checkpoint WHERE id = 1').pluck();
    this.writeCheckpoint = db.prepare(
      'INSERT INTO checkpoint (id, position) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET position = excluded.position',
    );
    this.applyInTransaction = db.transaction((events: RecordedEvent[]) => this.applyEvents(events));
  }

  /**
   * `deferIndexes` is for a rebuild into an empty file: building the secondary indexes once at
   * the end (createIndexes) is much cheaper than updating them row by row. Queries need them.
   */
  static open(file: string, options: { durable?: boolean; deferIndexes?: boolean } = {}): TokenListReadModel {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.durable === false ? 'OFF' : 'NORMAL'}`);
    return new TokenListReadModel(db, options.deferIndexes ?? false);
  }

  createIndexes(): void {
    this.db.exec(INDEXES);
  }

  /** Position of the last applied event, 0 when nothing was applied yet. */
  checkpoint(): number {
    return (this.readCheckpoint.get() as number | undefined) ?? 0;
  }

  /** Applies a batch and advances the checkpoint to its last event, in one transaction. */
  apply(events: RecordedEvent[]): void {
    if (events.length > 0) this.applyInTransaction(events);
  }

  getRow(id: string): TokenRow | null {
    const raw = this.selectRow.get(id) as Record<string, unknown> | undefined;
    return raw ? rowFromSql(raw) : null;
  }

  close(): void {
    this.db.close();
  }

  private applyEvents(events: RecordedEvent[]): void {
    // Rows touched several times in one batch are read and written once.
    const touched = new Map<string, TokenRow | null>();
    for (const event of events) {
      if (!HANDLED.has(event.type)) continue;
      const id = tokenRowId(event);
      // TokenCreated starts its row afresh: no need to read one (most events of a rebuild).
      const before = touched.has(id) ? touched.get(id)! : event.type === 'TokenCreated' ? null : this.getRow(id);
      touched.set(id, evolveTokenRow(before, event));
    }
    for (const row of touched.values()) if (row) this.upsertRow.run(rowToSql(row));
    this.writeCheckpoint.run(events[events.length - 1].position);
  }
}

export function rowFromSql(raw: Record<string, unknown>): TokenRow {
  return {
    id: raw.id as string,
    projectId: raw.project_id as string,
    name: raw.name as string,
    type: raw.type as TokenRow['type'],
    ownerId: raw.owner_id as string | null,
    scopes: JSON.parse(raw.scopes as string),
    metadata: JSON.parse(raw.metadata as string),
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
