import type { UpdateToken } from './token.commands';
import { TokenCommandError } from './token.errors';
import type { TokenChanges } from './token.events';
import type { TokenFacts } from './token.state';

const invalid = (code: string, message: string, details?: Record<string, unknown>) => new TokenCommandError('invalid', code, message, details);

/** Same JSON whatever the order of an object's keys: a re-sent metadata object is not an edit. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * What an edit changes on an active token, field by field, or refuses: scopes may only be
 * narrowed (widening is a new token, which the caller must be allowed to create) and the expiry
 * only shortened (extending is a rotation). A field sent as it already is is no change.
 */
export function tokenChanges({ data }: UpdateToken, token: TokenFacts): TokenChanges {
  const changes: TokenChanges = {};
  if (data.name !== undefined && data.name !== token.name) changes.name = { before: token.name, after: data.name };
  if (data.metadata !== undefined && canonical(data.metadata) !== canonical(token.metadata)) {
    changes.metadata = { before: token.metadata, after: data.metadata };
  }
  if (data.scopes !== undefined) {
    const added = data.scopes.filter((scope) => !token.scopes.includes(scope));
    if (added.length > 0) {
      throw invalid('scope_widening', `scopes can only be narrowed: ${added.join(', ')} is not on this token; a wider token is a new token`, {
        added,
      });
    }
    const removed = token.scopes.filter((scope) => !data.scopes!.includes(scope));
    if (removed.length > 0) changes.scopes = { before: token.scopes, after: data.scopes };
  }
  const expiresAt = requestedEnd(data);
  if (expiresAt !== undefined) {
    if (expiresAt.getTime() <= data.now.getTime()) throw invalid('expiry_in_past', 'the new expiry must be in the future; to end a token now, revoke it');
    // Written as "not before" so that an invalid date (NaN) is refused too.
    if (token.expiresAt !== null && !(expiresAt.getTime() <= Date.parse(token.expiresAt))) {
      throw invalid('expiry_extension', `the expiry can only be shortened (it is ${token.expiresAt}); a longer life is a rotation`, {
        expiresAt: token.expiresAt,
      });
    }
    const after = expiresAt.toISOString();
    if (after !== token.expiresAt) changes.expiresAt = { before: token.expiresAt, after };
  }
  return changes;
}

/** The end an edit asks for: `expiresInSeconds` from `now`, or `expiresAt`; undefined = keep. */
function requestedEnd(data: UpdateToken['data']): Date | undefined {
  if (data.expiresInSeconds !== undefined && data.expiresAt !== undefined) {
    throw invalid('validation_failed', 'give either expiresIn or expiresAt, not both');
  }
  if (data.expiresInSeconds !== undefined) return new Date(data.now.getTime() + data.expiresInSeconds * 1000);
  return data.expiresAt;
}

/** Whether the command asks for anything at all (an empty edit is a client mistake, not a no-op). */
export const asksForChanges = ({ data }: UpdateToken): boolean =>
  [data.name, data.metadata, data.scopes, data.expiresAt, data.expiresInSeconds].some((field) => field !== undefined);
