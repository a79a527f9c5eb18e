import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { LedgerConfig, RateLimit } from '@ledger/config';
import { ApiError } from '../../http/api-error';
import { LEDGER_CONFIG } from '../../store/ledger-store.tokens';

const BUCKET = 'failed-auth';

/**
 * The brute-force bucket: failed credentials per client address. Counting goes through the
 * throttler's storage (Redis when REDIS_URL is set, so replicas share the count); only failures
 * are counted, so a valid token costs no round trip. Once the storage says a client is blocked,
 * this replica remembers it locally and answers 429 without asking again until the block ends;
 * another replica learns it on that client's next failure there.
 */
@Injectable()
export class FailedAuthLimiter {
  private readonly limit: RateLimit;
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    @Inject(LEDGER_CONFIG) config: LedgerConfig,
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
  ) {
    this.limit = config.verification.failedAuthLimit;
  }

  /** Seconds until `client` may try again, 0 when it is not blocked here. */
  retryAfter(client: string, now = Date.now()): number {
    if (this.blockedUntil.size === 0) return 0;
    const until = this.blockedUntil.get(client);
    if (until === undefined) return 0;
    if (until > now) return Math.ceil((until - now) / 1000);
    this.blockedUntil.delete(client);
    return 0;
  }

  /** Counts one failure; answers the seconds to wait when this failure went over the limit. */
  async recordFailure(client: string): Promise<number> {
    if (!this.limit) return 0;
    const { windowMs, limit } = this.limit;
    const record = await this.storage.increment(`${BUCKET}:${client}`, windowMs, limit, windowMs, BUCKET);
    if (!record.isBlocked) return 0;
    const seconds = Math.max(1, record.timeToBlockExpire);
    this.blockedUntil.set(client, Date.now() + seconds * 1000);
    return seconds;
  }

  /** Throws the 429 for a blocked client (the project's error shape, with Retry-After). */
  static tooMany(seconds: number): ApiError {
    return new ApiError(429, 'too_many_failed_attempts', `too many failed credentials from this client; retry in ${seconds} s`, undefined, {
      'retry-after': String(seconds),
    });
  }
}
