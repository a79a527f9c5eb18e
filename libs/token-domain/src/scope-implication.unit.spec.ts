import { LEDGER_SCOPES, MAX_SCOPES, PROJECT_ID_PATTERN, RESERVED_SCOPES, SCOPE_PATTERN, SYSTEM_PROJECT, grantsScope, type LedgerScope } from './scope';

/** Scope names, project ids and what each ledger scope implies (docs/api.md, "Scopes"). */
describe('ledger scopes', () => {
  it('names the four ledger scopes, and reserves them with admin and root', () => {
    expect([...LEDGER_SCOPES]).toEqual(['tokens:read', 'tokens:write', 'audit:read', 'introspect']);
    expect(RESERVED_SCOPES).toEqual(['tokens:read', 'tokens:write', 'audit:read', 'introspect', 'admin', 'root']);
    expect(SYSTEM_PROJECT).toBe('_system');
    expect(MAX_SCOPES).toBe(32);
  });

  const every: LedgerScope[] = [...LEDGER_SCOPES, 'admin', 'root'];

  it('root implies every scope, itself included', () => {
    for (const needed of every) expect(grantsScope(['root'], needed)).toBe(true);
  });

  it('admin implies the four ledger scopes and itself, never root', () => {
    for (const needed of LEDGER_SCOPES) expect(grantsScope(['admin'], needed)).toBe(true);
    expect(grantsScope(['admin'], 'admin')).toBe(true);
    expect(grantsScope(['admin'], 'root')).toBe(false);
  });

  it('a ledger scope implies only itself', () => {
    for (const held of LEDGER_SCOPES) {
      for (const needed of every) expect([held, needed, grantsScope([held], needed)]).toEqual([held, needed, held === needed]);
    }
  });

  it('nothing held, or only free-form scopes, grants nothing', () => {
    for (const needed of every) {
      expect(grantsScope([], needed)).toBe(false);
      expect(grantsScope(['orders:read', 'admins', 'roots', 'tokens'], needed)).toBe(false);
    }
  });

  it('a scope further down the list counts as much as the first', () => expect(grantsScope(['orders:read', 'metrics', 'admin'], 'audit:read')).toBe(true));
});

describe('SCOPE_PATTERN', () => {
  it.each(['a', 'flags:read', 'orders.v2_write-all', 'x9', 'a'.repeat(64)])('accepts %p', (scope) => expect(SCOPE_PATTERN.test(scope)).toBe(true));
  it.each(['', 'A', 'Flags', '1flags', ':read', 'a'.repeat(65), 'flags read', 'flags/read', ' flags', 'flags\n', 'read!'])('refuses %p', (scope) =>
    expect(SCOPE_PATTERN.test(scope)).toBe(false),
  );
});

describe('PROJECT_ID_PATTERN', () => {
  it.each(['a', 'shop', '0day', 'shop-eu-1', 'a'.repeat(63)])('accepts %p', (id) => expect(PROJECT_ID_PATTERN.test(id)).toBe(true));
  it.each(['', '_system', '-shop', 'Shop', 'shop_eu', 'shop.eu', 'a'.repeat(64), 'shop ', ' shop', 'sh op'])('refuses %p', (id) =>
    expect(PROJECT_ID_PATTERN.test(id)).toBe(false),
  );
});
