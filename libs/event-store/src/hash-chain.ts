import { createHash } from 'node:crypto';

/**
 * Tamper evidence: every event's metadata.prevHash is the hash of the stream's previous event,
 * so editing, removing or reordering any recorded event breaks every later link.
 *
 * eventHash = SHA-256 hex of the canonical JSON of {id, streamId, revision, type, data, metadata}:
 * object keys sorted by code point, no whitespace, JSON.stringify for every scalar.
 */
export const GENESIS_HASH = '0'.repeat(64);

export interface HashableEvent {
  id: string;
  streamId: string;
  revision: number;
  type: string;
  data: unknown;
  metadata: unknown;
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function eventHash(event: HashableEvent): string {
  const { id, streamId, revision, type, data, metadata } = event;
  return createHash('sha256').update(canonicalJson({ id, streamId, revision, type, data, metadata })).digest('hex');
}
