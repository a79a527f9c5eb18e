import { createHash } from 'node:crypto';
import type { RecordedEvent } from '@ledger/event-store';

/** Hex SHA-256, as the ledger's secret hashes are. */
export const sha256Hex = (name: string): string => createHash('sha256').update(name).digest('hex');

let position = 0;

/** A stored event as the projector hands it to the index: on the token's stream, at the next position. */
export const recorded = (type: string, data: Record<string, unknown>): RecordedEvent => ({
  id: `e${++position}`,
  streamId: `token-${String(data.tokenId)}`,
  revision: 0,
  position,
  type,
  data,
  metadata: {},
  recordedAt: '2026-01-01T00:00:00.000Z',
});

/** A stored TokenCreated of project `shop`, scope `read`, expiring 2026-06-01; `data` overrides any field. */
export const recordedCreated = (tokenId: string, secretHash: string, data: Record<string, unknown> = {}): RecordedEvent =>
  recorded('TokenCreated', {
    tokenId,
    projectId: 'shop',
    name: 'n',
    type: 'project',
    ownerId: null,
    scopes: ['read'],
    expiresAt: '2026-06-01T00:00:00.000Z',
    secretHash,
    hint: 'tlp_…0000',
    createdAt: '2026-01-01T00:00:00.000Z',
    rotatedFrom: null,
    metadata: {},
    ...data,
  });
