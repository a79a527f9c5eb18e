import { randomUUID } from 'node:crypto';
import { eventHash, GENESIS_HASH, SCHEMA_VERSION, type EventStore } from '@ledger/event-store';

/**
 * Appends one event with a chosen time to a token's stream, chained onto the stream's last event
 * as handleCommand chains it. The API stamps the real clock; a timeline needs chosen instants.
 */
export async function appendAt(store: EventStore, tokenId: string, type: string, data: Record<string, unknown>, occurredAt: string): Promise<void> {
  const streamId = `token-${tokenId}`;
  const last = (await store.readStream(streamId)).at(-1);
  const metadata = {
    actor: { type: 'system', id: 'timeline' },
    requestId: null,
    ip: null,
    userAgent: null,
    correlationId: null,
    causationId: null,
    schemaVersion: SCHEMA_VERSION,
    occurredAt,
    prevHash: last ? eventHash(last) : GENESIS_HASH,
  };
  await store.appendToStream(streamId, [{ id: randomUUID(), type, data: { tokenId, ...data }, metadata }], last ? last.revision : 'no_stream');
}

export const T = {
  created: '2026-01-10T00:00:00.000Z',
  used: '2026-01-11T00:00:00.000Z',
  rotated: '2026-01-12T00:00:00.000Z',
  graceEnds: '2026-01-13T00:00:00.000Z',
  revoked: '2026-01-15T00:00:00.000Z',
  expires: '2026-01-20T00:00:00.000Z',
  expiryRecorded: '2026-01-20T01:00:00.000Z',
};
export const A = 'tok_TimelineA0000000000001';
export const B = 'tok_TimelineB0000000000002';
export const C = 'tok_TimelineC0000000000003';

const created = (projectId: string, name: string, expiresAt: string | null, at: string, rotatedFrom: string | null = null) => ({
  projectId,
  name,
  type: 'project',
  ownerId: null,
  scopes: ['orders:read'],
  expiresAt,
  secretHash: 'a'.repeat(64),
  hint: 'tlp_…0000',
  createdAt: at,
  rotatedFrom,
  metadata: {},
});

/**
 * Project `acme`: A is created, used, then rotated to B with a one-day grace; B is revoked; C
 * simply runs out at T.expires (TokenExpired recorded an hour later). Project `other` has D.
 */
export async function appendTimeline(store: EventStore): Promise<void> {
  await appendAt(store, A, 'TokenCreated', created('acme', 'A', '2026-12-31T00:00:00.000Z', T.created), T.created);
  await appendAt(store, C, 'TokenCreated', created('acme', 'C', T.expires, T.created), T.created);
  await appendAt(store, 'tok_TimelineD0000000000004', 'TokenCreated', created('other', 'D', null, T.created), T.created);
  await appendAt(
    store,
    A,
    'TokenUsed',
    { projectId: 'acme', count: 3, firstUsedAt: T.used, lastUsedAt: T.used, lastIp: '10.0.0.1', lastUserAgent: 'curl/8' },
    T.used,
  );
  await appendAt(
    store,
    A,
    'TokenRotated',
    {
      projectId: 'acme',
      newTokenId: B,
      graceUntil: T.graceEnds,
      rotatedAt: T.rotated,
      newToken: { secretHash: 'b'.repeat(64), hint: 'tlp_…1111', expiresAt: '2026-12-31T00:00:00.000Z' },
    },
    T.rotated,
  );
  await appendAt(store, B, 'TokenCreated', created('acme', 'A', '2026-12-31T00:00:00.000Z', T.rotated, A), T.rotated);
  await appendAt(store, B, 'TokenRevoked', { projectId: 'acme', reason: 'leaked', revokedAt: T.revoked }, T.revoked);
  await appendAt(store, C, 'TokenExpired', { projectId: 'acme', expiredAt: T.expires }, T.expiryRecorded);
}

export const justBefore = (iso: string) => new Date(Date.parse(iso) - 1).toISOString();
