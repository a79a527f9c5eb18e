import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { EventStore } from '@ledger/event-store';
import { Projector } from '@ledger/projections';
import { EVENT_STORE } from '../store/ledger-store.tokens';

/** Events behind beyond which a replica stops taking traffic: its answers would be too stale. */
const MAX_READY_LAG = 1000;

@Injectable()
export class LedgerHealth {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projector: Projector,
    private readonly indicator: HealthIndicatorService,
  ) {}

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
    const details = { position, head, lag: behind.length };
    if (!this.projector.running) return check.down({ ...details, message: this.stoppedBecause() });
    // The projector still runs, but its feed is gone until the store takes the subscription back.
    const retry = this.store.subscriptionRetry?.();
    if (retry) {
      return check.down({ ...details, message: 'subscription to the event store is retrying', since: retry.since, attempts: retry.attempts, reason: retry.reason });
    }
    return details.lag <= MAX_READY_LAG ? check.up(details) : check.down({ ...details, message: 'projection is behind' });
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
