import { authorizeAccessToken, authorizeCreate, authorizeRevoke, authorizeRotate, authorizeUpdate, requestedExpiry } from './token-authorization';
import { asksForChanges, tokenChanges } from './token-update';
import type { CreateToken, ExpireToken, IssueAccessToken, RecordUsage, RevokeToken, RotateToken, TokenCommand, UpdateToken } from './token.commands';
import { TokenCommandError, tokenNotFound } from './token.errors';
import { isTokenEvent, type TokenEvent } from './token.events';
import { evolve, initialTokenState, isPastExpiry, type TokenFacts, type TokenState } from './token.state';

export const MAX_GRACE_PERIOD_SECONDS = 30 * 86_400;

export function decide(command: TokenCommand, state: TokenState): TokenEvent[] {
  switch (command.type) {
    case 'CreateToken':
      return create(command, state);
    case 'RevokeToken':
      return revoke(command, state);
    case 'RotateToken':
      return rotate(command, state);
    case 'UpdateToken':
      return update(command, state);
    case 'ExpireToken':
      return expire(command, state);
    case 'RecordUsage':
      return recordUsage(command, state);
    case 'IssueAccessToken':
      return issueAccessToken(command, state);
    default: {
      const unexpected: never = command;
      return unexpected;
    }
  }
}

function create({ data }: CreateToken, state: TokenState): TokenEvent[] {
  if (state.status !== 'absent') {
    throw new TokenCommandError('conflict', 'token_exists', `token ${data.tokenId} already exists`);
  }
  authorizeCreate({ type: 'CreateToken', data });
  if (data.expiresInSeconds !== undefined && data.expiresInSeconds <= 0) {
    throw new TokenCommandError('invalid', 'expiry_in_past', 'expiresIn must be positive');
  }
  const expiresAt = requestedExpiry(data);
  if (expiresAt && expiresAt.getTime() <= data.now.getTime()) {
    throw new TokenCommandError('invalid', 'expiry_in_past', 'expiresAt must be in the future');
  }
  return [
    {
      type: 'TokenCreated',
      data: {
        tokenId: data.tokenId,
        projectId: data.projectId,
        name: data.name,
        type: data.tokenType,
        ownerId: data.ownerId,
        scopes: data.scopes,
        expiresAt: expiresAt?.toISOString() ?? null,
        secretHash: data.secretHash,
        hint: data.hint,
        createdAt: data.now.toISOString(),
        rotatedFrom: data.rotatedFrom,
        metadata: data.metadata,
      },
    },
  ];
}

/** Revoking is idempotent: a revoked token stays revoked and nothing new is recorded. */
function revoke({ data }: RevokeToken, state: TokenState): TokenEvent[] {
  const token = existingToken(state, data);
  authorizeRevoke(data.caller, token);
  if (state.status === 'revoked') return [];
  return [
    {
      type: 'TokenRevoked',
      data: { tokenId: token.tokenId, projectId: token.projectId, reason: data.reason, revokedAt: data.now.toISOString() },
    },
  ];
}

function rotate({ data }: RotateToken, state: TokenState): TokenEvent[] {
  const token = existingToken(state, data);
  const now = data.now.getTime();
  // A rotation never silently stretches a token's life: the new one keeps the old expiry.
  const newExpiresAt = data.expiresInSeconds === undefined ? token.expiresAt : new Date(now + data.expiresInSeconds * 1000).toISOString();
  authorizeRotate(data.caller, token, newExpiresAt === null ? null : new Date(newExpiresAt));
  if (state.status === 'revoked') {
    throw new TokenCommandError('conflict', 'token_revoked', 'a revoked token cannot be rotated');
  }
  if (state.status === 'expired' || isPastExpiry(token, data.now)) {
    throw new TokenCommandError('conflict', 'token_expired', 'an expired token cannot be rotated');
  }
  if (token.rotatedTo) {
    throw new TokenCommandError(
      'conflict',
      'token_already_rotated',
      `token ${token.tokenId} was already rotated to ${token.rotatedTo}; rotate that one instead`,
    );
  }
  if (data.gracePeriodSeconds < 0 || data.gracePeriodSeconds > MAX_GRACE_PERIOD_SECONDS) {
    throw new TokenCommandError('invalid', 'grace_period_out_of_range', 'gracePeriod must be between 0 and 30d');
  }
  // The grace never extends the old token past its own expiry.
  const graceUntil = Math.min(now + data.gracePeriodSeconds * 1000, endOf(token));
  if (data.expiresInSeconds !== undefined && data.expiresInSeconds <= 0) {
    throw new TokenCommandError('invalid', 'expiry_in_past', 'expiresIn must be positive');
  }
  return [
    {
      type: 'TokenRotated',
      data: {
        tokenId: token.tokenId,
        projectId: token.projectId,
        newTokenId: data.newTokenId,
        graceUntil: new Date(graceUntil).toISOString(),
        rotatedAt: data.now.toISOString(),
        newToken: { secretHash: data.newSecretHash, hint: data.newHint, expiresAt: newExpiresAt },
      },
    },
  ];
}

