/** Deletes every key under `prefix:` (never FLUSHDB: the Redis is shared). Tests use it to clean up. */
export async function deleteRedisPrefix(redisUrl: string, prefix: string): Promise<number> {
  // Loaded here, not with the library: see bullmq-scheduler.ts.
  const Redis = (require('ioredis') as typeof import('ioredis')).default;
  const redis = new Redis(redisUrl);
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}
