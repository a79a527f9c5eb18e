import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { MemoryEventStore } from '@ledger/event-store';
import type { Alert, Notifier } from '@ledger/reminders';
import { countDeliveries } from './delivery.metrics';
import { registerProjectionLagMetrics } from './projection-lag.metrics';

const value = async (registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> => {
  const metric = await registry.getSingleMetric(name)!.get();
  return metric.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
};

describe('reminder delivery metric', () => {
  it('counts delivered, no_endpoint and failed by channel, and passes results and errors through', async () => {
    const registry = new Registry();
    const answers = [true, false, new Error('webhook answered 500')];
    const webhook: Notifier = {
      channel: 'webhook',
      notify: async () => {
        const next = answers.shift();
        if (next instanceof Error) throw next;
        return next as boolean;
      },
    };
    const [counted] = countDeliveries([webhook], registry);
    const alert = {} as Alert;
    expect(await counted.notify(alert)).toBe(true);
    expect(await counted.notify(alert)).toBe(false);
    await expect(counted.notify(alert)).rejects.toThrow('500');
    for (const outcome of ['delivered', 'no_endpoint', 'failed']) {
      expect(await value(registry, 'ledger_reminder_deliveries_total', { channel: 'webhook', outcome })).toBe(1);
    }
  });
});

describe('projection lag metrics', () => {
  it('reads events and seconds behind per read model at scrape time, 0 when caught up', async () => {
    const store = new MemoryEventStore();
    const registry = new Registry();
    let position = 0;
    registerProjectionLagMetrics(registry, store, [{ name: 'token_list', position: () => position }]);
    const lag = async () => [
      await value(registry, 'ledger_projection_lag_events', { read_model: 'token_list' }),
      await value(registry, 'ledger_projection_lag_seconds', { read_model: 'token_list' }),
    ];
    expect(await lag()).toEqual([0, 0]);
    for (let i = 0; i < 3; i++) await store.appendToStream(`s-${i}`, [{ id: randomUUID(), type: 'TokenUsed', data: {}, metadata: {} }], 'any');
    const [events, seconds] = await lag();
    expect(events).toBe(3);
    expect(seconds).toBeGreaterThanOrEqual(0);
    position = await store.headPosition();
    expect(await lag()).toEqual([0, 0]);
  });
});
