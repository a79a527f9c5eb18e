import { reminderId, type Reminder, type ReminderKind, type ReminderPolicy } from './reminder';
import type { ReminderToken } from './reminder-token';

/**
 * Every reminder the token's history calls for, sent or not (docs/reminders.md, "How it works"):
 * an expiry_warning at each lead before expiresAt, `expired` at expiresAt, and for a token
 * without expiry `rotation_due` at createdAt + ROTATION_PERIOD. A revoked token gets nothing more;
 * a token recorded as expired only its `expired` notice.
 */
export function remindersOf(token: ReminderToken, policy: ReminderPolicy): Reminder[] {
  if (token.status === 'revoked') return [];
  const make = (kind: ReminderKind, dueMs: number): Reminder => {
    const due = new Date(dueMs).toISOString();
    return { id: reminderId(token.tokenId, kind, due), tokenId: token.tokenId, projectId: token.projectId, kind, due };
  };
  if (token.expiresAt === null) {
    return [make('rotation_due', Date.parse(token.createdAt) + policy.rotationPeriodSeconds * 1000)];
  }
  const expiresAt = Date.parse(token.expiresAt);
  const expired = make('expired', expiresAt);
  if (token.status === 'expired') return [expired];
  // A warning due before the expiry was even set (a short-lived token, a short grace) says nothing new.
  const setAt = Date.parse(token.expirySetAt);
  const warnings = policy.leadsSeconds
    .map((lead) => expiresAt - lead * 1000)
    .filter((due) => due > setAt)
    .map((due) => make('expiry_warning', due));
  return [...warnings, expired];
}

/** The reminders still to deliver: called for and not yet recorded as sent. */
export function pendingReminders(token: ReminderToken, policy: ReminderPolicy): Reminder[] {
  const sent = new Set(token.sent);
  return remindersOf(token, policy).filter((r) => !sent.has(r.id));
}

/**
 * Whether a job about to run should still deliver: it is pending, and a warning has not been
 * overtaken by the expiry itself (a late warning after the fact would only confuse).
 */
export function isStillDue(token: ReminderToken | null, id: string, policy: ReminderPolicy, now: Date): boolean {
  if (!token) return false;
  const reminder = pendingReminders(token, policy).find((r) => r.id === id);
  if (!reminder) return false;
  return !(reminder.kind === 'expiry_warning' && token.expiresAt !== null && Date.parse(token.expiresAt) <= now.getTime());
}
