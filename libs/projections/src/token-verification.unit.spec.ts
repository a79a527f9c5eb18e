import { randomBytes } from 'node:crypto';
import { formatTokenValue, hashTokenValue } from '@ledger/token-domain';
import type { IndexedToken } from './token-index';
import { verifyTokenValue } from './token-verification';

const value = formatTokenValue('integration', randomBytes(32));
const now = new Date('2026-03-01T12:00:00.000Z');
const token = (overrides: Partial<IndexedToken> = {}): IndexedToken => ({
  id: 'tok_a',
  projectId: 'shop',
  type: 'integration',
  ownerId: null,
  scopes: ['orders:read', 'orders:write'],
  createdAt: '2026-03-01T00:00:00.000Z',
  expiresAt: '2026-03-02T00:00:00.000Z',
  expiredAt: null,
  revokedAt: null,
  ...overrides,
});
/** given(indexed entry).when(value, requirements) → the code, or 'valid' */
const given = (entry: IndexedToken | undefined) => ({
  when: (presented: string, requirements: { scopes?: string[]; projectId?: string } = {}, at = now) => {
    const lookups: string[] = [];
    const result = verifyTokenValue(presented, (h) => (lookups.push(h), h === hashTokenValue(value) ? entry : undefined), requirements, at);
    return { code: result.valid ? 'valid' : result.code, lookups };
  },
});

describe('verifyTokenValue', () => {
  it('passes an active token holding every required scope of its project', () =>
    expect(given(token()).when(value, { scopes: ['orders:read', 'orders:write'], projectId: 'shop' }).code).toBe('valid'));
  it.each(['', 'nope', value.slice(0, -1) + (value.endsWith('a') ? 'b' : 'a'), 'tlx_' + value.slice(4)])(
    'refuses %p as malformed without a lookup',
    (presented) => expect(given(token()).when(presented)).toEqual({ code: 'malformed', lookups: [] }),
  );
  it('not_found for a well-formed unknown value', () => expect(given(undefined).when(value).code).toBe('not_found'));
  it('revoked wins over expired', () =>
    expect(given(token({ revokedAt: '2026-03-01T01:00:00.000Z', expiredAt: '2026-03-01T02:00:00.000Z' })).when(value).code).toBe('revoked'));
  it('expired from expiresAt alone, at the instant it passes', () => {
    expect(given(token()).when(value, {}, new Date('2026-03-01T23:59:59.999Z')).code).toBe('valid');
    expect(given(token()).when(value, {}, new Date('2026-03-02T00:00:00.000Z')).code).toBe('expired');
  });
  it('a rotated token is valid until the end of its grace (its expiresAt), then expired', () => {
    const rotated = token({ expiresAt: '2026-03-01T13:00:00.000Z' });
    expect(given(rotated).when(value).code).toBe('valid');
    expect(given(rotated).when(value, {}, new Date('2026-03-01T13:00:00.000Z')).code).toBe('expired');
  });
  it('wrong_project before insufficient_scope', () =>
    expect(given(token()).when(value, { scopes: ['billing:admin'], projectId: 'billing' }).code).toBe('wrong_project'));
  it('insufficient_scope when any required scope is missing; admin implies nothing here', () => {
    expect(given(token()).when(value, { scopes: ['orders:read', 'refunds'] }).code).toBe('insufficient_scope');
    expect(given(token({ scopes: ['admin'] })).when(value, { scopes: ['tokens:read'] }).code).toBe('insufficient_scope');
  });
});
