import type { CommandCaller, UpdateToken } from './token.commands';
import { tokenDecider } from './token.decider';
import { deciderSpec } from './testing/given-when-then';
import { SPEC_START, tokenCreated } from './testing/token-fixtures';
import type { TokenCreated, TokenEvent } from './token.events';

const { given } = deciderSpec(tokenDecider);

const T0 = SPEC_START;
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const HOUR = 3600;
const NOW = at(HOUR);

const ADMIN: CommandCaller = { kind: 'token', tokenId: 'tok_admin', projectId: 'shop', scopes: ['admin'], expiresAt: null };
const WRITER: CommandCaller = { kind: 'token', tokenId: 'tok_writer', projectId: 'shop', scopes: ['tokens:write'], expiresAt: null };

const created = (overrides: Partial<TokenCreated['data']> = {}): TokenCreated =>
  tokenCreated({ scopes: ['orders:read', 'orders:write'], expiresAt: at(48 * HOUR).toISOString(), metadata: { team: 'billing' }, ...overrides });

const update = (changes: Partial<UpdateToken['data']>, caller: CommandCaller = ADMIN): UpdateToken => ({
  type: 'UpdateToken',
  data: { caller, tokenId: 'tok_a', projectId: 'shop', now: NOW, ...changes },
});

const updated = (changes: Record<string, { before: unknown; after: unknown }>): TokenEvent => ({
  type: 'TokenUpdated',
  data: { tokenId: 'tok_a', projectId: 'shop', updatedAt: NOW.toISOString(), changes },
});

