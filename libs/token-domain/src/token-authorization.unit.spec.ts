import { grantsScope, LEDGER_SCOPES, type LedgerScope } from './scope';
import { callerMayAct, projectsVisibleTo, scopesBeyond } from './token-authorization';
import { createRootToken, type CommandCaller, type CreateToken, type RevokeToken, type RotateToken, type TokenCommand } from './token.commands';
import { tokenDecider } from './token.decider';
import type { TokenCreated, TokenEvent } from './token.events';
import { deciderSpec } from './testing/given-when-then';
import { SPEC_START, createTokenCommand, tokenCreated } from './testing/token-fixtures';

const history = deciderSpec(tokenDecider);

/**
 * The shared given/when/then, read in this file's terms: then(event types) | thenThrows(code) |
 * thenForbids(scope) | thenOutlives(caller end).
 */
function given(events: TokenEvent[]) {
  return {
    when: (command: TokenCommand) => {
      const decision = history.given(events).when(command);
      return {
        then: (types: TokenEvent['type'][]) => expect(decision.events().map((e) => e.type)).toEqual(types),
        thenThrows: (code: string) => expect(decision.refusal()).toMatchObject({ kind: 'invalid', code }),
        thenOutlives: (callerEnd: Date) =>
          expect(decision.refusal()).toMatchObject({
            kind: 'forbidden',
            code: 'expiry_beyond_caller',
            message: expect.stringContaining(`valid until ${callerEnd.toISOString()}`),
            details: { callerExpiresAt: callerEnd.toISOString() },
          }),
        thenForbids: (requiredScope: string) =>
          expect(decision.refusal()).toMatchObject({ kind: 'forbidden', code: 'insufficient_scope', details: { requiredScope } }),
      };
    },
  };
}

const T0 = SPEC_START;
type TokenCaller = Extract<CommandCaller, { kind: 'token' }>;
const token = (projectId: string, scopes: string[], tokenId = 'tok_caller', expiresAt: Date | null = null): TokenCaller => ({
  kind: 'token',
  tokenId,
  projectId,
  scopes,
  expiresAt,
});
const ROOT = token('_system', ['root'], 'tok_root');
const ADMIN = token('shop', ['admin']);
const WRITER = token('shop', ['tokens:write']);
const READER = token('shop', ['tokens:read']);
const SYSTEM: CommandCaller = { kind: 'system', id: 'test' };

const create = (caller: CommandCaller, overrides: Partial<CreateToken['data']> = {}): CreateToken =>
  createTokenCommand({ caller, tokenId: 'tok_new', name: 'n', tokenType: 'project', hint: 'tlp_…abcd', ...overrides });

const existing = (scopes: string[], projectId = 'shop', type: TokenCreated['data']['type'] = 'project', expiresAt: string | null = null): TokenCreated =>
  tokenCreated({ projectId, name: 'a', type, scopes, expiresAt, hint: 'tlp_…abcd' });

const rotate = (caller: CommandCaller, projectId = 'shop', expiresInSeconds?: number): RotateToken => ({
  type: 'RotateToken',
  data: {
    caller,
    tokenId: 'tok_a',
    projectId,
    newTokenId: 'tok_b',
    newSecretHash: 'b'.repeat(64),
    newHint: 'tlp_…efgh',
    gracePeriodSeconds: 60,
    expiresInSeconds,
    now: T0,
  },
});

const revoke = (caller: CommandCaller, projectId = 'shop'): RevokeToken => ({
  type: 'RevokeToken',
  data: { caller, tokenId: 'tok_a', projectId, reason: null, now: T0 },
});

describe('grantsScope', () => {
  it.each(LEDGER_SCOPES)('admin implies %s', (scope) => expect(grantsScope(['admin'], scope)).toBe(true));

  it('admin is held by admin, but implies neither root nor anything outside the four', () => {
    expect(grantsScope(['admin'], 'admin')).toBe(true);
    expect(grantsScope(['admin'], 'root')).toBe(false);
  });

  it.each([...LEDGER_SCOPES, 'admin', 'root'] as LedgerScope[])('root implies %s', (scope) => expect(grantsScope(['root'], scope)).toBe(true));

  it('a ledger scope implies only itself', () => {
    for (const held of LEDGER_SCOPES) {
      for (const needed of [...LEDGER_SCOPES, 'admin', 'root'] as LedgerScope[])
        expect([held, needed, grantsScope([held], needed)]).toEqual([held, needed, held === needed]);
    }
  });

  it('nothing is implied by no scope or by free-form scopes', () => {
    expect(grantsScope([], 'tokens:read')).toBe(false);
    expect(grantsScope(['orders:admin', 'admins', 'rooted'], 'admin')).toBe(false);
    expect(grantsScope(['orders:admin', 'admins', 'rooted'], 'tokens:read')).toBe(false);
  });
});

