import Database from 'better-sqlite3';
import { openSqliteFile, removeSqliteFile, type EventStore, type RecordedEvent } from '@ledger/event-store';
import type { DeadLetter, DeadLetterStore } from './reminder-scheduler.port';
import { isTokenEvent, type ReminderKind, type TokenEvent } from '@ledger/token-domain';
import { reminderId, type Reminder, type ReminderPolicy } from './reminder';
import { pendingReminders } from './reminder-schedule';
import { evolveReminderToken, type ReminderToken } from './reminder-token';

const TABLES = `
CREATE TABLE IF NOT EXISTS reminder_tokens (token_id TEXT PRIMARY KEY, state TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reminders (
  id TEXT PRIMARY KEY,
  token_id TEXT NOT NULL,
  project_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  due TEXT NOT NULL,
  status TEXT NOT NULL,
  channel TEXT,
  delivered_at TEXT,
  attempt INTEGER
);
CREATE INDEX IF NOT EXISTS reminders_by_status ON reminders (status, project_id, due);
CREATE TABLE IF NOT EXISTS dead_letters (id TEXT PRIMARY KEY, dead_letter TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1), position INTEGER NOT NULL);
`;

const TOKEN_EVENTS = new Set(['TokenCreated', 'TokenRevoked', 'TokenRotated', 'TokenUpdated', 'TokenExpired', 'ReminderSent']);

export type ReminderStatus = 'pending' | 'sent' | 'cancelled';

export interface ReminderRow extends Reminder {
  status: ReminderStatus;
  channel: string | null;
  deliveredAt: string | null;
  attempt: number | null;
}

/** What a batch changes: the rows to write, and what the scheduler must add and drop. */
export interface ReminderChanges {
  tokens: Map<string, ReminderToken>;
  rows: Map<string, ReminderRow>;
  schedule: Map<string, Reminder>;
  cancel: Set<string>;
}

/**
 * Pending, sent and cancelled reminders, folded from the ledger into their own SQLite file.
 * The checkpoint is written in the same transaction as the rows, so a crash never applies an
 * event twice or skips one; the file can always be rebuilt from the store.
 */
export class ReminderReadModel implements DeadLetterStore {
  private readonly sql: ReturnType<typeof statements>;
  private readonly writeInTransaction: (changes: ReminderChanges, position: number) => void;

  private constructor(readonly db: Database.Database) {
    db.exec(TABLES);
    this.sql = statements(db);
    this.writeInTransaction = db.transaction((changes: ReminderChanges, position: number) => {
      for (const token of changes.tokens.values()) this.sql.upsertToken.run(token.tokenId, JSON.stringify(token));
      for (const r of changes.rows.values()) {
        this.sql.upsertRow.run(r.id, r.tokenId, r.projectId, r.kind, r.due, r.status, r.channel, r.deliveredAt, r.attempt);
      }
      this.sql.writeCheckpoint.run(position);
    });
  }

  static open(file: string): ReminderReadModel {
    return new ReminderReadModel(openSqliteFile(file, { synchronous: 'NORMAL' }));
  }

  /**
   * Opens `file` to follow `store`. A read model ahead of the store means the store was replaced:
   * the file is started afresh (`onReset` says so) and refolded from the beginning.
   */
  static async openFollowing(file: string, store: EventStore, onReset: () => void): Promise<ReminderReadModel> {
    const readModel = ReminderReadModel.open(file);
    if (readModel.checkpoint() <= (await store.headPosition())) return readModel;
    readModel.close();
    onReset();
    removeSqliteFile(file);
    return ReminderReadModel.open(file);
  }

  checkpoint(): number {
    return (this.sql.readCheckpoint.get() as number | undefined) ?? 0;
  }

  /** Folds a batch without writing it, so the scheduler can act before the checkpoint moves. */
  fold(events: RecordedEvent[], policy: ReminderPolicy): ReminderChanges {
    const changes: ReminderChanges = { tokens: new Map(), rows: new Map(), schedule: new Map(), cancel: new Set() };
    for (const recorded of events) {
      if (!isTokenEvent(recorded) || !TOKEN_EVENTS.has(recorded.type)) continue;
      const event: TokenEvent = recorded;
      // TokenCreated starts a token: no need to look for one (most events of a catch-up).
      const before = changes.tokens.get(event.data.tokenId) ?? (event.type === 'TokenCreated' ? null : this.token(event.data.tokenId));
      const after = evolveReminderToken(before, event);
      if (!after) continue;
      changes.tokens.set(after.tokenId, after);
      if (event.type === 'ReminderSent') changes.rows.set(...sentRow(event.data));
      const pendingBefore = new Map((before ? pendingReminders(before, policy) : []).map((r) => [r.id, r]));
      const pendingAfter = pendingReminders(after, policy);
      for (const reminder of pendingAfter) {
        if (pendingBefore.delete(reminder.id)) continue;
        changes.rows.set(reminder.id, { ...reminder, status: 'pending', channel: null, deliveredAt: null, attempt: null });
        changes.schedule.set(reminder.id, reminder);
        changes.cancel.delete(reminder.id);
      }
      // What was pending and no longer is: sent (its row is written above) or cancelled.
      for (const gone of pendingBefore.values()) {
        if (after.sent.includes(gone.id)) continue;
        changes.rows.set(gone.id, { ...gone, status: 'cancelled', channel: null, deliveredAt: null, attempt: null });
        changes.schedule.delete(gone.id);
        changes.cancel.add(gone.id);
      }
    }
    return changes;
  }

