import { createRequire } from 'node:module';
import type { Redis as RedisClient } from 'ioredis';
import type { WindowCounter } from './window-counter.js';

/** Count and expiry in one step: the first hit of a window sets its expiry, so keys never outlive it. */
const HIT_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { n, ttl }
`;

interface HitCommand {
  windowHit(key: string, windowMs: number): Promise<[number, number]>;
}

/** The window counter on Redis, under `prefix` (default `lantern:rate:`), shared by every instance. */
export function createRedisWindowCounter(options: { url: string; prefix?: string }): WindowCounter {
  const prefix = options.prefix ?? 'lantern:rate:';
  const { Redis } = createRequire(import.meta.url)('ioredis') as { Redis: typeof RedisClient };
  const client = new Redis(options.url, {
    connectTimeout: 1_000,
    commandTimeout: 1_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  client.on('error', () => {});
  client.defineCommand('windowHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
  const command = client as unknown as HitCommand;
  return {
    async hit(key, windowMs) {
      const [count, resetMs] = await command.windowHit(prefix + key, windowMs);
      return { count, resetMs };
    },
    async close() {
      if (client.status === 'end') return;
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
}
