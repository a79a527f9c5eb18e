import { Inject, Injectable } from '@nestjs/common';
import type { LedgerConfig } from '@ledger/config';
import { TokenListQueries } from '@ledger/projections';
import { ApiError } from '../http/api-error';
import { LEDGER_CONFIG } from '../store/ledger-store.tokens';

/** How long a project's count is trusted before it is taken again from the read model. */
const RECOUNT_MS = 1000;

/**
 * MAX_ACTIVE_TOKENS_PER_PROJECT: the tokens of a project that verify (a rotated one until its
 * grace ends, so chained rotations cannot add tokens either). The count is the read model's plus
 * the writes of this process still on their way to it, checked and reserved in one synchronous
 * step: exact within one process. Across replicas it can be passed by at most the creates that
 * other replicas made in the last second (RECOUNT_MS) or still have in flight.
 *
 * Counting costs a scan of the project's rows, so it is cached: the cache only ever over-counts
 * (own writes are added, revokes and expiries are not taken off), and an over-count that reaches
 * the limit is checked against a fresh count before anything is refused.
 */
@Injectable()
export class ProjectTokenQuota {
  private readonly limit: number;
  /** Writes that took a slot and are not yet in this replica's read model, by project. */
  private readonly pending = new Map<string, number>();
  private readonly counted = new Map<string, { active: number; at: number }>();

  constructor(
    @Inject(LEDGER_CONFIG) config: LedgerConfig,
    private readonly queries: TokenListQueries,
  ) {
    this.limit = config.maxActiveTokensPerProject;
  }

  /** Runs `write` (which must return once the read model shows it) holding one slot of the project. */
  async within<T>(projectId: string, write: () => Promise<T>): Promise<T> {
    const pending = this.pending.get(projectId) ?? 0;
    if (this.active(projectId, false) + pending >= this.limit && this.active(projectId, true) + pending >= this.limit) {
      throw new ApiError(
        409,
        'project_token_limit',
        `project ${projectId} has ${this.limit} active tokens, the most allowed (MAX_ACTIVE_TOKENS_PER_PROJECT); revoke unused ones first, or rotate with gracePeriod 0`,
        { limit: this.limit },
      );
    }
    this.pending.set(projectId, pending + 1);
    try {
      const result = await write();
      const counted = this.counted.get(projectId);
      if (counted) counted.active += 1;
      return result;
    } finally {
      const left = (this.pending.get(projectId) ?? 1) - 1;
      if (left > 0) this.pending.set(projectId, left);
      else this.pending.delete(projectId);
    }
  }

  private active(projectId: string, fresh: boolean): number {
    const counted = this.counted.get(projectId);
    const now = Date.now();
    if (!fresh && counted && now - counted.at < RECOUNT_MS) return counted.active;
    const active = this.queries.countActive(projectId, new Date(now));
    this.counted.set(projectId, { active, at: now });
    return active;
  }
}
