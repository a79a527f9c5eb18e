import type { RecordUsage, RotateToken, TokenCommand } from './token.commands';
import { MAX_GRACE_PERIOD_SECONDS, tokenDecider } from './token.decider';
import { tokenNotFound } from './token.errors';
import { tokenStreamId, type TokenEvent } from './token.events';
import { evolve, initialTokenState, isPastExpiry, type TokenState } from './token.state';
import { deciderSpec } from './testing/given-when-then';
import { SPEC_ADMIN, SPEC_START, createTokenCommand, tokenCreated } from './testing/token-fixtures';

/**
 * The edges of every rule, one second either side: the grace limits, an expiry at the instant of
 * the command, a usage window of one, and the errors (kind, code and message) that the API turns
 * into statuses and shows to clients.
 */
const T0 = SPEC_START;
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const HOUR = 3600;
const DAY = 86_400;
const ADMIN = SPEC_ADMIN;

const { given } = deciderSpec(tokenDecider);
const state = (events: TokenEvent[]): TokenState => given(events).state;
/** What a refusal shows: its kind, code, message and name (the API turns them into the answer). */
const refusal = (command: TokenCommand, events: TokenEvent[]) => {
  const { kind, code, message, name } = given(events).when(command).refusal();
  return { kind, code, message, name };
};

const created = tokenCreated;

const create = createTokenCommand;

const rotate = (overrides: Partial<RotateToken['data']> = {}): RotateToken => ({
  type: 'RotateToken',
  data: {
    caller: ADMIN,
    tokenId: 'tok_a',
    projectId: 'shop',
    newTokenId: 'tok_b',
    newSecretHash: 'b'.repeat(64),
    newHint: 'tli_…efgh',
    gracePeriodSeconds: HOUR,
    now: at(HOUR),
    ...overrides,
  },
});

const use = (overrides: Partial<RecordUsage['data']> = {}): RecordUsage => ({
  type: 'RecordUsage',
  data: {
    tokenId: 'tok_a',
    projectId: 'shop',
    count: 1,
    firstUsedAt: at(10),
    lastUsedAt: at(10),
    lastIp: null,
    lastUserAgent: null,
    now: at(60),
    ...overrides,
  },
});

const revoked = { type: 'TokenRevoked' as const, data: { tokenId: 'tok_a', projectId: 'shop', reason: null, revokedAt: at(10).toISOString() } };
const expired = { type: 'TokenExpired' as const, data: { tokenId: 'tok_a', projectId: 'shop', expiredAt: at(HOUR).toISOString() } };
const rotatedTo = (newTokenId: string, graceUntil: Date) => ({
  type: 'TokenRotated' as const,
  data: {
    tokenId: 'tok_a',
    projectId: 'shop',
    newTokenId,
    graceUntil: graceUntil.toISOString(),
    rotatedAt: at(HOUR).toISOString(),
    newToken: { secretHash: 'b'.repeat(64), hint: 'tli_…efgh', expiresAt: null },
  },
});

describe('create: the expiry must lie after the command', () => {
  it('accepts an expiry one millisecond ahead', () =>
    expect(
      given([])
        .when(create({ expiresAt: new Date(T0.getTime() + 1) }))
        .events(),
    ).toEqual([created({ expiresAt: new Date(T0.getTime() + 1).toISOString() })]));

  it.each([0, -1000])('refuses an expiry %i ms from now, as invalid input', (offset) =>
    expect(refusal(create({ expiresAt: new Date(T0.getTime() + offset) }), [])).toEqual({
      kind: 'invalid',
      code: 'expiry_in_past',
      message: 'expiresAt must be in the future',
      name: 'TokenCommandError',
    }),
  );

  it('a second create of one id is a conflict naming the id', () =>
    expect(refusal(create(), [created()])).toEqual({
      kind: 'conflict',
      code: 'token_exists',
      message: 'token tok_a already exists',
      name: 'TokenCommandError',
    }));
});

