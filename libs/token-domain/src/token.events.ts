import type { TokenType } from './token-value';

/** Events of stream `token-<tokenId>` (ARCHITECTURE.md, "Events"). Times are ISO-8601 strings. */
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

export type TokenExpired = {
  type: 'TokenExpired';
  data: { tokenId: string; projectId: string; expiredAt: string };
};

export type TokenEvent = TokenCreated | TokenRevoked | TokenRotated | TokenExpired;

export const tokenStreamId = (tokenId: string): string => `token-${tokenId}`;
