import { Counter, Histogram, type Registry } from 'prom-client';

/** Seconds; the hot paths answer in well under a millisecond, the admin API in a few. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Which limit answered a 429: failed credentials per client, or the admin API's per-caller limit. */
export type RateLimitBucket = 'failed_credentials' | 'admin';

/**
 * The request-path metrics. Labelled children are made once per label set and kept: prom-client's
 * labels() builds and validates a label object on every call, which the hot path would pay per
 * request. `enabled: false` (METRICS=off) makes the counters no-ops, for the bench's comparison.
 */
export class LedgerMetrics {
  private readonly verifications: Counter<'route' | 'result'>;
  private readonly rateLimited: Counter<'bucket'>;
  private readonly latency: Histogram<'route' | 'method' | 'status'>;
  private readonly verifiedChildren = new Map<string, Counter.Internal>();
  private readonly latencyChildren = new Map<string, Histogram.Internal<'route' | 'method' | 'status'>>();

  constructor(
    registry: Registry,
    readonly enabled = true,
  ) {
    this.verifications = new Counter({
      name: 'ledger_verifications_total',
      help: 'Token verifications by route and result (valid, or why not: not_found, revoked, expired, insufficient_scope, ...)',
      labelNames: ['route', 'result'],
      registers: [registry],
    });
    this.rateLimited = new Counter({
      name: 'ledger_rate_limited_total',
      help: 'Requests answered 429, by the bucket that refused them',
      labelNames: ['bucket'],
      registers: [registry],
    });
    this.latency = new Histogram({
      name: 'ledger_http_request_duration_seconds',
      help: 'Time from routing to the last byte of the response, by route template, method and status',
      labelNames: ['route', 'method', 'status'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
  }

  verified(route: string, result: string): void {
    if (!this.enabled) return;
    const key = `${route} ${result}`;
    let child = this.verifiedChildren.get(key);
    if (child === undefined) {
      child = this.verifications.labels(route, result);
      this.verifiedChildren.set(key, child);
    }
    child.inc();
  }

  refused(bucket: RateLimitBucket): void {
    if (!this.enabled) return;
    this.rateLimited.inc({ bucket });
  }

  /** `route` is the route template (bounded), never the URL: a URL can carry ids and queries. */
  answered(route: string, method: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let child = this.latencyChildren.get(key);
    if (child === undefined) {
      child = this.latency.labels(route, method, String(status));
      this.latencyChildren.set(key, child);
    }
    child.observe(seconds);
  }
}
