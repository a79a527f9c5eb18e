import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageService, type ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { REDIS_DISCONNECT_TIMEOUT_MS, type LedgerConfig } from '@ledger/config';

/**
 * The throttler's counters: in Redis when REDIS_URL is set (so that replicas share them, keys
 * under RATE_LIMIT_PREFIX), in memory otherwise. When Redis fails the request goes through
 * unlimited and a warning is logged: a rate-limit store must not take the token service down.
 */
export class RateLimitStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly inner: ThrottlerStorageService | ThrottlerStorageRedisService;
  private lastWarning = 0;

  constructor(config: Pick<LedgerConfig, 'redisUrl' | 'verification'>) {
    // Required only with REDIS_URL: it brings ioredis, which a ledger without Redis need not load.
    this.inner = config.redisUrl
      ? new (require('@nest-lab/throttler-storage-redis') as typeof import('@nest-lab/throttler-storage-redis')).ThrottlerStorageRedisService(config.redisUrl, {
          keyPrefix: config.verification.rateLimitPrefix,
          commandTimeout: 1000,
          maxRetriesPerRequest: 1,
          disconnectTimeout: REDIS_DISCONNECT_TIMEOUT_MS,
        })
      : new ThrottlerStorageService();
    // Without a listener ioredis prints each connection error (every reconnect attempt while Redis
    // is down, a broken pipe at shutdown) as an "Unhandled error event" stack on stderr.
    if ('redis' in this.inner) this.inner.redis.on('error', (error: Error) => this.warnUnavailable(error));
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, name: string): Promise<ThrottlerStorageRecord> {
    try {
      return await this.inner.increment(key, ttl, limit, blockDuration, name);
    } catch (error) {
      this.warnUnavailable(error);
      return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
    }
  }

  /** At most one warning every 10 s, however many requests or reconnects fail meanwhile. */
  private warnUnavailable(error: unknown): void {
    if (Date.now() - this.lastWarning <= 10_000) return;
    this.lastWarning = Date.now();
    this.logger.warn({ err: error }, 'rate-limit storage unavailable; not limiting');
  }

  async onApplicationShutdown(): Promise<void> {
    if ('redis' in this.inner) await this.inner.redis.quit().catch(() => undefined);
    else this.inner.onApplicationShutdown();
  }
}
