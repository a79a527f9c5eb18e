import { grantsScope, RESERVED_SCOPES, SYSTEM_PROJECT, type LedgerScope } from './scope';
import type { CommandCaller, CreateToken } from './token.commands';
import { TokenCommandError } from './token.errors';
import { isPastExpiry, type TokenFacts, type TokenState } from './token.state';
import type { TokenType } from './token-value';

/*
 * Every authorization rule of the token commands is here, and the decider applies them to every
 * command before deciding, so that no route or future command can skip them. Who asks travels on
 * the command as data (CommandCaller).
 */

/** Types a caller may create; `root` is made only by bootstrap (project `_system`). */
export const ISSUABLE_TYPES: readonly TokenType[] = ['project', 'integration', 'personal'];

export const isRootCaller = (caller: { projectId: string; scopes: readonly string[] }): boolean =>
  caller.projectId === SYSTEM_PROJECT && caller.scopes.includes('root');

/** Whether the caller may use the ledger permission `scope` on `projectId`: its own project, or any with root. */
export function callerMayAct(caller: { projectId: string; scopes: readonly string[] }, scope: LedgerScope, projectId: string): boolean {
  if (isRootCaller(caller)) return true;
  return caller.projectId === projectId && grantsScope(caller.scopes, scope);
}

/** The reserved scopes among `scopes` that the caller could not hand out itself. */
export function scopesBeyond(caller: { projectId: string; scopes: readonly string[] }, scopes: readonly string[]): string[] {
  return scopes.filter((s) => s === 'root' || (RESERVED_SCOPES.includes(s) && !isRootCaller(caller) && !grantsScope(caller.scopes, s as LedgerScope)));
}

const invalid = (code: string, message: string) => new TokenCommandError('invalid', code, message);

export const forbidden = (message: string, requiredScope: string) => new TokenCommandError('forbidden', 'insufficient_scope', message, { requiredScope });

/**
 * Create: the shape every token must have (whoever asks), then what a token caller may do:
 * write in the project, and grant only the ledger scopes it holds itself (`root` never).
 */
export function authorizeCreate({ data }: CreateToken): void {
  if (data.tokenType === 'root' ? data.projectId !== SYSTEM_PROJECT : data.projectId === SYSTEM_PROJECT) {
    throw invalid('reserved_project', `tokens of ${SYSTEM_PROJECT} are created only by bootstrap, and only there`);
  }
  if (data.tokenType !== 'root' && data.scopes.includes('root')) {
    throw invalid('reserved_scope', 'scope root belongs to the root token only');
  }
  if ((data.ownerId !== null) !== (data.tokenType === 'personal')) {
    throw invalid('validation_failed', 'ownerId is required for, and only allowed on, personal tokens');
  }
  if (data.expiresInSeconds !== undefined && data.expiresAt !== null) {
    throw invalid('validation_failed', 'give either expiresIn or expiresAt, not both');
  }
  if (data.caller.kind === 'system') return;
  if (!ISSUABLE_TYPES.includes(data.tokenType)) throw invalid('reserved_type', `type ${data.tokenType} is created only by bootstrap`);
  requireWrite(data.caller, data.projectId);
  const beyond = scopesBeyond(data.caller, data.scopes);
  if (beyond.length > 0) throw forbidden(`this token cannot grant ${beyond.join(', ')}`, beyond[0]);
  requireWithinLifetime(data.caller, requestedExpiry(data));
}

/** The expiry a create asks for: `expiresIn` from `now`, or `expiresAt` (null = never). */
export function requestedExpiry(data: CreateToken['data']): Date | null {
  return data.expiresInSeconds === undefined ? data.expiresAt : new Date(data.now.getTime() + data.expiresInSeconds * 1000);
}

/**
 * A token that ends cannot issue or rotate to a token that outlives it: otherwise a one-hour
 * `tokens:write` token mints its own successor without expiry. Equal ends are allowed (a
 * rotation keeps the old expiry). A caller without an end (root, or a token made without
 * expiry) may give any expiry; the ledger itself is never asked (see the callers).
 */
function requireWithinLifetime(caller: Extract<CommandCaller, { kind: 'token' }>, expiresAt: Date | null): void {
  if (caller.expiresAt === null) return;
  // Written as "not within" so that an invalid date (NaN) is refused too.
  if (expiresAt === null || !(expiresAt.getTime() <= caller.expiresAt.getTime())) {
    const callerEnd = caller.expiresAt.toISOString();
    throw new TokenCommandError(
      'forbidden',
      'expiry_beyond_caller',
      `this token is valid until ${callerEnd} and cannot issue a token that outlives it; give an expiry no later than ${callerEnd}`,
      { callerExpiresAt: callerEnd },
    );
  }
}

/**
 * Rotate: the caller receives a new value carrying the token's scopes and `newExpiresAt`, so it
 * must be able to grant every one of them and that lifetime, exactly as if it created that token.
 * Root's own token is not rotated through the API (bootstrap owns `_system`).
 */
export function authorizeRotate(caller: CommandCaller, token: TokenFacts, newExpiresAt: Date | null): void {
  if (caller.kind === 'system') return;
  if (token.projectId === SYSTEM_PROJECT) throw invalid('reserved_project', `tokens of ${SYSTEM_PROJECT} are not rotated through the API`);
  requireWrite(caller, token.projectId);
  const beyond = scopesBeyond(caller, token.scopes);
  if (beyond.length > 0) throw forbidden(`this token cannot rotate a token holding ${beyond.join(', ')}`, beyond[0]);
  requireWithinLifetime(caller, newExpiresAt);
}

