import { projectionSpec } from '@ledger/token-domain/testing';
import type { TokenEvent } from '@ledger/token-domain';
import { evolveTokenRow, type TokenRow } from './token-list.projection';
import { TokenIndex } from './token-index';
import { TokenListQueries } from './token-list.queries';
import { TokenListReadModel } from './token-list.read-model';

const created = (tokenId: string): TokenEvent => ({
  type: 'TokenCreated',
  data: {
    tokenId,
    projectId: 'shop',
    name: tokenId,
    type: 'integration',
    ownerId: null,
    scopes: ['orders:read'],
    expiresAt: null,
    secretHash: tokenId.padEnd(64, '0'),
    hint: 'tli_…abcd',
    createdAt: '2026-03-01T00:00:00.000Z',
    rotatedFrom: null,
    metadata: {},
  },
});
const used = (tokenId: string, count: number, lastUsedAt: string): TokenEvent => ({
  type: 'TokenUsed',
  data: { tokenId, projectId: 'shop', count, firstUsedAt: lastUsedAt, lastUsedAt, lastIp: null, lastUserAgent: null },
});
/** given(events) → the row they fold into, through the shared projection fold */
const given = (events: TokenEvent[]) => projectionSpec(evolveTokenRow, null as TokenRow | null).given(events).doc;

describe('usage in the token list', () => {
  it('TokenUsed → useCount adds up, lastUsedAt is the latest use', () => {
    const row = given([created('tok_a'), used('tok_a', 3, '2026-03-02T10:00:00.000Z'), used('tok_a', 4, '2026-03-02T11:00:00.000Z')]);
    expect(row).toMatchObject({ useCount: 7, lastUsedAt: '2026-03-02T11:00:00.000Z' });
  });

  it('keeps the latest use when another replica flushes an older window later', () => {
    const row = given([created('tok_a'), used('tok_a', 1, '2026-03-02T11:00:00.000Z'), used('tok_a', 2, '2026-03-02T10:00:00.000Z')]);
    expect(row).toMatchObject({ useCount: 3, lastUsedAt: '2026-03-02T11:00:00.000Z' });
  });

  it('orders a project by last use (never used first when ascending) and leaves the token index alone', () => {
    const readModel = TokenListReadModel.open(':memory:');
    const index = TokenIndex.load(readModel);
    const events = [
      created('tok_a'),
      created('tok_b'),
      created('tok_c'),
      used('tok_b', 1, '2026-03-05T00:00:00.000Z'),
      used('tok_a', 9, '2026-03-04T00:00:00.000Z'),
    ].map((e, i) => ({ ...e, id: `e${i}`, streamId: `token-${e.data.tokenId}`, revision: 0, position: i + 1, metadata: {}, recordedAt: '' }));
    readModel.apply(events);
    index.apply(events);
    const queries = new TokenListQueries(readModel.db);
    const page = (direction: 'ASC' | 'DESC') =>
      queries.list({ projectId: 'shop', status: 'all', order: 'lastUsedAt', direction, limit: 10, now: new Date() }).items.map((r) => r.id);
    expect(page('ASC')).toEqual(['tok_c', 'tok_a', 'tok_b']);
    expect(page('DESC')).toEqual(['tok_b', 'tok_a', 'tok_c']);
    expect(queries.get('shop', 'tok_a')).toMatchObject({ useCount: 9, lastUsedAt: '2026-03-04T00:00:00.000Z' });
    expect(index.find('tok_a'.padEnd(64, '0'))).toEqual({
      id: 'tok_a',
      projectId: 'shop',
      type: 'integration',
      ownerId: null,
      scopes: ['orders:read'],
      createdAt: '2026-03-01T00:00:00.000Z',
      expiresAt: null,
      expiredAt: null,
      revokedAt: null,
    });
    readModel.close();
  });
});
