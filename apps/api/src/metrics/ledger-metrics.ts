import { Counter, type Registry } from 'prom-client';
import { LatencyHistogram } from './latency-histogram';

/** Seconds; the hot paths answer in well under a millisecond, the admin API in a few. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Which limit answered a 429: failed credentials per client, or the admin API's per-caller limit. */
export type RateLimitBucket = 'failed_credentials' | 'admin';

/**
 * The request-path metrics. Per request they cost a map lookup and a few additions: prom-client
 * hashes a label object on every inc() or observe() (measured at 0.5 and 1.3 µs of CPU, several
 * per cent of a forward-auth request), so verifications are counted here and handed to its
 * counter when scraped, and latency goes to a histogram kept in plain arrays.
 * `enabled: false` (METRICS=off) makes them no-ops, for the bench's comparison.
 */
export class LedgerMetrics {
  private readonly verifications: Counter<'route' | 'result'>;
  private readonly rateLimited: Counter<'bucket'>;
  private readonly latency: LatencyHistogram;
  /** Verifications counted here per label set and added to the counter when scraped (a plain increment per request). */
  private readonly verifiedCounts = new Map<string, { labels: { route: string; result: string }; n: number; reported: number }>();
  private readonly latencySeries = new Map<string, ReturnType<LatencyHistogram['series']>>();

  constructor(
    registry: Registry,
    readonly enabled = true,
  ) {
    const verifiedCounts = this.verifiedCounts;
    this.verifications = new Counter({
      name: 'ledger_verifications_total',
      help: 'Token verifications by route and result (valid, or why not: not_found, revoked, expired, insufficient_scope, ...)',
      labelNames: ['route', 'result'],
      registers: [registry],
      collect() {
        for (const count of verifiedCounts.values()) {
          if (count.n > count.reported) this.inc(count.labels, count.n - count.reported);
          count.reported = count.n;
        }
      },
    });
    this.rateLimited = new Counter({
      name: 'ledger_rate_limited_total',
      help: 'Requests answered 429, by the bucket that refused them',
      labelNames: ['bucket'],
      registers: [registry],
    });
    this.latency = new LatencyHistogram(
      'ledger_http_request_duration_seconds',
      'Time from routing to the last byte of the response, by route template, method and status',
      LATENCY_BUCKETS,
      registry,
    );
  }

  verified(route: string, result: string): void {
    if (!this.enabled) return;
    const key = `${route} ${result}`;
    let count = this.verifiedCounts.get(key);
    if (count === undefined) {
      count = { labels: { route, result }, n: 0, reported: 0 };
      this.verifiedCounts.set(key, count);
    }
    count.n++;
  }

  refused(bucket: RateLimitBucket): void {
    if (!this.enabled) return;
    this.rateLimited.inc({ bucket });
  }

  /** `route` is the route template (bounded), never the URL: a URL can carry ids and queries. */
  answered(route: string, method: string, status: number, seconds: number): void {
    if (!this.enabled) return;
    const key = `${method} ${status} ${route}`;
    let series = this.latencySeries.get(key);
    if (series === undefined) {
      series = this.latency.series({ route, method, status: String(status) });
      this.latencySeries.set(key, series);
    }
    this.latency.observe(series, seconds);
  }
}
