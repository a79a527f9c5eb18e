import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { EventStore, GlobalPosition } from '@ledger/event-store';
import { Projector } from '@ledger/projections';
import { EVENT_STORE } from '../store/ledger-store.tokens';

/** Events behind beyond which a replica stops taking traffic: its answers would be too stale. */
const MAX_READY_LAG = 1000;

/**
 * How long the verification index may stay behind the store's head before the replica is not
 * ready: a revoke recorded that long ago and not yet enforced here. A bound in time, whatever
 * the number of events: one revoke behind for a minute is a token still accepted for a minute.
 */
export const MAX_INDEX_LAG_MS = 5_000;

@Injectable()
export class LedgerHealth {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projector: Projector,
    private readonly indicator: HealthIndicatorService,
  ) {}

  /** The head the index was first seen behind, and when; null while it has caught up. */
  private indexBehind: { head: GlobalPosition; since: number } | null = null;

  async eventStore() {
    const check = this.indicator.check('eventStore');
    try {
      return check.up({ head: await this.store.headPosition() });
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }

  async projection() {
    const check = this.indicator.check('projection');
    const position = this.projector.position;
    const head = await this.store.headPosition().catch(() => position);
    // Lag in events, not position units: EventStoreDB positions are byte offsets in its log.
    const behind = head > position ? await this.store.readAll({ after: position, maxCount: MAX_READY_LAG + 1 }).catch(() => []) : [];
    const details = { position, head, lag: behind.length, indexLagMs: this.indexLagMs(head) };
    if (!this.projector.running) return check.down({ ...details, message: this.stoppedBecause() });
    // The projector still runs, but its feed is gone until the store takes the subscription back.
    const retry = this.store.subscriptionRetry?.();
    if (retry) {
      return check.down({
        ...details,
        message: 'subscription to the event store is retrying',
        since: retry.since,
        attempts: retry.attempts,
        reason: retry.reason,
      });
    }
    if (details.indexLagMs > MAX_INDEX_LAG_MS) return check.down({ ...details, message: 'verification index is behind the store (revokes not yet enforced)' });
    return details.lag <= MAX_READY_LAG ? check.up(details) : check.down({ ...details, message: 'projection is behind' });
  }

  /**
   * How long the index has been behind, on this process's clock (the store's may differ): from
   * the check that first saw it behind a head until a check sees it past that head. Measured
   * between readiness checks, so it is known at the next check after the bound, not sooner.
   */
  private indexLagMs(head: GlobalPosition): number {
    const reached = this.projector.followersPosition;
    const now = Date.now();
    if (reached >= head) {
      this.indexBehind = null;
      return 0;
    }
    if (this.indexBehind === null || reached >= this.indexBehind.head) this.indexBehind = { head, since: now };
    return now - this.indexBehind.since;
  }

  private stoppedBecause(): string {
    const { error, stoppedForGood } = this.projector;
    if (!error) return 'projection is not running';
    // Never the error's whole text: a SQLite message names no secret, but keep the answer short.
    const code = (error as { code?: unknown }).code;
    const reason = typeof code === 'string' ? code : (error as Error).name;
    return stoppedForGood ? `projection stopped on an error (${reason})` : `projection retrying after an error (${reason})`;
  }
}
