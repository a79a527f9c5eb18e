import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CREDENTIAL_FAILURES, TokenIndex, verifyTokenValue, type Verification, type VerifyRequirements } from '@ledger/projections';
import { LedgerMetrics } from '../metrics/ledger-metrics';
import { ClientAddress } from './rate-limit/client-address';
import { FailedAuthLimiter } from './rate-limit/failed-auth.limiter';
import { UsageBuffer } from './usage/usage-buffer';

const userAgent = (request: FastifyRequest): string | null => {
  const value = request.headers['user-agent'];
  return value ? value.slice(0, 256) : null;
};

/**
 * The hot path shared by verify, forward-auth and introspection: the in-memory index, the
 * brute-force bucket of the end client, and usage counted in memory. No disk, and no network
 * unless a credential failed (the bucket's counter may live in Redis).
 */
@Injectable()
export class VerificationService {
  constructor(
    private readonly index: TokenIndex,
    private readonly usage: UsageBuffer,
    private readonly limiter: FailedAuthLimiter,
    private readonly clients: ClientAddress,
    private readonly metrics: LedgerMetrics,
  ) {}

  /** Verifies `value` for the request's end client; throws the 429 when that client is blocked. */
  async verify(request: FastifyRequest, value: string, requirements: VerifyRequirements): Promise<Verification> {
    const client = this.clients.of(request);
    const blocked = this.limiter.retryAfter(client);
    if (blocked > 0) {
      this.verified(request, 'rate_limited');
      throw FailedAuthLimiter.tooMany(blocked);
    }
    const now = Date.now();
    const result = verifyTokenValue(value, (hash) => this.index.find(hash), requirements, new Date(now));
    this.verified(request, result.valid ? 'valid' : result.code);
    if (result.valid) {
      this.usage.record(result.token, now, client, userAgent(request));
    } else if (CREDENTIAL_FAILURES.has(result.code)) {
      const wait = await this.limiter.recordFailure(client);
      if (wait > 0) throw FailedAuthLimiter.tooMany(wait);
    }
    return result;
  }

  /** The route template, not the URL (bounded labels); read only when metrics are on. */
  private verified(request: FastifyRequest, result: string): void {
    if (this.metrics.enabled) this.metrics.verified(request.routeOptions.url ?? 'unknown', result);
  }

  /** Throws the 429 when the request's end client is blocked for failed credentials. */
  refuseBlocked(request: FastifyRequest): void {
    const blocked = this.limiter.retryAfter(this.clients.of(request));
    if (blocked > 0) throw FailedAuthLimiter.tooMany(blocked);
  }

  /** Counts a failed credential of the request's end client; throws the 429 when it went over. */
  async countFailedCredential(request: FastifyRequest): Promise<void> {
    const wait = await this.limiter.recordFailure(this.clients.of(request));
    if (wait > 0) throw FailedAuthLimiter.tooMany(wait);
  }

  /** A use of the admin API by an authenticated token. */
  recordUse(request: FastifyRequest, token: { id: string; projectId: string }): void {
    this.usage.record(token, Date.now(), this.clients.of(request), userAgent(request));
  }
}
