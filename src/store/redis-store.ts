import type { SessionStore } from './session-store.js';
import { checkPutArgs } from './check-put-args.js';
import { closeRedis, connectRedis } from './redis-client.js';

/**
 * Compare-and-set, value, version and expiry in one atomic step on the server, so two instances
 * serving one conversation can never both win. Returns the new version, or 0 on a conflict.
 * An absent hash counts as version 0; native expiry removes the whole hash, value and version.
 */
const CAS_SCRIPT = `
local current = tonumber(redis.call('HGET', KEYS[1], 'ver') or '0')
local expected = tonumber(ARGV[2])
if current ~= expected then return 0 end
local nextVersion = expected + 1
redis.call('HSET', KEYS[1], 'val', ARGV[1], 'ver', nextVersion)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return nextVersion
`;

interface CasCommand {
  sessionCas(key: string, value: string, expected: number, ttlMs: number): Promise<number>;
}

/**
 * The store for several instances: one hash per session under `prefix` (default
 * `lantern:session:`). Commands reject quickly when Redis is down; the caller decides what to say.
 */
export function createRedisStore(options: { url: string; prefix?: string }): SessionStore {
  const prefix = options.prefix ?? 'lantern:session:';
  const client = connectRedis(options.url);
  client.defineCommand('sessionCas', { numberOfKeys: 1, lua: CAS_SCRIPT });
  const cas = client as unknown as CasCommand;

  return {
    async get(key) {
      const [value, version] = await client.hmget(prefix + key, 'val', 'ver');
      if (value == null || version == null) return undefined;
      return { value, version: Number(version) };
    },
    async put(key, value, expected, ttlMs) {
      const ttl = checkPutArgs(expected, ttlMs);
      const version = await cas.sessionCas(prefix + key, value, expected, ttl);
      return version === 0 ? false : version;
    },
    async delete(key) {
      await client.del(prefix + key);
    },
    async ping() {
      await client.ping();
    },
    close: () => closeRedis(client),
  };
}
