import { projectionSpec } from '@ledger/token-domain/testing';
import type { TokenEvent } from '@ledger/token-domain';
import { evolveTokenRow, tokenStatus, type TokenRow } from './token-list.projection';

const created: TokenEvent = {
  type: 'TokenCreated',
  data: {
    tokenId: 'tok_a',
    projectId: 'shop',
    name: 'billing',
    type: 'integration',
    ownerId: null,
    scopes: ['orders:read'],
    expiresAt: '2026-06-01T00:00:00.000Z',
    secretHash: 'f'.repeat(64),
    hint: 'tli_…abcd',
    createdAt: '2026-03-01T00:00:00.000Z',
    rotatedFrom: null,
    metadata: { team: 'pay' },
  },
};

/** given(events) → the row they fold into, through the shared projection fold */
const given = (events: TokenEvent[]) => projectionSpec(evolveTokenRow, null as TokenRow | null).given(events).doc;

describe('token list projection', () => {
  it('TokenUpdated → each changed field set to its after value, the others kept', () => {
    const updated: TokenEvent = {
      type: 'TokenUpdated',
      data: {
        tokenId: 'tok_a',
        projectId: 'shop',
        updatedAt: '2026-03-02T00:00:00.000Z',
        changes: {
          scopes: { before: ['orders:read'], after: [] },
          expiresAt: { before: '2026-06-01T00:00:00.000Z', after: '2026-04-01T00:00:00.000Z' },
        },
      },
    };
    expect(given([created, updated])).toEqual({ ...given([created]), scopes: [], expiresAt: '2026-04-01T00:00:00.000Z' });
    expect(given([updated])).toBeNull();
  });

  it('TokenCreated → a new row', () => {
    expect(given([created])).toEqual({
      id: 'tok_a',
      projectId: 'shop',
      name: 'billing',
      type: 'integration',
      ownerId: null,
      scopes: ['orders:read'],
      metadata: { team: 'pay' },
      hint: 'tli_…abcd',
      secretHash: 'f'.repeat(64),
      createdAt: '2026-03-01T00:00:00.000Z',
      expiresAt: '2026-06-01T00:00:00.000Z',
      expiredAt: null,
      revokedAt: null,
      revokeReason: null,
      lastUsedAt: null,
      useCount: 0,
      rotatedFrom: null,
      rotatedTo: null,
    });
  });

  it('TokenRotated → rotatedTo set and the expiry cut to the end of the grace', () => {
    const row = given([
      created,
      {
        type: 'TokenRotated',
        data: {
          tokenId: 'tok_a',
          projectId: 'shop',
          newTokenId: 'tok_b',
          graceUntil: '2026-03-02T00:00:00.000Z',
          rotatedAt: '2026-03-01T12:00:00.000Z',
          newToken: { secretHash: 'e'.repeat(64), hint: 'tli_…efgh', expiresAt: null },
        },
      },
    ]);
    expect(row).toMatchObject({ rotatedTo: 'tok_b', expiresAt: '2026-03-02T00:00:00.000Z' });
  });

  it('TokenRevoked → revokedAt and reason', () => {
    const row = given([
      created,
      { type: 'TokenRevoked', data: { tokenId: 'tok_a', projectId: 'shop', reason: 'leaked', revokedAt: '2026-03-05T00:00:00.000Z' } },
    ]);
    expect(row).toMatchObject({ revokedAt: '2026-03-05T00:00:00.000Z', revokeReason: 'leaked' });
    expect(tokenStatus(row!, new Date('2026-03-06T00:00:00Z'))).toBe('revoked');
  });

  it('TokenExpired → expiredAt', () => {
    const row = given([created, { type: 'TokenExpired', data: { tokenId: 'tok_a', projectId: 'shop', expiredAt: '2026-06-01T00:00:00.000Z' } }]);
    expect(row?.expiredAt).toBe('2026-06-01T00:00:00.000Z');
  });

  it('ignores events about a row it never saw, and event types it does not handle', () => {
    expect(given([{ type: 'TokenRevoked', data: { tokenId: 'tok_x', projectId: 'shop', reason: null, revokedAt: '2026-01-01T00:00:00Z' } }])).toBeNull();
    const reminded: TokenEvent = {
      type: 'ReminderSent',
      data: {
        tokenId: 'tok_a',
        projectId: 'shop',
        kind: 'expiry_warning',
        due: '2026-05-25T00:00:00.000Z',
        channel: 'log',
        deliveredAt: '2026-05-25T00:00:01.000Z',
        attempt: 1,
      },
    };
    expect(given([created, reminded])).toEqual(given([created]));
  });

  it('judges expiry by the clock, before any TokenExpired is recorded', () => {
    const row = given([created])!;
    expect(tokenStatus(row, new Date('2026-05-31T23:59:59Z'))).toBe('active');
    expect(tokenStatus(row, new Date('2026-06-01T00:00:00Z'))).toBe('expired');
  });
});
