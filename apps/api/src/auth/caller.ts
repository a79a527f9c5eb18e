import { grantsScope, SYSTEM_PROJECT, type LedgerScope } from '@ledger/token-domain';

/** Route metadata: the ledger scope a route needs (set by RequireScope, read by CallerGuard). */
export const REQUIRED_SCOPE = 'ledger:required-scope';

/** The authenticated token behind an admin request. */
export interface Caller {
  tokenId: string;
  projectId: string;
  scopes: string[];
}

export const isRoot = (caller: Caller): boolean => caller.projectId === SYSTEM_PROJECT && caller.scopes.includes('root');

/** Whether the caller may use `scope` on `projectId`: its own project, or any with root. */
export function mayAct(caller: Caller, scope: LedgerScope, projectId: string): boolean {
  if (isRoot(caller)) return true;
  return caller.projectId === projectId && grantsScope(caller.scopes, scope);
}
