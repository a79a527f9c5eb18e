import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { LedgerConfig, RateLimit } from '@ledger/config';
import { ApiError } from '../../http/api-error';
import { LEDGER_CONFIG } from '../../store/ledger-store.tokens';
import { addressBucket } from './client-address';

const BUCKET = 'failed-auth';

/**
 * The brute-force bucket: failed credentials per client address. Counting goes through the
 * throttler's storage (Redis when REDIS_URL is set, so replicas share the count); only failures
 * are counted, so a valid token costs no round trip. Once the storage says a client is blocked,
 * this replica remembers it locally and answers 429 without asking again until the block ends;
 * another replica learns it on that client's next failure there.
 *
 * Clients are bucketed by `addressBucket` (IPv6 per /64). The local memory of blocks is bounded
 * (MAX_BLOCKED): past it the oldest entry goes, which costs that client only a storage round
 * trip on its next failure (the storage still holds the block), never a lifted block.
 */
@Injectable()
export class FailedAuthLimiter {
  static readonly MAX_BLOCKED = 10_000;
  private readonly limit: RateLimit;
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    @Inject(LEDGER_CONFIG) config: LedgerConfig,
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
  ) {
    this.limit = config.verification.failedAuthLimit;
  }

  /** Seconds until `client` may try again, 0 when it is not blocked here. */
  retryAfter(address: string, now = Date.now()): number {
    if (this.blockedUntil.size === 0) return 0;
    const client = addressBucket(address);
    const until = this.blockedUntil.get(client);
    if (until === undefined) return 0;
    if (until > now) return Math.ceil((until - now) / 1000);
    this.blockedUntil.delete(client);
    return 0;
  }

  /** Counts one failure; answers the seconds to wait when this failure went over the limit. */
  async recordFailure(address: string): Promise<number> {
    if (!this.limit) return 0;
    const client = addressBucket(address);
    const { windowMs, limit } = this.limit;
    const record = await this.storage.increment(`${BUCKET}:${client}`, windowMs, limit, windowMs, BUCKET);
    if (!record.isBlocked) return 0;
    const seconds = Math.max(1, record.timeToBlockExpire);
    this.remember(client, Date.now() + seconds * 1000);
    return seconds;
  }

  /** How many clients this replica remembers as blocked. */
  get blockedCount(): number {
    return this.blockedUntil.size;
  }

  /**
   * Insertion order is the order of blocking, and blocks last one window, so the oldest entries
   * are the first to end: dropping from the front removes the ended ones, then the oldest.
   */
  private remember(client: string, until: number): void {
    this.blockedUntil.delete(client);
    const now = Date.now();
    for (const [oldest, end] of this.blockedUntil) {
      if (end > now && this.blockedUntil.size < FailedAuthLimiter.MAX_BLOCKED) break;
      this.blockedUntil.delete(oldest);
    }
    this.blockedUntil.set(client, until);
  }

  /** Throws the 429 for a blocked client (the project's error shape, with Retry-After). */
  static tooMany(seconds: number): ApiError {
    return new ApiError(429, 'too_many_failed_attempts', `too many failed credentials from this client; retry in ${seconds} s`, undefined, {
      'retry-after': String(seconds),
    });
  }
}