describe('rotate: the grace period runs from 0 to 30 days inclusive', () => {
  it('the limit is 30 days of seconds', () => expect(MAX_GRACE_PERIOD_SECONDS).toBe(30 * DAY));

  it('accepts exactly 30 days: the old token ends 30 days after the rotation', () => {
    const [event] = given([created()])
      .when(rotate({ gracePeriodSeconds: 30 * DAY }))
      .events();
    expect(event).toMatchObject({ type: 'TokenRotated', data: { graceUntil: at(HOUR + 30 * DAY).toISOString() } });
  });

  it.each([30 * DAY + 1, -1])('refuses %i seconds', (gracePeriodSeconds) =>
    expect(refusal(rotate({ gracePeriodSeconds }), [created()])).toEqual({
      kind: 'invalid',
      code: 'grace_period_out_of_range',
      message: 'gracePeriod must be between 0 and 30d',
      name: 'TokenCommandError',
    }),
  );

  it('a grace ending exactly at the old expiry keeps that expiry', () => {
    const [event] = given([created({ expiresAt: at(2 * HOUR).toISOString() })])
      .when(rotate({ gracePeriodSeconds: HOUR }))
      .events();
    expect(event).toMatchObject({ data: { graceUntil: at(2 * HOUR).toISOString(), newToken: { expiresAt: at(2 * HOUR).toISOString() } } });
  });
});

describe('rotate: the new lifetime (expiresIn) must be positive', () => {
  it('accepts one second', () => {
    const [event] = given([created()])
      .when(rotate({ expiresInSeconds: 1 }))
      .events();
    expect(event).toMatchObject({ data: { newToken: { expiresAt: at(HOUR + 1).toISOString() } } });
  });

  it.each([0, -60])('refuses %i seconds', (expiresInSeconds) =>
    expect(refusal(rotate({ expiresInSeconds }), [created()])).toEqual({
      kind: 'invalid',
      code: 'expiry_in_past',
      message: 'expiresIn must be positive',
      name: 'TokenCommandError',
    }),
  );
});

describe('rotate: only an active token that was not rotated yet', () => {
  it('one millisecond before its expiry it still rotates; at its expiry it is expired', () => {
    const token = created({ expiresAt: at(2 * HOUR).toISOString() });
    expect(
      given([token])
        .when(rotate({ now: new Date(at(2 * HOUR).getTime() - 1), gracePeriodSeconds: 0 }))
        .events(),
    ).toHaveLength(1);
    expect(refusal(rotate({ now: at(2 * HOUR) }), [token])).toEqual({
      kind: 'conflict',
      code: 'token_expired',
      message: 'an expired token cannot be rotated',
      name: 'TokenCommandError',
    });
  });

  it('revoked and already-rotated refusals say what to do', () => {
    expect(refusal(rotate(), [created(), revoked])).toEqual({
      kind: 'conflict',
      code: 'token_revoked',
      message: 'a revoked token cannot be rotated',
      name: 'TokenCommandError',
    });
    expect(refusal(rotate({ newTokenId: 'tok_c' }), [created(), rotatedTo('tok_b', at(2 * HOUR))])).toEqual({
      kind: 'conflict',
      code: 'token_already_rotated',
      message: 'token tok_a was already rotated to tok_b; rotate that one instead',
      name: 'TokenCommandError',
    });
  });

  it('an unknown token, or one of another project, is not found', () => {
    const notFound = { kind: 'not_found', code: 'token_not_found', message: 'token tok_a does not exist in this project', name: 'TokenCommandError' };
    expect(refusal(rotate(), [])).toEqual(notFound);
    expect(refusal(rotate({ projectId: 'billing' }), [created()])).toEqual(notFound);
    expect({ ...tokenNotFound('tok_x') }).toEqual({ kind: 'not_found', code: 'token_not_found', name: 'TokenCommandError' });
  });
});

describe('expire', () => {
  it('refuses one millisecond early, naming the token', () =>
    expect(
      refusal({ type: 'ExpireToken', data: { tokenId: 'tok_a', projectId: 'shop', now: new Date(at(HOUR).getTime() - 1) } }, [
        created({ expiresAt: at(HOUR).toISOString() }),
      ]),
    ).toEqual({
      kind: 'conflict',
      code: 'token_not_expired',
      message: 'token tok_a has not expired yet',
      name: 'TokenCommandError',
    }));

  it('a token without expiry never expires', () =>
    expect(refusal({ type: 'ExpireToken', data: { tokenId: 'tok_a', projectId: 'shop', now: at(100 * 365 * DAY) } }, [created()])).toMatchObject({
      code: 'token_not_expired',
    }));
});

