import type { ReminderKind } from '@ledger/token-domain';

export type { ReminderKind };

/** One reminder about one token: what is due, and when. Its id is the same every time it is derived. */
export interface Reminder {
  id: string;
  tokenId: string;
  projectId: string;
  kind: ReminderKind;
  /** ISO-8601 time at which it is due. */
  due: string;
}

/** When reminders fall due (REMINDER_LEADS, ROTATION_PERIOD). */
export interface ReminderPolicy {
  leadsSeconds: number[];
  rotationPeriodSeconds: number;
}

/**
 * token + kind + due: scheduling the same reminder again is a no-op, and a changed expiry gives
 * new ids (so the old jobs are cancelled, the new ones scheduled). BullMQ ids may not hold ':'.
 */
export const reminderId = (tokenId: string, kind: ReminderKind, due: string): string => `${tokenId}.${kind}.${Date.parse(due)}`;