/** An edit of an active token; one that changes nothing records nothing (as a repeated revoke). */
function update(command: UpdateToken, state: TokenState): TokenEvent[] {
  const { data } = command;
  const token = existingToken(state, data);
  authorizeUpdate(data.caller, token);
  if (!asksForChanges(command)) {
    throw new TokenCommandError('invalid', 'empty_update', 'give at least one of name, metadata, scopes, expiresAt or expiresIn');
  }
  if (state.status === 'revoked') throw new TokenCommandError('conflict', 'token_revoked', 'a revoked token cannot be edited');
  if (state.status === 'expired' || isPastExpiry(token, data.now)) {
    throw new TokenCommandError('conflict', 'token_expired', 'an expired token cannot be edited');
  }
  // An edit of a token in its rotation grace would leave its successor, the live one, unchanged:
  // narrowing the old token's scopes would look done while the new value keeps them.
  if (token.rotatedTo) {
    throw new TokenCommandError('conflict', 'token_already_rotated', `token ${token.tokenId} was rotated to ${token.rotatedTo}; edit that one instead`);
  }
  const changes = tokenChanges(command, token);
  if (Object.keys(changes).length === 0) return [];
  return [{ type: 'TokenUpdated', data: { tokenId: token.tokenId, projectId: token.projectId, updatedAt: data.now.toISOString(), changes } }];
}

/** Records an expiry that has happened; repeating it (scheduler retries) records nothing. */
function expire({ data }: ExpireToken, state: TokenState): TokenEvent[] {
  const token = existingToken(state, data);
  if (state.status !== 'active') return [];
  if (!isPastExpiry(token, data.now)) {
    throw new TokenCommandError('conflict', 'token_not_expired', `token ${token.tokenId} has not expired yet`);
  }
  return [
    {
      type: 'TokenExpired',
      data: { tokenId: token.tokenId, projectId: token.projectId, expiredAt: token.expiresAt as string },
    },
  ];
}

/**
 * Uses already happened, so they are recorded whatever the token's status is now (a use just
 * before a revoke is still a use); only an unknown token or a nonsensical window is refused.
 */
function recordUsage({ data }: RecordUsage, state: TokenState): TokenEvent[] {
  const token = existingToken(state, data);
  if (!Number.isSafeInteger(data.count) || data.count < 1 || data.firstUsedAt.getTime() > data.lastUsedAt.getTime()) {
    throw new TokenCommandError('invalid', 'invalid_usage', 'usage needs a positive count and firstUsedAt <= lastUsedAt');
  }
  return [
    {
      type: 'TokenUsed',
      data: {
        tokenId: token.tokenId,
        projectId: token.projectId,
        count: data.count,
        firstUsedAt: data.firstUsedAt.toISOString(),
        lastUsedAt: data.lastUsedAt.toISOString(),
        lastIp: data.lastIp,
        lastUserAgent: data.lastUserAgent,
      },
    },
  ];
}

/** One AccessTokenIssued per exchange; every rule is in authorizeAccessToken. */
function issueAccessToken({ data }: IssueAccessToken, state: TokenState): TokenEvent[] {
  const { token, scopes, expiresAt } = authorizeAccessToken(data.caller, state, data);
  return [
    {
      type: 'AccessTokenIssued',
      data: {
        tokenId: token.tokenId,
        projectId: token.projectId,
        jti: data.jti,
        kid: data.kid,
        scopes,
        issuedAt: data.now.toISOString(),
        expiresAt: expiresAt.toISOString(),
        clientAddress: data.clientAddress,
      },
    },
  ];
}

/** The token's facts; a token of another project is as absent as an unknown one. */
function existingToken(state: TokenState, target: { tokenId: string; projectId: string }): TokenFacts {
  if (state.status === 'absent' || state.token.projectId !== target.projectId) throw tokenNotFound(target.tokenId);
  return state.token;
}

function endOf(token: TokenFacts): number {
  return token.expiresAt === null ? Number.POSITIVE_INFINITY : Date.parse(token.expiresAt);
}

/** The decider as one value, for the generic command handling. */
export const tokenDecider = { decide, evolve, initialState: initialTokenState, isEvent: isTokenEvent };
