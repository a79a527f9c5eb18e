import { Gauge, type Registry } from 'prom-client';
import type { EventStore, GlobalPosition } from '@ledger/event-store';

/** Lag is counted in events up to this many (one page read): past it the replica is far behind anyway. */
const MAX_COUNTED_LAG = 10_000;

export interface FollowingReadModel {
  name: string;
  position(): GlobalPosition;
}

/**
 * How far each read model is behind the event store, read at scrape time: in events (counted,
 * not position arithmetic: EventStoreDB positions are byte offsets) and in seconds since the
 * oldest event it has not applied was recorded. Caught up costs one head read per scrape.
 */
export function registerProjectionLagMetrics(registry: Registry, store: EventStore, readModels: FollowingReadModel[]): void {
  const lagSeconds = new Gauge({
    name: 'ledger_projection_lag_seconds',
    help: 'Seconds since the oldest event a read model has not applied was recorded (0: caught up)',
    labelNames: ['read_model'],
    registers: [registry],
  });
  new Gauge({
    name: 'ledger_projection_lag_events',
    help: `Events recorded but not yet applied by a read model (counted up to ${MAX_COUNTED_LAG})`,
    labelNames: ['read_model'],
    registers: [registry],
    async collect() {
      const head = await store.headPosition().catch(() => null);
      for (const readModel of readModels) {
        const position = readModel.position();
        const behind = head !== null && head > position ? await store.readAll({ after: position, maxCount: MAX_COUNTED_LAG }).catch(() => []) : [];
        this.set({ read_model: readModel.name }, behind.length);
        lagSeconds.set({ read_model: readModel.name }, behind.length === 0 ? 0 : Math.max(0, (Date.now() - Date.parse(behind[0].recordedAt)) / 1000));
      }
    },
  });
}
