import { withChanges, type TokenEvent, type TokenType } from '@ledger/token-domain';

/** One row of the token list read model: what TokenView shows, plus the secret hash for lookups. */
export interface TokenRow {
  id: string;
  projectId: string;
  name: string;
  type: TokenType;
  ownerId: string | null;
  scopes: string[];
  metadata: Record<string, unknown>;
  hint: string;
  secretHash: string;
  createdAt: string;
  /** Current end of validity (a rotation's grace shortens it). */
  expiresAt: string | null;
  expiredAt: string | null;
  revokedAt: string | null;
  revokeReason: string | null;
  lastUsedAt: string | null;
  useCount: number;
  rotatedFrom: string | null;
  rotatedTo: string | null;
}

/** What authenticating a presented token needs, and nothing more (memory per token matters). */
export type IndexedToken = Pick<TokenRow, 'id' | 'projectId' | 'type' | 'ownerId' | 'scopes' | 'createdAt' | 'expiresAt' | 'expiredAt' | 'revokedAt'>;

export const TOKEN_LIST_EVENT_TYPES = ['TokenCreated', 'TokenRevoked', 'TokenRotated', 'TokenUpdated', 'TokenExpired', 'TokenUsed'] as const;

/** The row an event is about. */
export const tokenRowId = (event: TokenEvent): string => event.data.tokenId;

/** Pure fold: the row after the event. Events about an unknown row leave it unknown. */
export function evolveTokenRow(row: TokenRow | null, event: TokenEvent): TokenRow | null {
  if (event.type === 'TokenCreated') {
    const d = event.data;
    return {
      id: d.tokenId,
      projectId: d.projectId,
      name: d.name,
      type: d.type,
      // Kept from before these fields were typed as always present: a fold must not throw on an old event.
      ownerId: d.ownerId ?? null,
      scopes: d.scopes,
      metadata: d.metadata ?? {},
      hint: d.hint,
      secretHash: d.secretHash,
      createdAt: d.createdAt,
      expiresAt: d.expiresAt ?? null,
      expiredAt: null,
      revokedAt: null,
      revokeReason: null,
      lastUsedAt: null,
      useCount: 0,
      rotatedFrom: d.rotatedFrom ?? null,
      rotatedTo: null,
    };
  }
  if (!row) return null;
  switch (event.type) {
    case 'TokenRevoked':
      return { ...row, revokedAt: event.data.revokedAt, revokeReason: event.data.reason ?? null };
    case 'TokenRotated':
      return { ...row, rotatedTo: event.data.newTokenId, expiresAt: event.data.graceUntil };
    case 'TokenUpdated':
      return withChanges(row, event.data.changes);
    case 'TokenExpired':
      return { ...row, expiredAt: event.data.expiredAt };
    case 'TokenUsed': {
      // Replicas flush their own windows, so events may arrive out of time order: keep the latest.
      const { count, lastUsedAt } = event.data;
      return {
        ...row,
        useCount: row.useCount + count,
        lastUsedAt: row.lastUsedAt && row.lastUsedAt > lastUsedAt ? row.lastUsedAt : lastUsedAt,
      };
    }
    default:
      return row;
  }
}

export type TokenStatus = 'active' | 'revoked' | 'expired';

/** Expiry is judged against the clock, never against whether TokenExpired was recorded yet. */
export function tokenStatus(row: Pick<TokenRow, 'revokedAt' | 'expiredAt' | 'expiresAt'>, now: Date): TokenStatus {
  if (row.revokedAt) return 'revoked';
  if (row.expiredAt || (row.expiresAt && Date.parse(row.expiresAt) <= now.getTime())) return 'expired';
  return 'active';
}