describe('callerMayAct and scopesBeyond', () => {
  it('acts on its own project only, root on every project, and only root is root', () => {
    expect(callerMayAct(WRITER, 'tokens:write', 'shop')).toBe(true);
    expect(callerMayAct(WRITER, 'tokens:write', 'other')).toBe(false);
    expect(callerMayAct(READER, 'tokens:write', 'shop')).toBe(false);
    expect(callerMayAct(ROOT, 'admin', 'anything')).toBe(true);
    // `root` outside _system (which the API never creates) is not root.
    expect(callerMayAct(token('shop', ['root']), 'tokens:write', 'other')).toBe(false);
  });

  it('names the reserved scopes beyond the caller, and root always', () => {
    expect(scopesBeyond(WRITER, ['tokens:write', 'admin', 'audit:read', 'orders:read'])).toEqual(['admin', 'audit:read']);
    expect(scopesBeyond(ADMIN, ['tokens:read', 'tokens:write', 'audit:read', 'introspect', 'admin'])).toEqual([]);
    expect(scopesBeyond(ADMIN, ['root'])).toEqual(['root']);
    expect(scopesBeyond(ROOT, ['admin', 'root'])).toEqual(['root']);
  });
});

describe('create: who may create which token', () => {
  it('a tokens:write caller creates tokens with free-form scopes and the scopes it holds', () => {
    given([])
      .when(create(WRITER, { scopes: ['orders:read', 'tokens:write'] }))
      .then(['TokenCreated']);
  });

  it.each([
    ['admin', ['admin']],
    ['audit:read', ['audit:read']],
    ['introspect', ['orders:read', 'introspect']],
    ['tokens:read', ['tokens:read']],
  ])('a tokens:write caller cannot grant %s', (scope, scopes) => {
    given([]).when(create(WRITER, { scopes })).thenForbids(scope);
  });

  it('admin grants the four ledger scopes and admin; root grants them on any project', () => {
    given([])
      .when(create(ADMIN, { scopes: ['admin', 'tokens:read', 'tokens:write', 'audit:read', 'introspect'] }))
      .then(['TokenCreated']);
    given([])
      .when(create(ROOT, { projectId: 'elsewhere', scopes: ['admin'] }))
      .then(['TokenCreated']);
  });

  it('root is never granted, not even by root', () => {
    given([])
      .when(create(ROOT, { scopes: ['root'] }))
      .thenThrows('reserved_scope');
    given([])
      .when(create(ADMIN, { scopes: ['root'] }))
      .thenThrows('reserved_scope');
  });

  it('needs tokens:write on the very project', () => {
    given([]).when(create(READER)).thenForbids('tokens:write');
    given([])
      .when(create(ADMIN, { projectId: 'other' }))
      .thenForbids('tokens:write');
  });

  it('the reserved project _system is refused to every token, root included', () => {
    given([])
      .when(create(ROOT, { projectId: '_system' }))
      .thenThrows('reserved_project');
    given([])
      .when(create(ROOT, { projectId: '_system', tokenType: 'root', scopes: [] }))
      .thenThrows('reserved_type');
  });

  it('a root-type token exists only in _system', () => {
    given([])
      .when(create(ROOT, { tokenType: 'root' }))
      .thenThrows('reserved_project');
    given([])
      .when(create(SYSTEM, { tokenType: 'root', scopes: ['root'] }))
      .thenThrows('reserved_project');
  });

  it('the system creates the root token (bootstrap)', () => {
    given([])
      .when(createRootToken({ tokenId: 'tok_root', secretHash: 'r'.repeat(64), hint: 'tlr_…abcd' }, T0))
      .then(['TokenCreated']);
  });

  it('ownerId is required for, and only allowed on, personal tokens (whoever asks)', () => {
    given([])
      .when(create(ADMIN, { tokenType: 'personal', ownerId: 'ada' }))
      .then(['TokenCreated']);
    given([])
      .when(create(ADMIN, { tokenType: 'personal', ownerId: null }))
      .thenThrows('validation_failed');
    given([])
      .when(create(ADMIN, { tokenType: 'integration', ownerId: 'ada' }))
      .thenThrows('validation_failed');
    given([])
      .when(create(SYSTEM, { ownerId: 'ada' }))
      .thenThrows('validation_failed');
  });

  it('takes expiresIn or expiresAt, not both; expiresIn counts from now', () => {
    given([])
      .when(create(ADMIN, { expiresInSeconds: 60, expiresAt: new Date(T0.getTime() + 3_600_000) }))
      .thenThrows('validation_failed');
    const [event] = history
      .given([])
      .when(create(ADMIN, { expiresInSeconds: 60 }))
      .events() as TokenCreated[];
    expect(event.data.expiresAt).toBe('2026-03-01T10:01:00.000Z');
    given([])
      .when(create(ADMIN, { expiresInSeconds: 0 }))
      .thenThrows('expiry_in_past');
  });
});