describe('UpdateToken', () => {
  it('renames, recording the name before and after', () =>
    given([created()])
      .when(update({ name: 'billing v2' }))
      .then([updated({ name: { before: 'billing sync', after: 'billing v2' } })]));

  it('replaces the metadata as a whole', () =>
    given([created()])
      .when(update({ metadata: { owner: 'ops' } }))
      .then([updated({ metadata: { before: { team: 'billing' }, after: { owner: 'ops' } } })]));

  it('records only the fields that change, in one event', () =>
    given([created()])
      .when(update({ name: 'billing sync', metadata: { team: 'billing' }, scopes: ['orders:read'] }))
      .then([updated({ scopes: { before: ['orders:read', 'orders:write'], after: ['orders:read'] } })]));

  it('records nothing when nothing changes (metadata keys in another order, scopes reordered, same expiry)', () =>
    given([created({ metadata: { a: 1, b: { c: 2, d: 3 } } })])
      .when(update({ metadata: { b: { d: 3, c: 2 }, a: 1 }, scopes: ['orders:write', 'orders:read'], expiresAt: at(48 * HOUR) }))
      .then([]));

  describe('scopes: narrow only', () => {
    it('narrows, down to none', () =>
      given([created()])
        .when(update({ scopes: [] }))
        .then([updated({ scopes: { before: ['orders:read', 'orders:write'], after: [] } })]));

    it('refuses a scope the token does not hold (widening is a new token)', () =>
      given([created()])
        .when(update({ scopes: ['orders:read', 'orders:delete'] }))
        .thenRefuses('invalid', 'scope_widening'));

    it('refuses swapping one scope for another', () =>
      given([created()])
        .when(update({ scopes: ['refunds'] }))
        .thenRefuses('invalid', 'scope_widening'));
  });

  describe('expiry: shorten only', () => {
    it('shortens with an absolute expiry', () =>
      given([created()])
        .when(update({ expiresAt: at(24 * HOUR) }))
        .then([updated({ expiresAt: { before: at(48 * HOUR).toISOString(), after: at(24 * HOUR).toISOString() } })]));

    it('shortens with a lifetime from now', () =>
      given([created()])
        .when(update({ expiresInSeconds: 2 * HOUR }))
        .then([updated({ expiresAt: { before: at(48 * HOUR).toISOString(), after: at(3 * HOUR).toISOString() } })]));

    it('gives an expiry to a token that had none', () =>
      given([created({ expiresAt: null })])
        .when(update({ expiresAt: at(24 * HOUR) }))
        .then([updated({ expiresAt: { before: null, after: at(24 * HOUR).toISOString() } })]));

    it('refuses a later expiry (extending is a rotation)', () =>
      given([created()])
        .when(update({ expiresAt: at(49 * HOUR) }))
        .thenRefuses('invalid', 'expiry_extension'));

    it('refuses editing a rotated token: the edit belongs to its successor, the live one', () =>
      given([
        created(),
        {
          type: 'TokenRotated',
          data: {
            tokenId: 'tok_a',
            projectId: 'shop',
            newTokenId: 'tok_b',
            graceUntil: at(2 * HOUR).toISOString(),
            rotatedAt: T0.toISOString(),
            newToken: { secretHash: 'b'.repeat(64), hint: 'tli_…efgh', expiresAt: null },
          },
        },
      ])
        .when(update({ scopes: [] }))
        .thenRefuses('conflict', 'token_already_rotated'));

    it('refuses an expiry in the past or now', () =>
      given([created()])
        .when(update({ expiresAt: NOW }))
        .thenRefuses('invalid', 'expiry_in_past'));

    it('refuses both expiresAt and expiresIn', () =>
      given([created()])
        .when(update({ expiresAt: at(2 * HOUR), expiresInSeconds: 60 }))
        .thenRefuses('invalid', 'validation_failed'));
  });

  describe('what cannot be edited', () => {
    it('refuses an edit asking for nothing', () => given([created()]).when(update({})).thenRefuses('invalid', 'empty_update'));
    it('refuses a revoked token', () =>
      given([created(), { type: 'TokenRevoked', data: { tokenId: 'tok_a', projectId: 'shop', reason: null, revokedAt: T0.toISOString() } }])
        .when(update({ name: 'x' }))
        .thenRefuses('conflict', 'token_revoked'));
    it('refuses a token past its expiry, recorded or not', () =>
      given([created({ expiresAt: at(60).toISOString() })])
        .when(update({ name: 'x' }))
        .thenRefuses('conflict', 'token_expired'));
    it('does not find an unknown token, nor one of another project', () => {
      given([])
        .when(update({ name: 'x' }))
        .thenRefuses('not_found', 'token_not_found');
      given([created({ projectId: 'other' })])
        .when(update({ name: 'x' }))
        .thenRefuses('not_found', 'token_not_found');
    });
  });

  describe('who may edit (token-authorization.ts)', () => {
    it('needs tokens:write on the project', () =>
      given([created()])
        .when(update({ name: 'x' }, { kind: 'token', tokenId: 'tok_r', projectId: 'shop', scopes: ['tokens:read'], expiresAt: null }))
        .thenRefuses('forbidden', 'insufficient_scope'));
    it('refuses a token of another project', () =>
      given([created()])
        .when(update({ name: 'x' }, { kind: 'token', tokenId: 'tok_o', projectId: 'other', scopes: ['admin'], expiresAt: null }))
        .thenRefuses('forbidden', 'insufficient_scope'));
    it('refuses editing a token holding ledger scopes the caller cannot grant', () =>
      given([created({ scopes: ['audit:read'] })])
        .when(update({ scopes: [] }, WRITER))
        .thenRefuses('forbidden', 'insufficient_scope'));
    it('lets a writer edit a token it could have granted', () =>
      given([created()])
        .when(update({ name: 'x' }, WRITER))
        .then([updated({ name: { before: 'billing sync', after: 'x' } })]));
    it('refuses the root project through the API', () => {
      const root: CommandCaller = { kind: 'token', tokenId: 'tok_root', projectId: '_system', scopes: ['root'], expiresAt: null };
      const command = update({ name: 'x' }, root);
      given([created({ projectId: '_system', scopes: ['root'], type: 'root' })])
        .when({ ...command, data: { ...command.data, projectId: '_system' } })
        .thenRefuses('invalid', 'reserved_project');
    });
  });

  it('evolves the state: later decisions see the edited token', () => {
    const events: TokenEvent[] = [created(), updated({ scopes: { before: ['orders:read', 'orders:write'], after: ['orders:read'] } })];
    given(events)
      .when(update({ scopes: ['orders:write'] }))
      .thenRefuses('invalid', 'scope_widening');
    given(events)
      .when(update({ name: 'renamed' }))
      .then([updated({ name: { before: 'billing sync', after: 'renamed' } })]);
  });
});
