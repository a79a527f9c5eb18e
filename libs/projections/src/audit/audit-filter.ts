import type { RecordedEvent } from '@ledger/event-store';

/** What an auditor narrows the log to. Every field is optional; all given ones must match. */
export interface AuditFilter {
  projectId?: string;
  /** Events of the token's own stream. */
  tokenId?: string;
  /** Event types (any of them). */
  types?: string[];
  /** An actor id (`tok_…`, `bootstrap`), or `type:id` (`token:tok_…`, `system:bootstrap`). */
  actor?: string;
  /** Inclusive lower bound on recordedAt. */
  from?: Date;
  /** Exclusive upper bound on recordedAt: `[from, to)` ranges tile without overlap. */
  to?: Date;
}

type Actor = { type?: unknown; id?: unknown } | undefined;

export function matchesAuditFilter(event: RecordedEvent, filter: AuditFilter): boolean {
  if (filter.projectId !== undefined && event.data.projectId !== filter.projectId) return false;
  if (filter.tokenId !== undefined && event.streamId !== `token-${filter.tokenId}`) return false;
  if (filter.types && !filter.types.includes(event.type)) return false;
  if (filter.actor !== undefined) {
    const actor = event.metadata.actor as Actor;
    if (!actor || (actor.id !== filter.actor && `${String(actor.type)}:${String(actor.id)}` !== filter.actor)) return false;
  }
  // ISO-8601 UTC strings of one format compare as times.
  if (filter.from && event.recordedAt < filter.from.toISOString()) return false;
  if (filter.to && event.recordedAt >= filter.to.toISOString()) return false;
  return true;
}
