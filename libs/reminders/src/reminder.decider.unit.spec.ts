import type { TokenEvent } from '@ledger/token-domain';
import { deciderSpec } from '@ledger/token-domain/testing';
import { reminderDecider, type RecordReminderSent } from './reminder.decider';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const created: TokenEvent = {
  type: 'TokenCreated',
  data: {
    tokenId: 'tok_a',
    projectId: 'shop',
    name: 'billing',
    type: 'integration',
    ownerId: null,
    scopes: [],
    expiresAt: at(100).toISOString(),
    secretHash: 'a'.repeat(64),
    hint: 'tli_…abcd',
    createdAt: at(0).toISOString(),
    rotatedFrom: null,
    metadata: {},
  },
};
const record = (overrides: Partial<RecordReminderSent['data']> = {}): RecordReminderSent => ({
  type: 'RecordReminderSent',
  data: { tokenId: 'tok_a', projectId: 'shop', kind: 'expired', due: at(100).toISOString(), channel: 'webhook', attempt: 3, now: at(101), ...overrides },
});
const sentEvent: TokenEvent = {
  type: 'ReminderSent',
  data: {
    tokenId: 'tok_a',
    projectId: 'shop',
    kind: 'expired',
    due: at(100).toISOString(),
    channel: 'webhook',
    deliveredAt: at(101).toISOString(),
    attempt: 3,
  },
};

const { given } = deciderSpec(reminderDecider);

describe('RecordReminderSent', () => {
  it('records a delivered reminder', () => given([created]).when(record()).then([sentEvent]));
  it('records it once: a job that ran twice adds nothing', () =>
    given([created, sentEvent])
      .when(record({ attempt: 4 }))
      .then([]));
  it('records another kind or due of the same token', () =>
    given([created, sentEvent])
      .when(record({ kind: 'expiry_warning', due: at(50).toISOString(), now: at(50) }))
      .then([{ ...sentEvent, data: { ...sentEvent.data, kind: 'expiry_warning', due: at(50).toISOString(), deliveredAt: at(50).toISOString() } }]));
  it('records a delivery that raced a revoke: it did happen', () =>
    given([created, { type: 'TokenRevoked', data: { tokenId: 'tok_a', projectId: 'shop', reason: null, revokedAt: at(100).toISOString() } }])
      .when(record())
      .then([sentEvent]));
  it('knows no unknown token', () => given([]).when(record()).thenThrows('token_not_found'));
  it('knows no token of another project', () =>
    given([created])
      .when(record({ projectId: 'other' }))
      .thenThrows('token_not_found'));
});
