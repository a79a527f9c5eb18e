import { createRootToken, type CreateToken, type RotateToken } from './token.commands';
import { tokenDecider } from './token.decider';
import type { TokenCreated, TokenEvent } from './token.events';
import { deciderSpec } from './testing/given-when-then';
import { SPEC_ADMIN, SPEC_START, createTokenCommand, tokenCreated } from './testing/token-fixtures';

const { given } = deciderSpec(tokenDecider);

const T0 = SPEC_START;
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const HOUR = 3600;

/** The project's admin: may grant every ledger scope of the project but root. */
const ADMIN = SPEC_ADMIN;

const createCommand = (overrides: Partial<CreateToken['data']> = {}): CreateToken =>
  createTokenCommand({ expiresAt: at(48 * HOUR), metadata: { team: 'billing' }, ...overrides });

const created = (overrides: Partial<TokenCreated['data']> = {}): TokenCreated =>
  tokenCreated({ expiresAt: at(48 * HOUR).toISOString(), metadata: { team: 'billing' }, ...overrides });

const rotateCommand = (overrides: Partial<RotateToken['data']> = {}): RotateToken => ({
  type: 'RotateToken',
  data: {
    caller: ADMIN,
    tokenId: 'tok_a',
    projectId: 'shop',
    newTokenId: 'tok_b',
    newSecretHash: 'b'.repeat(64),
    newHint: 'tli_…efgh',
    gracePeriodSeconds: 24 * HOUR,
    now: at(HOUR),
    ...overrides,
  },
});

const revoked = (seconds: number) => ({
  type: 'TokenRevoked' as const,
  data: { tokenId: 'tok_a', projectId: 'shop', reason: 'leaked', revokedAt: at(seconds).toISOString() },
});

const revokeCommand = (seconds: number, projectId = 'shop') => ({
  type: 'RevokeToken' as const,
  data: { caller: ADMIN, tokenId: 'tok_a', projectId, reason: 'leaked', now: at(seconds) },
});

const rotated = (graceUntil: Date, expiresAt: string | null = at(48 * HOUR).toISOString()) => ({
  type: 'TokenRotated' as const,
  data: {
    tokenId: 'tok_a',
    projectId: 'shop',
    newTokenId: 'tok_b',
    graceUntil: graceUntil.toISOString(),
    rotatedAt: at(HOUR).toISOString(),
    newToken: { secretHash: 'b'.repeat(64), hint: 'tli_…efgh', expiresAt },
  },
});

describe('CreateToken', () => {
  it('creates a token', () => given([]).when(createCommand()).then([created()]));

  it('creates a token without expiry', () =>
    given([])
      .when(createCommand({ expiresAt: null }))
      .then([created({ expiresAt: null })]));

  it('refuses to create the same token twice', () => given([created()]).when(createCommand()).thenThrows('token_exists'));

  it('refuses an expiry that is not in the future', () =>
    given([])
      .when(createCommand({ expiresAt: T0 }))
      .thenThrows('expiry_in_past'));
});

describe('RevokeToken', () => {
  it('revokes an active token', () =>
    given([created()])
      .when(revokeCommand(10))
      .then([revoked(10)]));

  it('records nothing when the token is already revoked (idempotent)', () =>
    given([created(), revoked(10)])
      .when(revokeCommand(20))
      .then([]));

  it('revokes a rotated token still in its grace period', () =>
    given([created(), rotated(at(25 * HOUR))])
      .when(revokeCommand(2 * HOUR))
      .then([revoked(2 * HOUR)]));

  it('revokes an expired token, so the record shows it was pulled', () =>
    given([created(), { type: 'TokenExpired', data: { tokenId: 'tok_a', projectId: 'shop', expiredAt: at(48 * HOUR).toISOString() } }])
      .when(revokeCommand(50 * HOUR))
      .then([revoked(50 * HOUR)]));

  it('does not know a token that was never created', () => given([]).when(revokeCommand(10)).thenThrows('token_not_found'));

  it('does not reveal a token of another project', () => given([created()]).when(revokeCommand(10, 'other')).thenThrows('token_not_found'));
});

