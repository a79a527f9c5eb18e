import { Global, Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { MetricsHttpController } from './metrics.http.controller';

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
  ],
  exports: [Registry],
})
export class MetricsModule {}
