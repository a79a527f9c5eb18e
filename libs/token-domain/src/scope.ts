/** Scopes are free-form names chosen by the project's service (docs/api.md, "Scopes"). */
export const SCOPE_PATTERN = /^[a-z][a-z0-9:._-]{0,63}$/;
export const MAX_SCOPES = 32;
export const PROJECT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const SYSTEM_PROJECT = '_system';

/** Scopes the ledger's own API checks. `admin` implies the four below it; `root` implies all. */
export const LEDGER_SCOPES = ['tokens:read', 'tokens:write', 'audit:read', 'introspect'] as const;
export type LedgerScope = (typeof LEDGER_SCOPES)[number] | 'admin' | 'root';
export const RESERVED_SCOPES: readonly string[] = [...LEDGER_SCOPES, 'admin', 'root'];

/** Whether a token holding `held` may use the ledger permission `needed`. */
export function grantsScope(held: readonly string[], needed: LedgerScope): boolean {
  if (held.includes('root') || held.includes(needed)) return true;
  // Needing admin while holding it returned above: what is left for admin is the four below it.
  return needed !== 'root' && held.includes('admin');
}
