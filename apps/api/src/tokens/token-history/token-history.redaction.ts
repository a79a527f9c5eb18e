import type { AuditEventView } from './audit-event.view';

/** Metadata that identifies the client behind a change (who sent it from where). */
const CLIENT_METADATA = ['ip', 'userAgent'];
/** Event data that identifies a client or a secret: the last use's client, an exchange's client, the secret hashes. */
const CLIENT_DATA = ['secretHash', 'lastIp', 'lastUserAgent', 'clientAddress'];

const without = (record: Record<string, unknown>, keys: string[]): Record<string, unknown> =>
  Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));

/**
 * A token's history as a `tokens:read` caller without `audit:read` sees it: what happened and
 * who did it, but not the clients' IP addresses and user agents nor the secret hashes (a hash
 * is an offline-guessable fingerprint of the value). The full record, hash chain included, is
 * for auditors: they read it here or under /v1/audit with `audit:read`.
 */
export function withoutClientDetails(event: AuditEventView): AuditEventView {
  const data = without(event.data, CLIENT_DATA);
  const newToken = event.data.newToken;
  if (typeof newToken === 'object' && newToken !== null) data.newToken = without(newToken as Record<string, unknown>, CLIENT_DATA);
  return { ...event, data, metadata: without(event.metadata, CLIENT_METADATA) };
}
