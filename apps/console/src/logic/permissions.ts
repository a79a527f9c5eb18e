/**
 * What a signed-in token may do, mirroring libs/token-domain/src/token-authorization.ts so the
 * console hides what the API would refuse (the API still decides: a hidden button is a courtesy,
 * not a control). `admin` implies the four API scopes; a root token acts on every project.
 */
export type ConsoleScope = 'tokens:read' | 'tokens:write' | 'audit:read' | 'admin';

export interface Identity {
  tokenId: string;
  projectId: string;
  type: string;
  scopes: string[];
}

export const isRoot = (who: Identity): boolean => who.type === 'root' || who.scopes.includes('root');

export function may(who: Identity, scope: ConsoleScope, projectId: string = who.projectId): boolean {
  if (isRoot(who)) return true;
  if (projectId !== who.projectId) return false;
  return who.scopes.includes(scope) || who.scopes.includes('admin');
}

/** Scopes the ledger reserves for its own API, explained in the create dialog. */
export const RESERVED_SCOPES: Record<string, string> = {
  'tokens:read': 'list and read this project’s tokens',
  'tokens:write': 'create, rotate and revoke this project’s tokens',
  'audit:read': 'read and export the audit log',
  introspect: 'call RFC 7662 introspection',
  admin: 'all four of the above, plus reminders',
};

export const SCOPE_PATTERN = /^[a-z][a-z0-9:._-]{0,63}$/;
export const MAX_SCOPES = 32;
