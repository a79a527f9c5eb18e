import { Registry } from 'prom-client';
import { LedgerMetrics } from '../../apps/api/src/metrics/ledger-metrics';

const CALLS = 2_000_000;

/**
 * CPU µs per verification of what the request metrics do for it (one verification counted, one
 * latency observed), measured in this process with process.cpuUsage over CALLS requests, after a
 * warm-up, with a scrape every 100,000 (Prometheus scrapes far less often). Two servers of the
 * same build differ by more than this in the A/B comparison, so the bench reports both.
 */
export async function metricsCpuUsPerRequest(): Promise<number> {
  const registry = new Registry();
  const metrics = new LedgerMetrics(registry);
  const route = '/v1/tokens/verify';
  const run = async (calls: number) => {
    for (let i = 0; i < calls; i++) {
      metrics.verified(route, i % 50 === 0 ? 'revoked' : 'valid');
      metrics.answered(route, 'POST', 200, 0.0004 + (i % 7) * 0.0001);
      if (i % 100_000 === 0) await registry.metrics();
    }
  };
  await run(CALLS / 10);
  const before = process.cpuUsage();
  await run(CALLS);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / CALLS;
}