describe('rotate: the caller receives a value carrying the token scopes', () => {
  it.each([['admin'], ['audit:read'], ['tokens:read'], ['introspect']])('a tokens:write caller cannot rotate a %s token', (scope) => {
    given([existing(['orders:read', scope])])
      .when(rotate(WRITER))
      .thenForbids(scope);
  });

  it('a tokens:write caller rotates tokens it could have created', () => {
    given([existing(['orders:read', 'tokens:write'])])
      .when(rotate(WRITER))
      .then(['TokenRotated']);
  });

  it('admin rotates an admin token; root any token of any project', () => {
    given([existing(['admin'])])
      .when(rotate(ADMIN))
      .then(['TokenRotated']);
    given([existing(['admin'], 'elsewhere')])
      .when(rotate(ROOT, 'elsewhere'))
      .then(['TokenRotated']);
  });

  it('needs tokens:write on the token project', () => {
    given([existing([])])
      .when(rotate(READER))
      .thenForbids('tokens:write');
    given([existing([], 'other')])
      .when(rotate(ADMIN, 'other'))
      .thenForbids('tokens:write');
  });

  it('the root token is not rotated through the API', () => {
    given([existing(['root'], '_system', 'root')])
      .when(rotate(ROOT, '_system'))
      .thenThrows('reserved_project');
  });

  it('the system (completing a decided rotation) is not asked', () => {
    given([existing(['admin'])])
      .when(rotate(SYSTEM))
      .then(['TokenRotated']);
  });
});

