import type { TokenType } from './token-value';

/** Events of stream `token-<tokenId>` (docs/architecture.md, "Events"). Times are ISO-8601 strings. */
export type TokenCreated = {
  type: 'TokenCreated';
  data: {
    tokenId: string;
    projectId: string;
    name: string;
    type: TokenType;
    ownerId: string | null;
    scopes: string[];
    expiresAt: string | null;
    secretHash: string;
    hint: string;
    createdAt: string;
    rotatedFrom: string | null;
    metadata: Record<string, unknown>;
  };
};

export type TokenRevoked = {
  type: 'TokenRevoked';
  data: { tokenId: string; projectId: string; reason: string | null; revokedAt: string };
};

/**
 * Recorded on the old token's stream before the new token's TokenCreated. `newToken` carries
 * everything needed to write that TokenCreated, so an interrupted rotation can be completed.
 */
export type TokenRotated = {
  type: 'TokenRotated';
  data: {
    tokenId: string;
    projectId: string;
    newTokenId: string;
    graceUntil: string;
    rotatedAt: string;
    newToken: { secretHash: string; hint: string; expiresAt: string | null };
  };
};

/** One edited field: what it was and what it became. */
export type FieldChange<T> = { before: T; after: T };

/** The fields an edit changed, each with its before and after; fields left as they were are absent. */
export type TokenChanges = {
  name?: FieldChange<string>;
  metadata?: FieldChange<Record<string, unknown>>;
  scopes?: FieldChange<string[]>;
  expiresAt?: FieldChange<string | null>;
};

/** A token edited in place (never widened, never extended: see token-update.ts). */
export type TokenUpdated = {
  type: 'TokenUpdated';
  data: { tokenId: string; projectId: string; updatedAt: string; changes: TokenChanges };
};

export type TokenExpired = {
  type: 'TokenExpired';
  data: { tokenId: string; projectId: string; expiredAt: string };
};

/** Uses of a token, coalesced: one event per token per usage flush window. */
export type TokenUsed = {
  type: 'TokenUsed';
  data: {
    tokenId: string;
    projectId: string;
    count: number;
    firstUsedAt: string;
    lastUsedAt: string;
    lastIp: string | null;
    lastUserAgent: string | null;
  };
};

export type ReminderKind = 'expiry_warning' | 'expired' | 'rotation_due';

/** A reminder about the token was delivered (so the auditor can see that ops were told). */
export type ReminderSent = {
  type: 'ReminderSent';
  data: {
    tokenId: string;
    projectId: string;
    kind: ReminderKind;
    due: string;
    channel: string;
    deliveredAt: string;
    attempt: number;
  };
};

/**
 * A short-lived access token (JWT) was issued to the token, one per exchange, so the audit log
 * answers "which access tokens did this credential get". The JWT itself is never recorded: it
 * is a bearer credential; `jti` names it.
 */
export type AccessTokenIssued = {
  type: 'AccessTokenIssued';
  data: {
    tokenId: string;
    projectId: string;
    jti: string;
    /** The signing key's id. */
    kid: string;
    scopes: string[];
    issuedAt: string;
    expiresAt: string;
    clientAddress: string | null;
  };
};

export type TokenEvent = TokenCreated | TokenRevoked | TokenRotated | TokenUpdated | TokenExpired | TokenUsed | ReminderSent | AccessTokenIssued;

/** Every member of the union by its type: a type added to TokenEvent and not here fails to compile. */
const TOKEN_EVENT_TYPES: ReadonlySet<string> = new Set(
  Object.keys({
    TokenCreated: true,
    TokenRevoked: true,
    TokenRotated: true,
    TokenUpdated: true,
    TokenExpired: true,
    TokenUsed: true,
    ReminderSent: true,
    AccessTokenIssued: true,
  } satisfies Record<TokenEvent['type'], true>),
);

/**
 * Narrows a stored event to the domain's union by its type. The store is append-only and every
 * token event in it was decided by this domain (handleCommand appends decide's output), so the type
 * names the shape; an upcaster for a future schema version belongs here (docs/architecture.md).
 */
export function isTokenEvent<E extends { type: string }>(event: E): event is E & TokenEvent {
  return TOKEN_EVENT_TYPES.has(event.type);
}

export const tokenStreamId = (tokenId: string): string => `token-${tokenId}`;
