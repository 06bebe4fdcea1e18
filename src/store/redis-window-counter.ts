import { closeRedis, connectRedis } from './redis-client.js';
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
  const client = connectRedis(options.url);
  client.defineCommand('windowHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
  const command = client as unknown as HitCommand;
  return {
    async hit(key, windowMs) {
      const [count, resetMs] = await command.windowHit(prefix + key, windowMs);
      return { count, resetMs };
    },
    close: () => closeRedis(client),
  };
}
