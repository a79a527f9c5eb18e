import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { LedgerConfig } from '@ledger/config';
import type { EventStore } from '@ledger/event-store';
import { Projector, TokenIndex } from '@ledger/projections';
import { ReminderFeed } from '@ledger/reminders';
import { EVENT_STORE, LEDGER_CONFIG } from '../store/ledger-store.tokens';
import { LedgerMetrics } from './ledger-metrics';
import { MetricsHttpController } from './metrics.http.controller';
import { registerProjectionLagMetrics } from './projection-lag.metrics';
import { registerTokenMetrics } from './token.metrics';

/** One Prometheus registry per app (not prom-client's global one: tests run several apps). */
@Global()
@Module({
  controllers: [MetricsHttpController],
  providers: [
    {
      provide: Registry,
      useFactory: () => {
        const registry = new Registry();
        collectDefaultMetrics({ register: registry, prefix: 'ledger_' });
        return registry;
      },
    },
    {
      provide: LedgerMetrics,
      useFactory: (registry: Registry, config: LedgerConfig) => new LedgerMetrics(registry, config.requestMetrics),
      inject: [Registry, LEDGER_CONFIG],
    },
  ],
  exports: [Registry, LedgerMetrics],
})
export class MetricsModule implements OnModuleInit {
  constructor(
    private readonly registry: Registry,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projector: Projector,
    private readonly feed: ReminderFeed,
    private readonly index: TokenIndex,
  ) {}

  /** The read-model gauges are read at scrape time: they cost nothing between scrapes. */
  onModuleInit(): void {
    registerProjectionLagMetrics(this.registry, this.store, [
      { name: 'token_list', position: () => this.projector.position },
      { name: 'reminders', position: () => this.feed.position },
    ]);
    registerTokenMetrics(this.registry, this.index, () => this.projector.position);
  }
}
