import { tokenStatus, type TokenRow, type TokenStatus } from '@ledger/projections';

/**
 * What the API and the CLI show of a token: never its value, never its hash. Plain types here
 * (the CLI shares them without Nest); apps/api/src/tokens/token-view.ts documents them for OpenAPI.
 */
export interface TokenView {
  id: string;
  projectId: string;
  name: string;
  type: string;
  ownerId: string | null;
  scopes: string[];
  metadata: Record<string, unknown>;
  hint: string;
  status: TokenStatus;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  useCount: number;
  revokedAt: string | null;
  revokeReason: string | null;
  rotatedFrom: string | null;
  rotatedTo: string | null;
}

export interface TokenPage {
  items: TokenView[];
  nextCursor: string | null;
}

/** A token just created or rotated, with its value: shown in this answer only. */
export interface IssuedTokenView {
  token: TokenView;
  value: string;
}

export interface RotatedTokenView extends IssuedTokenView {
  previous: { id: string; expiresAt: string | null };
}

export function toTokenView(row: TokenRow, now = new Date()): TokenView {
  return {
    id: row.id,
    projectId: row.projectId,
    name: row.name,
    type: row.type,
    ownerId: row.ownerId,
    scopes: row.scopes,
    metadata: row.metadata,
    hint: row.hint,
    status: tokenStatus(row, now),
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    useCount: row.useCount,
    revokedAt: row.revokedAt,
    revokeReason: row.revokeReason,
    rotatedFrom: row.rotatedFrom,
    rotatedTo: row.rotatedTo,
  };
}