describe('RotateToken', () => {
  it('rotates with a grace period, keeping the old expiry for the new token', () =>
    given([created()])
      .when(rotateCommand())
      .then([rotated(at(25 * HOUR))]));

  it('never extends the old token past its own expiry', () =>
    given([created({ expiresAt: at(2 * HOUR).toISOString() })])
      .when(rotateCommand({ gracePeriodSeconds: 24 * HOUR }))
      .then([rotated(at(2 * HOUR), at(2 * HOUR).toISOString())]));

  it('ends the old token now with a grace period of 0', () =>
    given([created()])
      .when(rotateCommand({ gracePeriodSeconds: 0 }))
      .then([rotated(at(HOUR))]));

  it('gives the new token its own lifetime when expiresIn is given', () =>
    given([created()])
      .when(rotateCommand({ expiresInSeconds: 90 * 86_400 }))
      .then([rotated(at(25 * HOUR), at(HOUR + 90 * 86_400).toISOString())]));

  it('rotates a token without expiry into one without expiry', () =>
    given([created({ expiresAt: null })])
      .when(rotateCommand())
      .then([rotated(at(25 * HOUR), null)]));

  it('refuses a grace period over 30 days', () =>
    given([created({ expiresAt: null })])
      .when(rotateCommand({ gracePeriodSeconds: 31 * 86_400 }))
      .thenThrows('grace_period_out_of_range'));

  it('refuses to rotate a revoked token', () =>
    given([created(), revoked(10)])
      .when(rotateCommand())
      .thenThrows('token_revoked'));

  it('refuses to rotate a token whose expiry has passed, even before TokenExpired is recorded', () =>
    given([created()])
      .when(rotateCommand({ now: at(48 * HOUR) }))
      .thenThrows('token_expired'));

  it('refuses to rotate a token recorded as expired', () =>
    given([created(), { type: 'TokenExpired', data: { tokenId: 'tok_a', projectId: 'shop', expiredAt: at(48 * HOUR).toISOString() } }])
      .when(rotateCommand())
      .thenThrows('token_expired'));

  it('refuses to rotate the same token twice', () =>
    given([created(), rotated(at(25 * HOUR))])
      .when(rotateCommand({ newTokenId: 'tok_c' }))
      .thenThrows('token_already_rotated'));

  it('rotate then revoke: the old token is revoked during its grace', () => {
    const history: TokenEvent[] = [created(), rotated(at(25 * HOUR))];
    given(history)
      .when(revokeCommand(2 * HOUR))
      .then([revoked(2 * HOUR)]);
    given([...history, revoked(2 * HOUR)])
      .when(rotateCommand({ newTokenId: 'tok_c' }))
      .thenThrows('token_revoked');
  });

  it('refuses to rotate an unknown token', () => given([]).when(rotateCommand()).thenThrows('token_not_found'));
});

describe('ExpireToken', () => {
  const expireAt = (seconds: number) => ({
    type: 'ExpireToken' as const,
    data: { tokenId: 'tok_a', projectId: 'shop', now: at(seconds) },
  });
  const expired = { type: 'TokenExpired' as const, data: { tokenId: 'tok_a', projectId: 'shop', expiredAt: at(48 * HOUR).toISOString() } };

  it('records the expiry once it has passed', () =>
    given([created()])
      .when(expireAt(48 * HOUR))
      .then([expired]));

  it('records the shortened expiry of a rotated token', () =>
    given([created(), rotated(at(25 * HOUR))])
      .when(expireAt(26 * HOUR))
      .then([{ ...expired, data: { ...expired.data, expiredAt: at(25 * HOUR).toISOString() } }]));

  it('refuses before the expiry', () => given([created()]).when(expireAt(HOUR)).thenThrows('token_not_expired'));

  it('records nothing twice', () =>
    given([created(), expired])
      .when(expireAt(49 * HOUR))
      .then([]));

  it('records nothing for a revoked token', () =>
    given([created(), revoked(10)])
      .when(expireAt(49 * HOUR))
      .then([]));
});

describe('root token', () => {
  it('is created in project _system with scope root, no expiry, and holds no value', () => {
    const minted = { tokenId: 'tok_root', secretHash: 'c'.repeat(64), hint: 'tlr_…0000', value: 'tlr_secret' };
    const command = createRootToken(minted, T0);
    expect(JSON.stringify(command)).not.toContain('tlr_secret');
    given([])
      .when(command)
      .then([
        {
          type: 'TokenCreated',
          data: {
            tokenId: 'tok_root',
            projectId: '_system',
            name: 'root',
            type: 'root',
            ownerId: null,
            scopes: ['root'],
            expiresAt: null,
            secretHash: 'c'.repeat(64),
            hint: 'tlr_…0000',
            createdAt: T0.toISOString(),
            rotatedFrom: null,
            metadata: {},
          },
        },
      ]);
  });
});
