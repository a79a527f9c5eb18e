import type { RecordUsage } from './token.commands';
import { tokenDecider } from './token.decider';
import { deciderSpec } from './testing/given-when-then';
import { SPEC_START, tokenCreated } from './testing/token-fixtures';

const T0 = SPEC_START;
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

const { given } = deciderSpec(tokenDecider);

const created = tokenCreated();

const recordUsage = (overrides: Partial<RecordUsage['data']> = {}): RecordUsage => ({
  type: 'RecordUsage',
  data: {
    tokenId: 'tok_a',
    projectId: 'shop',
    count: 42,
    firstUsedAt: at(10),
    lastUsedAt: at(55),
    lastIp: '10.0.0.7',
    lastUserAgent: 'billing/1.0',
    now: at(60),
    ...overrides,
  },
});

const used = {
  type: 'TokenUsed' as const,
  data: {
    tokenId: 'tok_a',
    projectId: 'shop',
    count: 42,
    firstUsedAt: at(10).toISOString(),
    lastUsedAt: at(55).toISOString(),
    lastIp: '10.0.0.7',
    lastUserAgent: 'billing/1.0',
  },
};

describe('RecordUsage', () => {
  it('records one window of uses as one TokenUsed', () => given([created]).when(recordUsage()).then([used]));
  it('records uses of a token revoked since (they happened before)', () =>
    given([created, { type: 'TokenRevoked', data: { tokenId: 'tok_a', projectId: 'shop', reason: null, revokedAt: at(60).toISOString() } }])
      .when(recordUsage())
      .then([used]));
  it('records windows one after another', () => given([created, used]).when(recordUsage()).then([used]));
  it('does not know a token that was never created', () => given([]).when(recordUsage()).thenThrows('token_not_found'));
  it('does not record uses against another project', () =>
    given([created])
      .when(recordUsage({ projectId: 'other' }))
      .thenThrows('token_not_found'));
  it.each([0, -1, 1.5])('refuses a count of %p', (count) => given([created]).when(recordUsage({ count })).thenThrows('invalid_usage'));
  it('refuses a window that ends before it starts', () =>
    given([created])
      .when(recordUsage({ firstUsedAt: at(60), lastUsedAt: at(10) }))
      .thenThrows('invalid_usage'));
});
