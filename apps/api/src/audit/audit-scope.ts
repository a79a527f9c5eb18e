import { ApiError } from '../http/api-error';
import { isRoot, type Caller } from '../credentials/caller';

/**
 * The project an audit read is limited to: root reads any (or all, when none is asked for);
 * everyone else reads their own project's log only.
 */
export function auditProject(caller: Caller, requested: string | undefined): string | undefined {
  if (isRoot(caller)) return requested;
  if (requested !== undefined && requested !== caller.projectId) {
    throw ApiError.forbidden(`this token reads the audit log of project ${caller.projectId} only; other projects need root`, 'root');
  }
  return caller.projectId;
}
