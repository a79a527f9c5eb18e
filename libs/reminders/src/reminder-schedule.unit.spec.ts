import type { TokenCreated, TokenEvent } from '@ledger/token-domain';
import { projectionSpec } from '@ledger/token-domain/testing';
import { reminderId, type ReminderPolicy } from './reminder';
import { isStillDue, pendingReminders } from './reminder-schedule';
import { evolveReminderToken, type ReminderTokenState } from './reminder-token';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const DAY = 86_400;
const policy: ReminderPolicy = { leadsSeconds: [14 * DAY, 7 * DAY, 1 * DAY], rotationPeriodSeconds: 90 * DAY };

const created = (expiresAt: string | null): TokenCreated => ({
  type: 'TokenCreated',
  data: {
    tokenId: 'tok_a',
    projectId: 'shop',
    name: 'billing',
    type: 'integration',
    ownerId: null,
    scopes: [],
    expiresAt,
    secretHash: 'a'.repeat(64),
    hint: 'tli_…abcd',
    createdAt: at(0),
    rotatedFrom: null,
    metadata: {},
  },
});
const revoked: TokenEvent = { type: 'TokenRevoked', data: { tokenId: 'tok_a', projectId: 'shop', reason: null, revokedAt: at(10) } };
const rotated = (rotatedAtS: number, graceUntilS: number): TokenEvent => ({
  type: 'TokenRotated',
  data: {
    tokenId: 'tok_a',
    projectId: 'shop',
    newTokenId: 'tok_b',
    graceUntil: at(graceUntilS),
    rotatedAt: at(rotatedAtS),
    newToken: { secretHash: 'b'.repeat(64), hint: 'tli_…efgh', expiresAt: null },
  },
});
const sent = (kind: 'expiry_warning' | 'expired' | 'rotation_due', dueS: number): TokenEvent => ({
  type: 'ReminderSent',
  data: { tokenId: 'tok_a', projectId: 'shop', kind, due: at(dueS), channel: 'webhook', deliveredAt: at(dueS), attempt: 1 },
});

const reminderToken = projectionSpec(evolveReminderToken, null as ReminderTokenState);

/** given(events).then(kind@seconds, …): the pending reminders the history calls for. */
function given(events: TokenEvent[]) {
  const token = reminderToken.given(events).doc!;
  return {
    token,
    then: (expected: Array<[string, number]>) =>
      expect(pendingReminders(token, policy).map((r) => [r.kind, (Date.parse(r.due) - T0) / 1000])).toEqual(expected),
  };
}

describe('pending reminders', () => {
  it('warns at each lead before expiresAt and notes the expiry itself', () =>
    given([created(at(30 * DAY))]).then([
      ['expiry_warning', 16 * DAY],
      ['expiry_warning', 23 * DAY],
      ['expiry_warning', 29 * DAY],
      ['expired', 30 * DAY],
    ]));

  it('skips warnings that would fall before the token was created', () =>
    given([created(at(3 * DAY))]).then([
      ['expiry_warning', 2 * DAY],
      ['expired', 3 * DAY],
    ]));

  it('reminds a token without expiry to rotate after ROTATION_PERIOD', () => given([created(null)]).then([['rotation_due', 90 * DAY]]));

  it('cancels everything when the token is revoked', () => given([created(at(30 * DAY)), revoked]).then([]));

  it('follows the grace expiry of a rotated token', () =>
    given([created(at(30 * DAY)), rotated(20 * DAY, 22 * DAY)]).then([
      ['expiry_warning', 21 * DAY],
      ['expired', 22 * DAY],
    ]));

  it('a rotated token without expiry is no longer due for rotation, only for its grace end', () =>
    given([created(null), rotated(DAY, 2 * DAY)]).then([['expired', 2 * DAY]]));

  it('drops what was recorded as sent', () => given([created(at(3 * DAY)), sent('expiry_warning', 2 * DAY)]).then([['expired', 3 * DAY]]));

  it('keeps only the expiry notice once TokenExpired is recorded', () =>
    given([created(at(3 * DAY)), { type: 'TokenExpired', data: { tokenId: 'tok_a', projectId: 'shop', expiredAt: at(3 * DAY) } }]).then([
      ['expired', 3 * DAY],
    ]));

  it('derives the same ids every time (token + kind + due)', () => {
    const { token } = given([created(at(3 * DAY))]);
    expect(pendingReminders(token, policy).map((r) => r.id)).toEqual([
      reminderId('tok_a', 'expiry_warning', at(2 * DAY)),
      reminderId('tok_a', 'expired', at(3 * DAY)),
    ]);
    expect(reminderId('tok_a', 'expired', at(3 * DAY))).not.toContain(':');
  });
});

describe('isStillDue', () => {
  const { token } = given([created(at(3 * DAY))]);
  const warning = reminderId('tok_a', 'expiry_warning', at(2 * DAY));
  it('delivers a pending warning before the expiry', () => expect(isStillDue(token, warning, policy, new Date(T0 + 2 * DAY * 1000))).toBe(true));
  it('drops a warning overtaken by the expiry', () => expect(isStillDue(token, warning, policy, new Date(T0 + 3 * DAY * 1000))).toBe(false));
  it('drops a reminder of a revoked token', () => expect(isStillDue(given([created(at(3 * DAY)), revoked]).token, warning, policy, new Date(T0))).toBe(false));
  it('drops a reminder whose due moved (rotation)', () =>
    expect(isStillDue(given([created(at(3 * DAY)), rotated(DAY, DAY + 60)]).token, warning, policy, new Date(T0))).toBe(false));
  it('knows no unknown token', () => expect(isStillDue(null, warning, policy, new Date(T0))).toBe(false));
});

describe('an edit that shortens the expiry', () => {
  const shortened = (updatedAtS: number, fromS: number | null, toS: number, name?: string): TokenEvent => ({
    type: 'TokenUpdated',
    data: {
      tokenId: 'tok_a',
      projectId: 'shop',
      updatedAt: at(updatedAtS),
      changes: { expiresAt: { before: fromS === null ? null : at(fromS), after: at(toS) }, ...(name ? { name: { before: 'billing', after: name } } : {}) },
    },
  });

  it('moves the reminders to the new expiry; warnings due before the edit are not sent', () =>
    given([created(at(30 * DAY)), shortened(DAY, 30 * DAY, 5 * DAY)]).then([
      ['expiry_warning', 4 * DAY],
      ['expired', 5 * DAY],
    ]));

  it('turns rotation_due into expiry reminders for a token that had no expiry', () =>
    given([created(null), shortened(0, null, 20 * DAY)]).then([
      ['expiry_warning', 6 * DAY],
      ['expiry_warning', 13 * DAY],
      ['expiry_warning', 19 * DAY],
      ['expired', 20 * DAY],
    ]));

  it('renames what the reminders will say', () =>
    expect(given([created(at(30 * DAY)), shortened(DAY, 30 * DAY, 5 * DAY, 'renamed')]).token.name).toBe('renamed'));
});
