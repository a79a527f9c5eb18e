import { createRootToken, type CommandCaller, type CreateToken, type TokenCommand } from './token.commands';
import { tokenDecider } from './token.decider';
import type { TokenCommandError } from './token.errors';
import type { TokenCreated, TokenEvent } from './token.events';
import { deciderSpec } from './testing/given-when-then';
import { SPEC_START, createTokenCommand, tokenCreated } from './testing/token-fixtures';

/**
 * The refusals' words are part of the contract: the API shows them to the caller as the error's
 * message, so each says which rule was broken and what would pass. Pinned exactly here.
 */
const T0 = SPEC_START;
const caller = (scopes: string[], projectId = 'shop', tokenId = 'tok_caller'): CommandCaller => ({
  kind: 'token',
  tokenId,
  projectId,
  scopes,
  expiresAt: null,
});
const ADMIN = caller(['admin']);

const { given } = deciderSpec(tokenDecider);
function refusal(command: TokenCommand, events: TokenEvent[] = []): Pick<TokenCommandError, 'kind' | 'code' | 'message'> {
  const { kind, code, message } = given(events).when(command).refusal();
  return { kind, code, message };
}

const create = (overrides: Partial<CreateToken['data']> = {}): CreateToken =>
  createTokenCommand({ caller: ADMIN, tokenId: 'tok_new', name: 'n', tokenType: 'project', scopes: [], hint: 'tlp_…abcd', ...overrides });

const existing = (scopes: string[], projectId = 'shop'): TokenCreated =>
  tokenCreated({ projectId, name: 'a', type: projectId === '_system' ? 'root' : 'project', scopes, secretHash: 'b'.repeat(64), hint: 'tlp_…efgh' });

const rotate = (who: CommandCaller, projectId = 'shop'): TokenCommand => ({
  type: 'RotateToken',
  data: { caller: who, tokenId: 'tok_a', projectId, newTokenId: 'tok_b', newSecretHash: 'c'.repeat(64), newHint: 'tlp_…ijkl', gracePeriodSeconds: 0, now: T0 },
});
const revoke = (who: CommandCaller, projectId = 'shop'): TokenCommand => ({
  type: 'RevokeToken',
  data: { caller: who, tokenId: 'tok_a', projectId, reason: null, now: T0 },
});

describe('what each refusal says', () => {
  it('create', () => {
    expect(refusal(create({ projectId: '_system' }))).toEqual({
      kind: 'invalid',
      code: 'reserved_project',
      message: 'tokens of _system are created only by bootstrap, and only there',
    });
    expect(refusal(create({ scopes: ['root'] }))).toEqual({ kind: 'invalid', code: 'reserved_scope', message: 'scope root belongs to the root token only' });
    expect(refusal(create({ tokenType: 'personal' }))).toEqual({
      kind: 'invalid',
      code: 'validation_failed',
      message: 'ownerId is required for, and only allowed on, personal tokens',
    });
    expect(refusal(create({ expiresInSeconds: 60, expiresAt: new Date(T0.getTime() + 60_000) }))).toEqual({
      kind: 'invalid',
      code: 'validation_failed',
      message: 'give either expiresIn or expiresAt, not both',
    });
    expect(refusal(create({ caller: caller(['tokens:write']), scopes: ['audit:read', 'admin'] }))).toEqual({
      kind: 'forbidden',
      code: 'insufficient_scope',
      message: 'this token cannot grant audit:read, admin',
    });
    expect(refusal(create({ caller: caller(['tokens:read']) }))).toEqual({
      kind: 'forbidden',
      code: 'insufficient_scope',
      message: 'this token needs scope tokens:write on project shop',
    });
  });

  it('create: the root type, which only bootstrap creates, as the system caller named bootstrap', () => {
    const root = caller(['root'], '_system', 'tok_root');
    expect(refusal(create({ caller: root, projectId: '_system', tokenType: 'root', scopes: ['root'] }))).toEqual({
      kind: 'invalid',
      code: 'reserved_type',
      message: 'type root is created only by bootstrap',
    });
    expect(createRootToken({ tokenId: 'tok_r', secretHash: 'd'.repeat(64), hint: 'tlr_…mnop' }, T0).data.caller).toEqual({ kind: 'system', id: 'bootstrap' });
  });

  it('create: a lifetime that is not positive', () => {
    for (const seconds of [0, -1]) {
      expect(refusal(create({ expiresInSeconds: seconds }))).toEqual({ kind: 'invalid', code: 'expiry_in_past', message: 'expiresIn must be positive' });
    }
    expect(
      given([])
        .when(create({ expiresInSeconds: 1 }))
        .events()[0],
    ).toMatchObject({ data: { expiresAt: '2026-03-01T10:00:01.000Z' } });
  });

  it('rotate and revoke', () => {
    const writer = caller(['tokens:write']);
    expect(refusal(rotate(writer), [existing(['audit:read', 'introspect'])])).toEqual({
      kind: 'forbidden',
      code: 'insufficient_scope',
      message: 'this token cannot rotate a token holding audit:read, introspect',
    });
    expect(refusal(revoke(writer), [existing(['audit:read', 'introspect'])])).toEqual({
      kind: 'forbidden',
      code: 'insufficient_scope',
      message: 'this token cannot revoke a token holding audit:read, introspect',
    });
    const root = caller(['root'], '_system', 'tok_root');
    expect(refusal(rotate(root, '_system'), [existing(['root'], '_system')])).toEqual({
      kind: 'invalid',
      code: 'reserved_project',
      message: 'tokens of _system are not rotated through the API',
    });
    expect(refusal(revoke(root, '_system'), [existing(['root'], '_system')])).toEqual({
      kind: 'invalid',
      code: 'reserved_project',
      message: 'tokens of _system are not revoked through the API',
    });
  });
});
