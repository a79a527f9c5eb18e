import type { RecordedEvent } from '@ledger/event-store';
import { TokenIndex } from './token-index';
import { tokenStatus } from './token-list.projection';

let position = 0;
const event = (type: string, data: Record<string, unknown>): RecordedEvent => ({
  id: `e${++position}`,
  streamId: `token-${data.tokenId}`,
  revision: 0,
  position,
  type,
  data,
  metadata: {},
  recordedAt: '2026-01-01T00:00:00.000Z',
});
const created = (tokenId: string, secretHash: string) =>
  event('TokenCreated', {
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
    metadata: { big: 'not kept' },
  });

describe('token index (secret hash → token)', () => {
  const now = new Date('2026-02-01T00:00:00Z');

  it('finds a created token by its secret hash, keeping only what authentication needs', () => {
    const index = new TokenIndex();
    index.apply([created('tok_a', 'h-a')]);
    expect(index.find('h-a')).toEqual({
      id: 'tok_a',
      projectId: 'shop',
      type: 'project',
      ownerId: null,
      scopes: ['read'],
      createdAt: '2026-01-01T00:00:00.000Z',
      expiresAt: '2026-06-01T00:00:00.000Z',
      expiredAt: null,
      revokedAt: null,
    });
    expect(index.find('h-b')).toBeUndefined();
  });

  it('follows revokes, rotations and expiries by token id', () => {
    const index = new TokenIndex();
    index.apply([
      created('tok_a', 'h-a'),
      created('tok_b', 'h-b'),
      created('tok_c', 'h-c'),
      event('TokenRevoked', { tokenId: 'tok_a', revokedAt: '2026-01-10T00:00:00.000Z', reason: null }),
      event('TokenRotated', { tokenId: 'tok_b', newTokenId: 'tok_d', graceUntil: '2026-01-20T00:00:00.000Z' }),
      event('TokenExpired', { tokenId: 'tok_c', expiredAt: '2026-01-30T00:00:00.000Z' }),
      event('TokenRevoked', { tokenId: 'tok_unknown', revokedAt: '2026-01-10T00:00:00.000Z' }),
    ]);
    expect(tokenStatus(index.find('h-a')!, now)).toBe('revoked');
    expect(index.find('h-b')?.expiresAt).toBe('2026-01-20T00:00:00.000Z');
    expect(tokenStatus(index.find('h-b')!, now)).toBe('expired');
    expect(tokenStatus(index.find('h-c')!, now)).toBe('expired');
    expect(index.size).toBe(3);
  });
});
