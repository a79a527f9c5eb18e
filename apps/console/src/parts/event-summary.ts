import type { AuditEvent } from '../api-types';
import { exactTime } from '../logic/time-format';

/** A field as text: what the API sent, or nothing for a field that is absent (or redacted). */
export const fieldText = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');
const time = (value: unknown): string => (typeof value === 'string' ? exactTime(value) : '');

/** One line saying what an event did, in the timeline and the audit table. */
export function eventSummary(event: AuditEvent): string {
  const d = event.data;
  switch (event.type) {
    case 'TokenCreated': {
      const scopes = Array.isArray(d.scopes) ? d.scopes.map(fieldText).join(', ') : '';
      return `created “${fieldText(d.name)}” (${fieldText(d.type)}) with ${scopes || 'no scopes'}; expires ${d.expiresAt ? time(d.expiresAt) : 'never'}${d.rotatedFrom ? `; replaces ${fieldText(d.rotatedFrom)}` : ''}`;
    }
    case 'TokenUsed':
      return `used ${fieldText(d.count)} time${d.count === 1 ? '' : 's'} between ${time(d.firstUsedAt)} and ${time(d.lastUsedAt)}`;
    case 'TokenRotated':
      return `rotated to ${fieldText(d.newTokenId)}; the old token ends ${d.graceUntil ? time(d.graceUntil) : 'now'}`;
    case 'TokenRevoked':
      return `revoked${d.reason ? `: ${fieldText(d.reason)}` : ''}`;
    case 'TokenExpired':
      return `expired at ${time(d.expiredAt)}`;
    case 'ReminderSent':
      return `${fieldText(d.kind).replace(/_/g, ' ')} reminder sent via ${fieldText(d.channel)} (attempt ${fieldText(d.attempt)})`;
    default:
      return event.type;
  }
}

export function actorOf(event: AuditEvent): string {
  const actor = event.metadata?.actor;
  if (typeof actor !== 'object' || actor === null) return '—';
  const { type, id } = actor as { type?: unknown; id?: unknown };
  return id ? `${fieldText(type)}:${fieldText(id)}` : fieldText(type);
}

/** When the event took effect (the deciding command's clock, which asOf replays by), else when it was stored. */
export function eventTime(event: AuditEvent): string {
  return typeof event.metadata?.occurredAt === 'string' ? event.metadata.occurredAt : event.recordedAt;
}
