import { SYSTEM_PROJECT } from './scope';
import type { TokenType } from './token-value';

/**
 * Who asks for a command: a token the API authenticated (its id, project, scopes and the end of
 * its validity: its expiry, or for a rotated token its grace end; null = none), or the ledger
 * itself (bootstrap of the root token, completing a rotation already decided). The decider
 * authorizes every command with it (token-authorization.ts).
 */
export type CommandCaller =
  { kind: 'token'; tokenId: string; projectId: string; scopes: readonly string[]; expiresAt: Date | null } | { kind: 'system'; id: string };

/**
 * Commands carry the time, every new id or secret hash, and who asks (`caller`, checked by
 * token-authorization.ts): the decider draws none of them itself.
 */
export type CreateToken = {
  type: 'CreateToken';
  data: {
    caller: CommandCaller;
    tokenId: string;
    projectId: string;
    name: string;
    tokenType: TokenType;
    ownerId: string | null;
    scopes: string[];
    expiresAt: Date | null;
    /** A lifetime from `now`, instead of expiresAt (never both). */
    expiresInSeconds?: number;
    secretHash: string;
    hint: string;
    metadata: Record<string, unknown>;
    rotatedFrom: string | null;
    now: Date;
  };
};

/** The root token: project `_system`, scope `root`, no expiry (the API's bootstrap and the CLI's). */
export function createRootToken(token: { tokenId: string; secretHash: string; hint: string }, now: Date): CreateToken {
  return {
    type: 'CreateToken',
    data: {
      caller: { kind: 'system', id: 'bootstrap' },
      // Named one by one: a minted token also carries its value, which no command may hold.
      tokenId: token.tokenId,
      secretHash: token.secretHash,
      hint: token.hint,
      projectId: SYSTEM_PROJECT,
      name: 'root',
      tokenType: 'root',
      ownerId: null,
      scopes: ['root'],
      expiresAt: null,
      metadata: {},
      rotatedFrom: null,
      now,
    },
  };
}

export type RevokeToken = {
  type: 'RevokeToken';
  data: { caller: CommandCaller; tokenId: string; projectId: string; reason: string | null; now: Date };
};

export type RotateToken = {
  type: 'RotateToken';
  data: {
    caller: CommandCaller;
    tokenId: string;
    projectId: string;
    newTokenId: string;
    newSecretHash: string;
    newHint: string;
    gracePeriodSeconds: number;
    /** Lifetime of the new token; undefined keeps the old token's expiresAt. */
    expiresInSeconds?: number;
    now: Date;
  };
};

/**
 * Edit a token in place, only ever making it less: rename, replace its metadata, narrow its
 * scopes, shorten its expiry (`expiresAt`, or `expiresInSeconds` from `now`, never both).
 * Widening is a new token, extending a rotation. Fields left out stay as they are.
 */
export type UpdateToken = {
  type: 'UpdateToken';
  data: {
    caller: CommandCaller;
    tokenId: string;
    projectId: string;
    name?: string;
    metadata?: Record<string, unknown>;
    scopes?: string[];
    expiresAt?: Date;
    expiresInSeconds?: number;
    now: Date;
  };
};

export type ExpireToken = {
  type: 'ExpireToken';
  data: { tokenId: string; projectId: string; now: Date };
};

/** Uses of a token seen by one replica during one flush window (coalesced before recording). */
export type RecordUsage = {
  type: 'RecordUsage';
  data: {
    tokenId: string;
    projectId: string;
    count: number;
    firstUsedAt: Date;
    lastUsedAt: Date;
    lastIp: string | null;
    lastUserAgent: string | null;
    /** When the window is recorded (the flush). */
    now: Date;
  };
};

/**
 * Exchange the token for a short-lived access token (RFC 6749 §4.4): asked by the token itself.
 * `scopes` null asks for all the token's scopes; `ttlSeconds` is the configured lifetime, capped
 * by the decider at the token's own end.
 */
export type IssueAccessToken = {
  type: 'IssueAccessToken';
  data: {
    caller: CommandCaller;
    tokenId: string;
    projectId: string;
    jti: string;
    kid: string;
    scopes: string[] | null;
    ttlSeconds: number;
    clientAddress: string | null;
    now: Date;
  };
};

export type TokenCommand = CreateToken | RevokeToken | RotateToken | UpdateToken | ExpireToken | RecordUsage | IssueAccessToken;
