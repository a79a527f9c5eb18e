import { Registry } from 'prom-client';
import { LedgerMetrics } from './ledger-metrics';

describe('request metrics text', () => {
  it('writes cumulative buckets, +Inf, sum and count per series, and hands verifications to the counter when scraped', async () => {
    const registry = new Registry();
    const metrics = new LedgerMetrics(registry);
    metrics.answered('/v1/tokens/verify', 'POST', 200, 0.0007);
    metrics.answered('/v1/tokens/verify', 'POST', 200, 3);
    metrics.answered('/v1/auth/check', 'GET', 401, 0.0001);
    metrics.verified('/v1/tokens/verify', 'valid');
    const text = await registry.metrics();
    const series = 'route="/v1/tokens/verify",method="POST",status="200"';
    expect(text).toContain(`ledger_http_request_duration_seconds_bucket{${series},le="0.0005"} 0\n`);
    expect(text).toContain(`ledger_http_request_duration_seconds_bucket{${series},le="0.001"} 1\n`);
    expect(text).toContain(`ledger_http_request_duration_seconds_bucket{${series},le="2.5"} 1\n`);
    expect(text).toContain(`ledger_http_request_duration_seconds_bucket{${series},le="+Inf"} 2\n`);
    expect(text).toContain(`ledger_http_request_duration_seconds_sum{${series}} 3.0007\n`);
    expect(text).toContain(`ledger_http_request_duration_seconds_count{${series}} 2\n`);
    expect(text).toContain('ledger_http_request_duration_seconds_count{route="/v1/auth/check",method="GET",status="401"} 1\n');
    expect(text).toContain('ledger_verifications_total{route="/v1/tokens/verify",result="valid"} 1\n');
    metrics.verified('/v1/tokens/verify', 'valid');
    metrics.verified('/v1/tokens/verify', 'valid');
    // Counted once each across scrapes, never twice.
    expect(await registry.metrics()).toContain('ledger_verifications_total{route="/v1/tokens/verify",result="valid"} 3\n');
    expect(await registry.metrics()).toContain('ledger_verifications_total{route="/v1/tokens/verify",result="valid"} 3\n');
  });

  it('counts nothing when off (METRICS=off)', async () => {
    const registry = new Registry();
    const metrics = new LedgerMetrics(registry, false);
    metrics.verified('/v1/tokens/verify', 'valid');
    metrics.answered('/v1/tokens/verify', 'POST', 200, 0.001);
    const text = await registry.metrics();
    expect(text).not.toContain('ledger_verifications_total{');
  });
});