  write(changes: ReminderChanges, position: number): void {
    this.writeInTransaction(changes, position);
  }

  token(tokenId: string): ReminderToken | null {
    const state = this.sql.selectToken.get(tokenId) as string | undefined;
    return state ? (JSON.parse(state) as ReminderToken) : null;
  }

  /** Every reminder still to deliver, derived afresh from the folded tokens under `policy`. */
  *pending(policy: ReminderPolicy): IterableIterator<Reminder> {
    for (const state of this.sql.selectLiveTokens.iterate() as IterableIterator<string>) {
      yield* pendingReminders(JSON.parse(state) as ReminderToken, policy);
    }
  }

  /**
   * The same, for the tokens after `afterTokenId` (in id order), at most `limit` of them: a caller
   * going through 100,000 tokens can let the event loop run between pages. `last` is the cursor
   * for the next page, null after the last one.
   */
  pendingPage(policy: ReminderPolicy, afterTokenId: string, limit: number): { reminders: Reminder[]; last: string | null } {
    const page = this.sql.selectLiveTokensPage.all(afterTokenId, limit) as Array<{ token_id: string; state: string }>;
    return {
      reminders: page.flatMap((row) => pendingReminders(JSON.parse(row.state) as ReminderToken, policy)),
      last: page.length < limit ? null : page[page.length - 1].token_id,
    };
  }

  rows(filter: { projectId?: string; status?: ReminderStatus; limit: number }): ReminderRow[] {
    const raw = this.sql.selectRows.all({
      projectId: filter.projectId ?? null,
      status: filter.status ?? null,
      limit: filter.limit,
    }) as Array<Record<string, unknown>>;
    return raw.map(rowFromSql);
  }

  countByStatus(): Record<ReminderStatus, number> {
    const counts: Record<ReminderStatus, number> = { pending: 0, sent: 0, cancelled: 0 };
    for (const { status, n } of this.sql.countByStatus.all() as Array<{ status: ReminderStatus; n: number }>) counts[status] = n;
    return counts;
  }

  /** Dead letters of the in-process scheduler (not derived from the ledger: they record failures). */
  saveDeadLetter(deadLetter: DeadLetter): void {
    this.sql.saveDeadLetter.run(deadLetter.reminder.id, JSON.stringify(deadLetter));
  }

  removeDeadLetter(id: string): void {
    this.sql.removeDeadLetter.run(id);
  }

  deadLetters(): DeadLetter[] {
    return (this.sql.selectDeadLetters.all() as string[]).map((json) => JSON.parse(json) as DeadLetter);
  }

  close(): void {
    this.db.close();
  }
}

function sentRow(d: {
  tokenId: string;
  projectId: string;
  kind: ReminderKind;
  due: string;
  channel: string;
  deliveredAt: string;
  attempt: number;
}): [string, ReminderRow] {
  const id = reminderId(d.tokenId, d.kind, d.due);
  return [
    id,
    {
      id,
      tokenId: d.tokenId,
      projectId: d.projectId,
      kind: d.kind,
      due: d.due,
      status: 'sent',
      channel: d.channel,
      deliveredAt: d.deliveredAt,
      attempt: d.attempt,
    },
  ];
}

function rowFromSql(raw: Record<string, unknown>): ReminderRow {
  return {
    id: raw.id as string,
    tokenId: raw.token_id as string,
    projectId: raw.project_id as string,
    kind: raw.kind as ReminderKind,
    due: raw.due as string,
    status: raw.status as ReminderStatus,
    channel: raw.channel as string | null,
    deliveredAt: raw.delivered_at as string | null,
    attempt: raw.attempt as number | null,
  };
}

function statements(db: Database.Database) {
  return {
    upsertToken: db.prepare('INSERT INTO reminder_tokens (token_id, state) VALUES (?, ?) ON CONFLICT (token_id) DO UPDATE SET state = excluded.state'),
    selectToken: db.prepare('SELECT state FROM reminder_tokens WHERE token_id = ?').pluck(),
    selectLiveTokens: db.prepare(`SELECT state FROM reminder_tokens WHERE json_extract(state, '$.status') <> 'revoked'`).pluck(),
    selectLiveTokensPage: db.prepare(
      `SELECT token_id, state FROM reminder_tokens WHERE token_id > ? AND json_extract(state, '$.status') <> 'revoked' ORDER BY token_id LIMIT ?`,
    ),
    upsertRow: db.prepare(
      `INSERT INTO reminders (id, token_id, project_id, kind, due, status, channel, delivered_at, attempt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, channel = excluded.channel, delivered_at = excluded.delivered_at, attempt = excluded.attempt`,
    ),
    selectRows: db.prepare(
      `SELECT * FROM reminders WHERE (@projectId IS NULL OR project_id = @projectId) AND (@status IS NULL OR status = @status)
       ORDER BY due, id LIMIT @limit`,
    ),
    saveDeadLetter: db.prepare('INSERT INTO dead_letters (id, dead_letter) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET dead_letter = excluded.dead_letter'),
    removeDeadLetter: db.prepare('DELETE FROM dead_letters WHERE id = ?'),
    selectDeadLetters: db.prepare('SELECT dead_letter FROM dead_letters ORDER BY id').pluck(),
    countByStatus: db.prepare('SELECT status, COUNT(*) AS n FROM reminders GROUP BY status'),
    readCheckpoint: db.prepare('SELECT position FROM checkpoint WHERE id = 1').pluck(),
    writeCheckpoint: db.prepare('INSERT INTO checkpoint (id, position) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET position = excluded.position'),
  };
}
