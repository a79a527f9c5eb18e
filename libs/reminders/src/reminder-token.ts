import type { TokenEvent, TokenType } from '@ledger/token-domain';

/** What reminders need to know about a token, folded from its stream. */
export interface ReminderToken {
  tokenId: string;
  projectId: string;
  name: string;
  type: TokenType;
  hint: string;
  createdAt: string;
  /** The current end of validity (a rotation's grace shortens it). */
  expiresAt: string | null;
  /** When the current expiry was decided: warnings due before then are not sent. */
  expirySetAt: string;
  status: 'active' | 'revoked' | 'expired';
  rotatedTo: string | null;
  /** Ids of the reminders recorded as sent (ReminderSent). */
  sent: string[];
}

export type ReminderTokenState = ReminderToken | null;

export function evolveReminderToken(state: ReminderTokenState, event: TokenEvent): ReminderTokenState {
  switch (event.type) {
    case 'TokenCreated': {
      const d = event.data;
      return {
        tokenId: d.tokenId,
        projectId: d.projectId,
        name: d.name,
        type: d.type,
        hint: d.hint,
        createdAt: d.createdAt,
        expiresAt: d.expiresAt,
        expirySetAt: d.createdAt,
        status: 'active',
        rotatedTo: null,
        sent: [],
      };
    }
    case 'TokenRevoked':
      return state && { ...state, status: 'revoked' };
    case 'TokenRotated':
      if (!state || state.status !== 'active') return state;
      return { ...state, expiresAt: event.data.graceUntil, expirySetAt: event.data.rotatedAt, rotatedTo: event.data.newTokenId };
    case 'TokenUpdated': {
      // A shortened expiry moves the reminders (the fold compares pending before and after):
      // warnings due before the edit are not sent, as for a rotation's grace.
      if (!state) return state;
      const { name, expiresAt } = event.data.changes;
      return {
        ...state,
        name: name ? name.after : state.name,
        ...(expiresAt ? { expiresAt: expiresAt.after, expirySetAt: event.data.updatedAt } : {}),
      };
    }
    case 'TokenExpired':
      return state && state.status === 'active' ? { ...state, status: 'expired' } : state;
    case 'ReminderSent': {
      if (!state) return state;
      const { tokenId, kind, due } = event.data;
      return { ...state, sent: [...state.sent, `${tokenId}.${kind}.${Date.parse(due)}`] };
    }
    case 'TokenUsed':
    case 'AccessTokenIssued':
      return state;
    default: {
      const other: never = event;
      return other && state;
    }
  }
}
