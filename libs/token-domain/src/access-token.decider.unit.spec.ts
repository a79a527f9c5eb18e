import type { CommandCaller, IssueAccessToken } from './token.commands';
import { tokenDecider } from './token.decider';
import { deciderSpec } from './testing/given-when-then';
import { SPEC_START, tokenCreated } from './testing/token-fixtures';
import type { TokenCreated, TokenEvent } from './token.events';
import { evolve, initialTokenState } from './token.state';

const { given } = deciderSpec(tokenDecider);

const T0 = SPEC_START;
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const DAY = 86_400;
const SELF: CommandCaller = { kind: 'token', tokenId: 'tok_a', projectId: 'shop', scopes: ['orders:read', 'orders:write'], expiresAt: null };

const created = (overrides: Partial<TokenCreated['data']> = {}): TokenCreated => tokenCreated({ scopes: ['orders:read', 'orders:write'], ...overrides });

const exchange = (overrides: Partial<IssueAccessToken['data']> = {}): IssueAccessToken => ({
  type: 'IssueAccessToken',
  data: {
    caller: SELF,
    tokenId: 'tok_a',
    projectId: 'shop',
    jti: 'jti-1',
    kid: 'key-1',
    scopes: null,
    ttlSeconds: DAY,
    clientAddress: '10.0.0.7',
    now: at(60),
    ...overrides,
  },
});

const issued = (overrides: Partial<Extract<TokenEvent, { type: 'AccessTokenIssued' }>['data']> = {}): TokenEvent => ({
  type: 'AccessTokenIssued',
  data: {
    tokenId: 'tok_a',
    projectId: 'shop',
    jti: 'jti-1',
    kid: 'key-1',
    scopes: ['orders:read', 'orders:write'],
    issuedAt: at(60).toISOString(),
    expiresAt: at(60 + DAY).toISOString(),
    clientAddress: '10.0.0.7',
    ...overrides,
  },
});

describe('IssueAccessToken', () => {
  it('records one AccessTokenIssued with all the token scopes and the configured lifetime', () => {
    given([created()]).when(exchange()).then([issued()]);
  });

  it('narrows to the requested scopes (duplicates once)', () => {
    given([created()])
      .when(exchange({ scopes: ['orders:read', 'orders:read'] }))
      .then([issued({ scopes: ['orders:read'] })]);
  });

  it('refuses a scope the token does not hold: invalid_scope', () => {
    given([created()])
      .when(exchange({ scopes: ['orders:read', 'admin'] }))
      .thenRefuses('invalid', 'invalid_scope');
  });

  it("caps the expiry at the token's own, in whole seconds rounded down", () => {
    const end = new Date(at(3600).getTime() + 700);
    given([created({ expiresAt: end.toISOString() })])
      .when(exchange())
      .then([issued({ expiresAt: at(3600).toISOString() })]);
  });

  it("caps the expiry at a rotated token's grace end", () => {
    const rotated: TokenEvent = {
      type: 'TokenRotated',
      data: {
        tokenId: 'tok_a',
        projectId: 'shop',
        newTokenId: 'tok_b',
        graceUntil: at(600).toISOString(),
        rotatedAt: at(30).toISOString(),
        newToken: { secretHash: 'b'.repeat(64), hint: 'x', expiresAt: null },
      },
    };
    given([created(), rotated])
      .when(exchange())
      .then([issued({ expiresAt: at(600).toISOString() })]);
    given([created(), rotated])
      .when(exchange({ now: at(601) }))
      .thenRefuses('forbidden', 'invalid_client');
  });

  it('refuses revoked, expired and unknown tokens as invalid_client', () => {
    const revoked: TokenEvent = { type: 'TokenRevoked', data: { tokenId: 'tok_a', projectId: 'shop', reason: null, revokedAt: at(10).toISOString() } };
    given([created(), revoked]).when(exchange()).thenRefuses('forbidden', 'invalid_client');
    given([created({ expiresAt: at(30).toISOString() })])
      .when(exchange())
      .thenRefuses('forbidden', 'invalid_client');
    given([]).when(exchange()).thenRefuses('forbidden', 'invalid_client');
    given([created({ projectId: 'other' })])
      .when(exchange())
      .thenRefuses('forbidden', 'invalid_client');
  });

  it('refuses the root token and any caller but the token itself', () => {
    const root = created({ projectId: '_system', type: 'root', scopes: ['root'] });
    const rootSelf: CommandCaller = { ...SELF, projectId: '_system', scopes: ['root'] };
    given([root])
      .when(exchange({ projectId: '_system', caller: rootSelf }))
      .thenRefuses('forbidden', 'invalid_client');
    given([created()])
      .when(exchange({ caller: { ...SELF, tokenId: 'tok_other', scopes: ['admin'] } }))
      .thenRefuses('forbidden', 'invalid_client');
    given([created()])
      .when(exchange({ caller: { kind: 'system', id: 'x' } }))
      .thenRefuses('forbidden', 'invalid_client');
  });

  it('refuses a lifetime that is not a positive number of seconds', () => {
    given([created()])
      .when(exchange({ ttlSeconds: 0 }))
      .thenRefuses('invalid', 'validation_failed');
  });

  it('changes nothing the other commands decide on', () => {
    const state = [created(), issued()].reduce(evolve, initialTokenState());
    expect(state).toEqual([created()].reduce(evolve, initialTokenState()));
  });
});
