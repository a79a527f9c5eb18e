import type Database from 'better-sqlite3';
import { rowFromSql } from './token-list.read-model';
import type { TokenRow, TokenStatus } from './token-list.projection';

export type TokenOrder = 'name' | 'createdAt' | 'lastUsedAt' | 'expiresAt';
export type SortDirection = 'ASC' | 'DESC';

export interface TokenListFilter {
  projectId: string;
  type?: string;
  status: TokenStatus | 'all';
  order: TokenOrder;
  direction: SortDirection;
  limit: number;
  cursor?: string;
  now: Date;
}

/** How many tokens of a project are in each status at one instant. */
export interface ProjectTokenCounts {
  projectId: string;
  tokens: { active: number; revoked: number; expired: number; total: number };
}

export interface TokenPage {
  items: TokenRow[];
  nextCursor: string | null;
}

/** A cursor that does not decode, or belongs to another ordering. */
export class InvalidCursorError extends Error {
  constructor() {
    super('cursor is not valid for this listing; start again without it');
    this.name = 'InvalidCursorError';
  }
}

// Never-used tokens sort as the oldest use; never-expiring ones after every expiry.
const SORT_EXPRESSIONS: Record<TokenOrder, string> = {
  name: 'name',
  createdAt: 'created_at',
  lastUsedAt: "COALESCE(last_used_at, '')",
  expiresAt: "COALESCE(expires_at, '~')",
};

const STATUS_CONDITIONS: Record<TokenStatus, string> = {
  revoked: 'revoked_at IS NOT NULL',
  expired: 'revoked_at IS NULL AND (expired_at IS NOT NULL OR expires_at <= @now)',
  active: 'revoked_at IS NULL AND expired_at IS NULL AND (expires_at IS NULL OR expires_at > @now)',
};

// CASE, not SUM(condition): a condition on a NULL expires_at is NULL, which SUM would not count as 0.
const countWhere = (status: TokenStatus) => `SUM(CASE WHEN ${STATUS_CONDITIONS[status]} THEN 1 ELSE 0 END)`;

/** Keyset pagination over the read model: stable while tokens are being added. */
export class TokenListQueries {
  private readonly byId: Database.Statement;
  private readonly active: Database.Statement;
  private readonly projectCounts: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.byId = db.prepare('SELECT * FROM tokens WHERE id = ? AND project_id = ?');
    this.active = db.prepare(`SELECT COUNT(*) AS n FROM tokens WHERE project_id = @projectId AND ${STATUS_CONDITIONS.active}`);
    // @projectId NULL = every project; the same status conditions as list(), so the counts agree with it.
    this.projectCounts = db.prepare(
      `SELECT project_id AS projectId, ${countWhere('active')} AS active, ${countWhere('revoked')} AS revoked,
         ${countWhere('expired')} AS expired, COUNT(*) AS total
       FROM tokens WHERE @projectId IS NULL OR project_id = @projectId GROUP BY project_id ORDER BY project_id`,
    );
  }

  /** Tokens of the project that verify at `now` (a rotated one counts until its grace ends). */
  countActive(projectId: string, now: Date): number {
    return (this.active.get({ projectId, now: now.toISOString() }) as { n: number }).n;
  }

  /** Every project that has tokens (or only `projectId`), sorted by id, with its tokens counted by status at `now`. */
  projects(now: Date, projectId: string | null = null): ProjectTokenCounts[] {
    const rows = this.projectCounts.all({ projectId, now: now.toISOString() }) as Array<Record<string, number> & { projectId: string }>;
    return rows.map((r) => ({ projectId: r.projectId, tokens: { active: r.active, revoked: r.revoked, expired: r.expired, total: r.total } }));
  }

  get(projectId: string, tokenId: string): TokenRow | null {
    const raw = this.byId.get(tokenId, projectId) as Record<string, unknown> | undefined;
    return raw ? rowFromSql(raw) : null;
  }

  list(filter: TokenListFilter): TokenPage {
    const sort = SORT_EXPRESSIONS[filter.order];
    const [cmp, dir] = filter.direction === 'ASC' ? ['>', 'ASC'] : ['<', 'DESC'];
    const where = ['project_id = @projectId'];
    const params: Record<string, unknown> = { projectId: filter.projectId, now: filter.now.toISOString() };
    if (filter.type) {
      where.push('type = @type');
      params.type = filter.type;
    }
    if (filter.status !== 'all') where.push(STATUS_CONDITIONS[filter.status]);
    if (filter.cursor) {
      const [key, id] = decodeCursor(filter.cursor, filter.order, filter.direction);
      where.push(`(${sort} ${cmp} @key OR (${sort} = @key AND id ${cmp} @id))`);
      Object.assign(params, { key, id });
    }
    const rows = this.db
      .prepare(`SELECT *, ${sort} AS sort_key FROM tokens WHERE ${where.join(' AND ')} ORDER BY ${sort} ${dir}, id ${dir} LIMIT @limit`)
      .all({ ...params, limit: filter.limit + 1 }) as Array<Record<string, unknown>>;
    const more = rows.length > filter.limit;
    const page = more ? rows.slice(0, filter.limit) : rows;
    const last = page.at(-1);
    return {
      items: page.map(rowFromSql),
      nextCursor: more && last ? encodeCursor(filter.order, filter.direction, last.sort_key as string, last.id as string) : null,
    };
  }
}

export function encodeCursor(order: TokenOrder, direction: SortDirection, key: string, id: string): string {
  return Buffer.from(JSON.stringify([order, direction, key, id])).toString('base64url');
}

export function decodeCursor(cursor: string, order: TokenOrder, direction: SortDirection): [string, string] {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(decoded) &&
      decoded.length === 4 &&
      decoded[0] === order &&
      decoded[1] === direction &&
      typeof decoded[2] === 'string' &&
      typeof decoded[3] === 'string'
    ) {
      return [decoded[2], decoded[3]];
    }
  } catch {
    // falls through to the error below
  }
  throw new InvalidCursorError();
}
