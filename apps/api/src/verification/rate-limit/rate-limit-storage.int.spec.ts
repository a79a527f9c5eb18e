import { Logger } from '@nestjs/common';
import { RateLimitStorage } from './rate-limit-storage';

// Port 2: nothing listens there, and no ephemeral port can be it (test/support/refused-port.ts).
const UNREACHABLE_REDIS = 'redis://127.0.0.1:2';

describe('RateLimitStorage with Redis unreachable', () => {
  it("turns the Redis client's connection errors into one warning every 10 s, and lets requests through", async () => {
    const warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const storage = new RateLimitStorage({ redisUrl: UNREACHABLE_REDIS, verification: { rateLimitPrefix: 'test-rate-limit-storage' } as never });
    try {
      // Several connection attempts fail meanwhile (ioredis retries after 50, 100, 150 ms…), before any request.
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(warned).toHaveBeenCalledTimes(1);
      expect(warned.mock.calls[0][1]).toBe('rate-limit storage unavailable; not limiting');

      expect(await storage.increment('k', 1000, 1, 1000, 'default')).toMatchObject({ totalHits: 0, isBlocked: false });
      expect(warned).toHaveBeenCalledTimes(1);
    } finally {
      await storage.onApplicationShutdown();
      warned.mockRestore();
    }
  });
});