describe('lifetime: a token that ends cannot issue or rotate to a token that outlives it', () => {
  const END = new Date(T0.getTime() + 3_600_000);
  const LATER = (ms: number) => new Date(END.getTime() + ms);
  const EXPIRING_WRITER = token('shop', ['tokens:write'], 'tok_caller', END);
  const EXPIRING_ADMIN = token('shop', ['admin'], 'tok_caller', END);
  const HOUR = 3600;
  const CENTURY = 100 * 365 * 86_400;

  describe('create', () => {
    it('up to the caller own end: an equal expiry is allowed, by expiresAt or by expiresIn', () => {
      given([])
        .when(create(EXPIRING_WRITER, { expiresAt: END }))
        .then(['TokenCreated']);
      given([])
        .when(create(EXPIRING_WRITER, { expiresInSeconds: HOUR }))
        .then(['TokenCreated']);
      given([])
        .when(create(EXPIRING_WRITER, { expiresAt: new Date(T0.getTime() + 60_000) }))
        .then(['TokenCreated']);
    });

    it('one millisecond later is refused, by expiresAt or by expiresIn', () => {
      given([])
        .when(create(EXPIRING_WRITER, { expiresAt: LATER(1) }))
        .thenOutlives(END);
      given([])
        .when(create(EXPIRING_WRITER, { expiresInSeconds: HOUR + 0.001 }))
        .thenOutlives(END);
      given([])
        .when(create(EXPIRING_ADMIN, { expiresInSeconds: CENTURY, scopes: ['orders:read'] }))
        .thenOutlives(END);
    });

    it('no expiry is refused to an expiring caller, whatever the scopes of the new token', () => {
      given([])
        .when(create(EXPIRING_WRITER, { expiresAt: null, scopes: ['tokens:write'] }))
        .thenOutlives(END);
      given([])
        .when(create(EXPIRING_ADMIN, { expiresAt: null, scopes: [] }))
        .thenOutlives(END);
    });

    it('an invalid requested date is refused, not let through by a NaN comparison', () => {
      given([])
        .when(create(EXPIRING_WRITER, { expiresAt: new Date(Number.NaN) }))
        .thenOutlives(END);
    });

    it('a caller without an end (null) may give any expiry or none; root has none', () => {
      given([])
        .when(create(WRITER, { expiresAt: null }))
        .then(['TokenCreated']);
      given([])
        .when(create(WRITER, { expiresInSeconds: CENTURY }))
        .then(['TokenCreated']);
      given([])
        .when(create(ROOT, { expiresAt: null, scopes: ['admin'] }))
        .then(['TokenCreated']);
    });

    it('scopes are judged before the lifetime (the refusal names the missing scope)', () => {
      given([])
        .when(create(EXPIRING_WRITER, { expiresAt: null, scopes: ['admin'] }))
        .thenForbids('admin');
    });
  });

  describe('rotate', () => {
    it('keeping the old expiry is allowed when it is within the caller end, including the caller rotating itself', () => {
      given([existing(['orders:read'], 'shop', 'project', END.toISOString())])
        .when(rotate(EXPIRING_WRITER))
        .then(['TokenRotated']);
      given([existing(['tokens:write'], 'shop', 'project', END.toISOString())])
        .when(rotate(token('shop', ['tokens:write'], 'tok_a', END)))
        .then(['TokenRotated']);
      given([existing(['orders:read'], 'shop', 'project', new Date(T0.getTime() + 60_000).toISOString())])
        .when(rotate(EXPIRING_WRITER))
        .then(['TokenRotated']);
    });

    it('keeping an old expiry later than the caller end, or none, is refused', () => {
      given([existing(['orders:read'], 'shop', 'project', LATER(1).toISOString())])
        .when(rotate(EXPIRING_WRITER))
        .thenOutlives(END);
      given([existing(['orders:read'])])
        .when(rotate(EXPIRING_WRITER))
        .thenOutlives(END);
    });

    it('a new expiresIn up to the caller end is allowed; one millisecond or 100 years later is refused (also on itself)', () => {
      const self = token('shop', ['tokens:write'], 'tok_a', END);
      given([existing(['orders:read'], 'shop', 'project', END.toISOString())])
        .when(rotate(EXPIRING_WRITER, 'shop', HOUR))
        .then(['TokenRotated']);
      given([existing(['orders:read'], 'shop', 'project', END.toISOString())])
        .when(rotate(EXPIRING_WRITER, 'shop', HOUR + 0.001))
        .thenOutlives(END);
      given([existing(['tokens:write'], 'shop', 'project', END.toISOString())])
        .when(rotate(self, 'shop', CENTURY))
        .thenOutlives(END);
    });

    it('a caller without an end rotates to any expiry or none; the system is not asked', () => {
      given([existing(['orders:read'])])
        .when(rotate(WRITER))
        .then(['TokenRotated']);
      given([existing(['orders:read'], 'shop', 'project', END.toISOString())])
        .when(rotate(WRITER, 'shop', CENTURY))
        .then(['TokenRotated']);
      given([existing(['orders:read'])])
        .when(rotate(SYSTEM))
        .then(['TokenRotated']);
    });

    it('scopes are judged before the lifetime', () => {
      given([existing(['admin'])])
        .when(rotate(EXPIRING_WRITER))
        .thenForbids('admin');
    });
  });

  it('revoking is not about lifetime: an expiring caller revokes a token without expiry', () => {
    given([existing(['orders:read'])])
      .when(revoke(EXPIRING_WRITER))
      .then(['TokenRevoked']);
  });
});

describe('revoke', () => {
  it('a token may always revoke itself (possession)', () => {
    given([existing(['admin'])])
      .when(revoke(token('shop', [], 'tok_a')))
      .then(['TokenRevoked']);
  });

  it('a tokens:write caller revokes what it could grant, not the admin or the auditor', () => {
    given([existing(['orders:read'])])
      .when(revoke(WRITER))
      .then(['TokenRevoked']);
    given([existing(['admin'])])
      .when(revoke(WRITER))
      .thenForbids('admin');
    given([existing(['audit:read'])])
      .when(revoke(WRITER))
      .thenForbids('audit:read');
    given([existing(['admin'])])
      .when(revoke(ADMIN))
      .then(['TokenRevoked']);
  });

  it('needs tokens:write on the token project', () => {
    given([existing([])])
      .when(revoke(READER))
      .thenForbids('tokens:write');
    given([existing([], 'other')])
      .when(revoke(ADMIN, 'other'))
      .thenForbids('tokens:write');
  });

  it('the root token is not revoked by another token through the API', () => {
    given([existing(['root'], '_system', 'root')])
      .when(revoke(ROOT, '_system'))
      .thenThrows('reserved_project');
  });
});

describe('listing projects', () => {
  it('shows root every project', () => expect(projectsVisibleTo(ROOT)).toBe('all'));
  it('shows any other token its own project only, with tokens:read there (admin implies it)', () => {
    expect(projectsVisibleTo(READER)).toBe('shop');
    expect(projectsVisibleTo(ADMIN)).toBe('shop');
  });
  it('refuses a token without tokens:read', () => {
    expect(() => projectsVisibleTo(WRITER)).toThrow(expect.objectContaining({ kind: 'forbidden', details: { requiredScope: 'tokens:read' } }));
  });
});