describe('record usage: a window of one', () => {
  it('records a single use (count 1, first = last)', () =>
    expect(given([created()]).when(use()).events()).toEqual([
      {
        type: 'TokenUsed',
        data: {
          tokenId: 'tok_a',
          projectId: 'shop',
          count: 1,
          firstUsedAt: at(10).toISOString(),
          lastUsedAt: at(10).toISOString(),
          lastIp: null,
          lastUserAgent: null,
        },
      },
    ]));

  it('records the largest safe count, refuses the next', () => {
    expect(
      given([created()])
        .when(use({ count: Number.MAX_SAFE_INTEGER }))
        .events(),
    ).toMatchObject([{ data: { count: Number.MAX_SAFE_INTEGER } }]);
    expect(refusal(use({ count: Number.MAX_SAFE_INTEGER + 1 }), [created()])).toMatchObject({ code: 'invalid_usage' });
  });

  it('refuses a window ending one millisecond before it starts, as invalid input', () =>
    expect(refusal(use({ lastUsedAt: new Date(at(10).getTime() - 1) }), [created()])).toEqual({
      kind: 'invalid',
      code: 'invalid_usage',
      message: 'usage needs a positive count and firstUsedAt <= lastUsedAt',
      name: 'TokenCommandError',
    }));
});

describe('evolve: what can follow what', () => {
  const active = state([created()]);

  it('a create makes an active token, not rotated', () => expect(active).toEqual({ status: 'active', token: { ...created().data, rotatedTo: null } }));

  it('events for a token never created leave it absent', () => {
    for (const event of [revoked, expired, rotatedTo('tok_b', at(HOUR))]) {
      expect(evolve(initialTokenState(), event)).toEqual({ status: 'absent' });
    }
  });

  it('a revoked token stays revoked through a late rotation or expiry', () => {
    const afterRevoke = state([created(), revoked]);
    expect(afterRevoke).toEqual({ status: 'revoked', token: { ...created().data, rotatedTo: null }, revokedAt: at(10).toISOString() });
    expect(evolve(afterRevoke, rotatedTo('tok_b', at(HOUR)))).toBe(afterRevoke);
    expect(evolve(afterRevoke, expired)).toBe(afterRevoke);
  });

  it('an expired token stays expired through a late rotation, and can still be revoked', () => {
    const afterExpiry = state([created(), expired]);
    expect(afterExpiry).toEqual({ status: 'expired', token: { ...created().data, rotatedTo: null }, expiredAt: at(HOUR).toISOString() });
    expect(evolve(afterExpiry, rotatedTo('tok_b', at(HOUR)))).toBe(afterExpiry);
    expect(evolve(afterExpiry, revoked)).toMatchObject({ status: 'revoked' });
  });

  it('a rotation shortens the end to the grace and names the successor', () =>
    expect(evolve(active, rotatedTo('tok_b', at(2 * HOUR)))).toEqual({
      status: 'active',
      token: { ...created().data, rotatedTo: 'tok_b', expiresAt: at(2 * HOUR).toISOString() },
    }));

  it('uses and reminders change nothing', () => {
    const usedEvent = {
      type: 'TokenUsed' as const,
      data: { tokenId: 'tok_a', projectId: 'shop', count: 1, firstUsedAt: '', lastUsedAt: '', lastIp: null, lastUserAgent: null },
    };
    const reminder = {
      type: 'ReminderSent' as const,
      data: { tokenId: 'tok_a', projectId: 'shop', kind: 'expired' as const, due: '', channel: 'log', deliveredAt: '', attempt: 1 },
    };
    expect(evolve(active, usedEvent)).toBe(active);
    expect(evolve(active, reminder as TokenEvent)).toBe(active);
  });

  it('an event type this version does not know (written by a newer one) changes nothing', () =>
    expect(evolve(active, { type: 'TokenRenamed', data: { tokenId: 'tok_a', name: 'x' } } as unknown as TokenEvent)).toBe(active));

  it('isPastExpiry: at the expiry instant, not before; never without expiry', () => {
    const token = { ...created({ expiresAt: at(HOUR).toISOString() }).data, rotatedTo: null };
    expect(isPastExpiry(token, new Date(at(HOUR).getTime() - 1))).toBe(false);
    expect(isPastExpiry(token, at(HOUR))).toBe(true);
    expect(isPastExpiry({ ...token, expiresAt: null }, at(1000 * 365 * DAY))).toBe(false);
  });
});

describe('the decider as one value (what the command handling folds with)', () => {
  it('starts absent, folds with evolve and decides with decide', () => {
    expect(tokenDecider.initialState()).toEqual({ status: 'absent' });
    expect(tokenDecider.initialState()).not.toBe(tokenDecider.initialState());
    const folded = [created()].reduce(tokenDecider.evolve, tokenDecider.initialState());
    expect(
      tokenDecider.decide({ type: 'RevokeToken', data: { caller: ADMIN, tokenId: 'tok_a', projectId: 'shop', reason: null, now: at(10) } }, folded),
    ).toEqual([revoked]);
  });

  it('a token lives in the stream token-<id>', () => expect(tokenStreamId('tok_a')).toBe('token-tok_a'));
});
