import type { CommandCaller, CreateToken } from '../token.commands';
import type { TokenCreated } from '../token.events';

/** The instant the domain specs start from: 2026-03-01T10:00:00Z. */
export const SPEC_START = new Date('2026-03-01T10:00:00.000Z');

/**
 * A `TokenCreated` for the domain specs: integration token `tok_a` of project `shop`, created at
 * SPEC_START, `orders:read`, no expiry. Each spec states what it relies on through `overrides`.
 */
export const tokenCreated = (overrides: Partial<TokenCreated['data']> = {}): TokenCreated => ({
  type: 'TokenCreated',
  data: {
    tokenId: 'tok_a',
    projectId: 'shop',
    name: 'billing sync',
    type: 'integration',
    ownerId: null,
    scopes: ['orders:read'],
    expiresAt: null,
    secretHash: 'a'.repeat(64),
    hint: 'tli_…abcd',
    createdAt: SPEC_START.toISOString(),
    rotatedFrom: null,
    metadata: {},
    ...overrides,
  },
});

/** The project's admin of `shop`: may grant every ledger scope of the project but root. */
export const SPEC_ADMIN: CommandCaller = { kind: 'token', tokenId: 'tok_admin', projectId: 'shop', scopes: ['admin'], expiresAt: null };

/** A `CreateToken` by SPEC_ADMIN matching `tokenCreated()`'s defaults, at SPEC_START. */
export const createTokenCommand = (overrides: Partial<CreateToken['data']> = {}): CreateToken => ({
  type: 'CreateToken',
  data: {
    caller: SPEC_ADMIN,
    tokenId: 'tok_a',
    projectId: 'shop',
    name: 'billing sync',
    tokenType: 'integration',
    ownerId: null,
    scopes: ['orders:read'],
    expiresAt: null,
    secretHash: 'a'.repeat(64),
    hint: 'tli_…abcd',
    metadata: {},
    rotatedFrom: null,
    now: SPEC_START,
    ...overrides,
  },
});
