import { callerMayAct, isRootCaller, type CommandCaller, type LedgerScope } from '@ledger/token-domain';

/** Route metadata: the ledger scope a route needs (set by RequireScope, read by CallerGuard). */
export const REQUIRED_SCOPE = 'ledger:required-scope';

/** The authenticated token behind an admin request. */
export interface Caller {
  tokenId: string;
  projectId: string;
  scopes: string[];
  /** The end of its validity (ISO): its expiry, or for a rotated token its grace end; null = none. */
  expiresAt: string | null;
}

export const isRoot = (caller: Caller): boolean => isRootCaller(caller);

/** Whether the caller may use `scope` on `projectId`: its own project, or any with root. */
export const mayAct = (caller: Caller, scope: LedgerScope, projectId: string): boolean => callerMayAct(caller, scope, projectId);

/** The caller as the token commands carry it (the decider authorizes with it). */
export const commandCaller = (caller: Caller): CommandCaller => ({
  kind: 'token',
  tokenId: caller.tokenId,
  projectId: caller.projectId,
  scopes: caller.scopes,
  expiresAt: caller.expiresAt === null ? null : new Date(caller.expiresAt),
});
