import type { TokenChanges, TokenCreated, TokenEvent } from './token.events';

/** What the decider needs to know about a token, folded from its stream. */
export type TokenFacts = TokenCreated['data'] & {
  /** The current end of validity: the creation expiry, shortened by a rotation's grace. */
  expiresAt: string | null;
  rotatedTo: string | null;
};

export type TokenState =
  | { status: 'absent' }
  | { status: 'active'; token: TokenFacts }
  | { status: 'revoked'; token: TokenFacts; revokedAt: string }
  | { status: 'expired'; token: TokenFacts; expiredAt: string };

export const initialTokenState = (): TokenState => ({ status: 'absent' });

export function evolve(state: TokenState, event: TokenEvent): TokenState {
  switch (event.type) {
    case 'TokenCreated':
      return { status: 'active', token: { ...event.data, rotatedTo: null } };
    case 'TokenRevoked':
      if (state.status === 'absent') return state;
      return { status: 'revoked', token: state.token, revokedAt: event.data.revokedAt };
    case 'TokenRotated':
      if (state.status !== 'active') return state;
      return {
        status: 'active',
        token: { ...state.token, rotatedTo: event.data.newTokenId, expiresAt: event.data.graceUntil },
      };
    case 'TokenUpdated':
      if (state.status === 'absent') return state;
      return { ...state, token: withChanges(state.token, event.data.changes) };
    case 'TokenExpired':
      if (state.status !== 'active') return state;
      return { status: 'expired', token: state.token, expiredAt: event.data.expiredAt };
    case 'TokenUsed':
    case 'ReminderSent':
    case 'AccessTokenIssued':
      // Usage, reminders and access tokens are recorded facts; they do not change what may be decided.
      return state;
    default: {
      const other: never = event;
      return other && state;
    }
  }
}

/** A token whose expiry has passed is expired whether or not TokenExpired was recorded yet. */
export function isPastExpiry(token: TokenFacts, now: Date): boolean {
  return token.expiresAt !== null && Date.parse(token.expiresAt) <= now.getTime();
}

/** The token with each edited field set to its `after` value. */
export function withChanges<T extends { name: string; metadata: Record<string, unknown>; scopes: string[]; expiresAt: string | null }>(
  token: T,
  changes: TokenChanges,
): T {
  const next = { ...token };
  if (changes.name) next.name = changes.name.after;
  if (changes.metadata) next.metadata = changes.metadata.after;
  if (changes.scopes) next.scopes = changes.scopes.after;
  if (changes.expiresAt) next.expiresAt = changes.expiresAt.after;
  return next;
}