/**
 * Revoke: a token may always revoke itself (possession is the authority, RFC 7009); any other
 * token only with tokens:write there and only a token it could have granted, so that a
 * `tokens:write` token cannot cut off the project's admin or auditor.
 */
export function authorizeRevoke(caller: CommandCaller, token: TokenFacts): void {
  if (caller.kind === 'system' || caller.tokenId === token.tokenId) return;
  if (token.projectId === SYSTEM_PROJECT) throw invalid('reserved_project', `tokens of ${SYSTEM_PROJECT} are not revoked through the API`);
  requireWrite(caller, token.projectId);
  const beyond = scopesBeyond(caller, token.scopes);
  if (beyond.length > 0) throw forbidden(`this token cannot revoke a token holding ${beyond.join(', ')}`, beyond[0]);
}

/**
 * Update: an edit only ever narrows a token, yet it still changes what the token does, so the
 * caller needs tokens:write there and may edit only a token it could have granted (as for revoke).
 */
export function authorizeUpdate(caller: CommandCaller, token: TokenFacts): void {
  if (caller.kind === 'system') return;
  if (token.projectId === SYSTEM_PROJECT) throw invalid('reserved_project', `tokens of ${SYSTEM_PROJECT} are not edited through the API`);
  requireWrite(caller, token.projectId);
  const beyond = scopesBeyond(caller, token.scopes);
  if (beyond.length > 0) throw forbidden(`this token cannot edit a token holding ${beyond.join(', ')}`, beyond[0]);
}

function requireWrite(caller: { projectId: string; scopes: readonly string[] }, projectId: string): void {
  if (!callerMayAct(caller, 'tokens:write', projectId)) {
    throw forbidden(`this token needs scope tokens:write on project ${projectId}`, 'tokens:write');
  }
}

/**
 * Listing projects: root sees every project; any other token sees only its own, and only with
 * tokens:read there (the counts it shows are a read of that project's tokens).
 * Answers the one project the caller may see, or `'all'`.
 */
export function projectsVisibleTo(caller: { projectId: string; scopes: readonly string[] }): string {
  if (isRootCaller(caller)) return 'all';
  if (!callerMayAct(caller, 'tokens:read', caller.projectId)) {
    throw forbidden(`this token needs scope tokens:read on project ${caller.projectId}`, 'tokens:read');
  }
  return caller.projectId;
}

const invalidClient = (message: string) => new TokenCommandError('forbidden', 'invalid_client', message);

/**
 * Exchange for a short-lived access token (RFC 6749 §4.4): only the token itself asks (it
 * authenticated as the OAuth client), never the root token (a root JWT would be a skeleton key
 * that no revoke of a project reaches), and only while it is valid: revoked, expired or rotated
 * past its grace answer invalid_client, as an unknown one does. The access token carries a subset
 * of the token's scopes (`requested` null: all of them) and never outlives it; its expiry is in
 * whole seconds (a JWT's `exp`), rounded down so that it stays within the token's end.
 */
export function authorizeAccessToken(
  caller: CommandCaller,
  state: TokenState,
  request: { tokenId: string; projectId: string; scopes: readonly string[] | null; ttlSeconds: number; now: Date },
): { token: TokenFacts; scopes: string[]; expiresAt: Date } {
  if (state.status === 'absent' || state.token.projectId !== request.projectId) throw invalidClient('unknown client');
  const token = state.token;
  if (caller.kind !== 'token' || caller.tokenId !== token.tokenId) throw invalidClient('only the token itself may exchange it');
  if (token.type === 'root' || token.projectId === SYSTEM_PROJECT) throw invalidClient('the root token cannot be exchanged for an access token');
  if (state.status !== 'active' || isPastExpiry(token, request.now)) throw invalidClient(`the token is ${state.status === 'revoked' ? 'revoked' : 'expired'}`);
  if (!Number.isSafeInteger(request.ttlSeconds) || request.ttlSeconds <= 0)
    throw invalid('validation_failed', 'the access token lifetime must be a positive number of seconds');
  const scopes = request.scopes === null ? [...token.scopes] : [...new Set(request.scopes)];
  const beyond = scopes.filter((s) => !token.scopes.includes(s));
  if (beyond.length > 0) throw invalid('invalid_scope', `the token does not hold ${beyond.join(', ')}`);
  const end = Math.min(request.now.getTime() + request.ttlSeconds * 1000, token.expiresAt === null ? Infinity : Date.parse(token.expiresAt));
  const expiresAt = new Date(Math.floor(end / 1000) * 1000);
  if (expiresAt.getTime() <= request.now.getTime()) throw invalidClient('the token ends within a second');
  return { token, scopes, expiresAt };
}

/** Signing keys are the ledger's: created by the ledger itself or the CLI, rotated through the API by root only. */
export function authorizeSigningKeyRotation(caller: CommandCaller): void {
  if (caller.kind === 'system') return;
  if (!isRootCaller(caller)) throw forbidden('only the root token may rotate the signing key', 'root');
}
