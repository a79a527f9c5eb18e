import type { AuditEvent } from '../api-types';
import { exactTime } from '../logic/time-format';

/** One line saying what an event did, in the timeline and the audit table. */
export function eventSummary(event: AuditEvent): string {
  const d = event.data;
  switch (event.type) {
    case 'TokenCreated':
      return `created “${d.name}” (${d.type}) with ${(d.scopes ?? []).join(', ') || 'no scopes'}; expires ${d.expiresAt ? exactTime(d.expiresAt) : 'never'}${d.rotatedFrom ? `; replaces ${d.rotatedFrom}` : ''}`;
    case 'TokenUsed':
      return `used ${d.count} time${d.count === 1 ? '' : 's'} between ${exactTime(d.firstUsedAt)} and ${exactTime(d.lastUsedAt)}`;
    case 'TokenRotated':
      return `rotated to ${d.newTokenId}; the old token ends ${d.graceUntil ? exactTime(d.graceUntil) : 'now'}`;
    case 'TokenRevoked':
      return `revoked${d.reason ? `: ${d.reason}` : ''}`;
    case 'TokenExpired':
      return `expired at ${exactTime(d.expiredAt)}`;
    case 'ReminderSent':
      return `${String(d.kind).replace(/_/g, ' ')} reminder sent via ${d.channel} (attempt ${d.attempt})`;
    default:
      return event.type;
  }
}

export function actorOf(event: AuditEvent): string {
  const actor = event.metadata?.actor;
  if (!actor) return '—';
  return actor.id ? `${actor.type}:${actor.id}` : String(actor.type);
}

/** When the event took effect (the deciding command's clock, which asOf replays by), else when it was stored. */
export function eventTime(event: AuditEvent): string {
  return typeof event.metadata?.occurredAt === 'string' ? event.metadata.occurredAt : event.recordedAt;
}
