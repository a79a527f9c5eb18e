import { ThrottlerStorageService } from '@nestjs/throttler';
import type { LedgerConfig } from '@ledger/config';
import { FailedAuthLimiter } from './failed-auth.limiter';

/** The limiter against the throttler's real in-memory storage, limit 1: the second failure blocks. */
describe('FailedAuthLimiter', () => {
  let storage: ThrottlerStorageService;
  let limiter: FailedAuthLimiter;
  beforeEach(() => {
    storage = new ThrottlerStorageService();
    const config = { verification: { failedAuthLimit: { limit: 1, windowMs: 60_000 } } } as unknown as LedgerConfig;
    limiter = new FailedAuthLimiter(config, storage);
  });
  afterEach(() => storage.onApplicationShutdown());

  const block = async (address: string) => {
    await limiter.recordFailure(address);
    return limiter.recordFailure(address);
  };

  it('counts IPv6 clients per /64: a fresh address in the same network brings no fresh bucket', async () => {
    expect(await limiter.recordFailure('2001:db8:1:2::1')).toBe(0);
    expect(await limiter.recordFailure('2001:db8:1:2::2')).toBeGreaterThan(0);
    expect(limiter.retryAfter('2001:db8:1:2:dead:beef:0:1')).toBeGreaterThan(0);
    expect(limiter.retryAfter('2001:db8:1:3::1')).toBe(0);
  });

  it('keeps IPv4 clients apart', async () => {
    expect(await block('192.0.2.1')).toBeGreaterThan(0);
    expect(limiter.retryAfter('192.0.2.2')).toBe(0);
  });

  it(`remembers at most ${FailedAuthLimiter.MAX_BLOCKED} blocked clients, dropping the oldest first`, async () => {
    const over = FailedAuthLimiter.MAX_BLOCKED + 5;
    for (let i = 0; i < over; i++) await block(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    expect(limiter.blockedCount).toBe(FailedAuthLimiter.MAX_BLOCKED);
    expect(limiter.retryAfter('10.0.0.0')).toBe(0); // the oldest, forgotten here
    expect(limiter.retryAfter(`10.0.${((over - 1) >> 8) & 255}.${(over - 1) & 255}`)).toBeGreaterThan(0);
    // Forgotten is not forgiven: the storage still holds the block, so its next failure is refused again.
    expect(await limiter.recordFailure('10.0.0.0')).toBeGreaterThan(0);
    expect(limiter.retryAfter('10.0.0.0')).toBeGreaterThan(0);
  });

  it('drops blocks that have ended when it remembers a new one', async () => {
    expect(await block('192.0.2.9')).toBeGreaterThan(0);
    const later = Date.now() + 61_000;
    jest.spyOn(Date, 'now').mockReturnValue(later);
    try {
      expect(await block('192.0.2.10')).toBeGreaterThan(0);
    } finally {
      jest.restoreAllMocks();
    }
    expect(limiter.blockedCount).toBe(1);
    expect(limiter.retryAfter('192.0.2.10', later)).toBeGreaterThan(0);
  });
});
