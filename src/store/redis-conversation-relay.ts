import type { Redis } from 'ioredis';
import { closeRedis, connectRedis } from './redis-client.js';

/**
 * The web chat's transport state on Redis, shared by every instance. Everything here is opaque to
 * Redis: conversations are named by a keyed hash, and metadata and activities arrive already
 * encrypted (the web chat holds the keys). Per conversation `h`:
 *
 * - `<prefix>{h}` hash: `m` (encrypted locale and country), `st` (started), `next` (the watermark:
 *   activities ever appended), `bytes`, `tk` / `sv` / `hd` (turn queue: last ticket taken, last
 *   ticket served, when the head of the queue took its turn); expires after `idleMs` unused.
 * - `<prefix>{h}:a` list: the last buffered activities as `<ms>:<ciphertext>`, so the first is
 *   number `next - LLEN`; dropped when acknowledged, when older than `bufferTtlMs` (the list
 *   itself expires then too), or beyond the window or byte cap. The watermark never goes back.
 * - `<prefix>{h}:x` pub/sub channel: every append (`<first index> <ciphertext>...`) and `end`.
 * - `<prefix>{h}:ended` tombstone, for as long as the conversation's tokens may live.
 */
export interface ConversationRelay {
  create(h: string, meta: string, idleMs: number): Promise<void>;
  /** The conversation's metadata and watermark, refreshing its idle expiry; undefined once ended or expired. */
  open(h: string, idleMs: number): Promise<{ meta: string; started: boolean; watermark: number } | undefined>;
  /** Replaces the metadata; false when the conversation is gone. */
  setMeta(h: string, meta: string): Promise<boolean>;
  /** True for the one caller that starts the conversation, on whichever instance. */
  markStarted(h: string): Promise<boolean>;
  /**
   * Appends entries (gap-free indices), publishes them, and optionally takes a turn ticket and/or
   * finishes one, all in one atomic step. `ended` when the conversation is gone, `busy` when
   * `maxWaiting` turns already wait (then nothing was appended).
   */
  append(
    h: string,
    entries: readonly string[],
    options: { takeTurn?: boolean; finishTurn?: number; maxWaiting: number; bufferTtlMs: number; window: number; maxBytes: number },
  ): Promise<{ first: number; ticket: number; ready: boolean } | 'ended' | 'busy'>;
  /** Drops what the client acknowledged (below `watermark`) or what is too old, returns the rest from `watermark` on. */
  read(h: string, watermark: number, bufferTtlMs: number): Promise<{ first: number; watermark: number; entries: string[] } | undefined>;
  /** True when `ticket` may run its turn now (a head that held its turn longer than `leaseMs` is skipped). */
  tryTurn(h: string, ticket: number, leaseMs: number): Promise<boolean | 'ended'>;
  /**
   * Writes a conversation again that Redis lost (a restart without persistence), started and
   * with its watermark at `next`: `restored`, `exists` (another instance was first), or `ended`
   * when it was ended on purpose (a tombstone outlives it by `idleMs`).
   */
  restore(h: string, meta: string, idleMs: number, next: number): Promise<'restored' | 'exists' | 'ended'>;
  /** Deletes the conversation, leaves a tombstone for `idleMs`, and tells every instance (their sockets close). */
  end(h: string, idleMs: number): Promise<void>;
  /** True the first time `id` is claimed within `ttlMs` (one-time stream tickets). */
  claimOnce(id: string, ttlMs: number): Promise<boolean>;
  /** Subscribes this instance to a conversation's channel (one connection for all of them). */
  subscribe(h: string): Promise<void>;
  unsubscribe(h: string): Promise<void>;
  /** Called for every message on a subscribed conversation (`end`, or `<first> <entry>...`). */
  onMessage(listener: (h: string, message: string) => void): void;
  /** Called on every instance with the name of each conversation ended on any instance. */
  onEnded(listener: (h: string) => void): void;
  /** Called when the subscription connection is back after an outage (messages may have been missed). */
  onResubscribed(listener: () => void): void;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** `now` in ms from Redis itself, so that every instance ages entries by one clock. */
const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** Drops entries older than `ttl` from the head of the list; keeps the local `bytes` right. */
const DROP_OLD = `
local function dropOld(ttl)
  while true do
    local e = redis.call('LINDEX', KEYS[2], 0)
    if not e then bytes = 0 return end
    local at = tonumber(string.match(e, '^(%d+):'))
    if at and now - at <= ttl then return end
    redis.call('LPOP', KEYS[2])
    bytes = bytes - #e
  end
end`;

const APPEND = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
${NOW}
local takeTurn = ARGV[1] == '1'
local finish = tonumber(ARGV[2])
local maxWaiting = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local window = tonumber(ARGV[5])
local maxBytes = tonumber(ARGV[6])
local tk = tonumber(redis.call('HGET', KEYS[1], 'tk') or '0')
local sv = tonumber(redis.call('HGET', KEYS[1], 'sv') or '0')
if takeTurn and tk - sv >= maxWaiting then return {-2} end
local nextIndex = tonumber(redis.call('HGET', KEYS[1], 'next') or '0')
local bytes = tonumber(redis.call('HGET', KEYS[1], 'bytes') or '0')
${DROP_OLD}
dropOld(ttl)
local len = redis.call('LLEN', KEYS[2])
local first = nextIndex
local parts = { tostring(first) }
for i = 7, #ARGV do
  local e = now .. ':' .. ARGV[i]
  redis.call('RPUSH', KEYS[2], e)
  bytes = bytes + #e
  len = len + 1
  nextIndex = nextIndex + 1
  parts[#parts + 1] = ARGV[i]
end
while len > 1 and (len > window or bytes > maxBytes) do
  local e = redis.call('LPOP', KEYS[2])
  bytes = bytes - #e
  len = len - 1
end
if finish > sv then sv = finish redis.call('HSET', KEYS[1], 'sv', sv, 'hd', now) end
local ticket = 0
if takeTurn then
  ticket = tk + 1
  redis.call('HSET', KEYS[1], 'tk', ticket)
  if ticket == sv + 1 then redis.call('HSET', KEYS[1], 'hd', now) end
end
redis.call('HSET', KEYS[1], 'next', nextIndex, 'bytes', bytes)
if len > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
if #parts > 1 then redis.call('PUBLISH', KEYS[3], table.concat(parts, ' ')) end
local ready = 0
if ticket > 0 and ticket <= sv + 1 then ready = 1 end
return {first, ticket, ready}
`;

const READ = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
${NOW}
local watermark = tonumber(ARGV[1])
local nextIndex = tonumber(redis.call('HGET', KEYS[1], 'next') or '0')
local bytes = tonumber(redis.call('HGET', KEYS[1], 'bytes') or '0')
local len = redis.call('LLEN', KEYS[2])
local acknowledged = math.min(watermark - (nextIndex - len), len)
for i = 1, acknowledged do
  local e = redis.call('LPOP', KEYS[2])
  bytes = bytes - #e
end
${DROP_OLD}
dropOld(tonumber(ARGV[2]))
redis.call('HSET', KEYS[1], 'bytes', bytes)
local base = nextIndex - redis.call('LLEN', KEYS[2])
local from = math.max(0, watermark - base)
local out = { base + from, nextIndex }
for _, e in ipairs(redis.call('LRANGE', KEYS[2], from, -1)) do
  out[#out + 1] = string.sub(e, (string.find(e, ':', 1, true) or 0) + 1)
end
return out
`;

const OPEN = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
local f = redis.call('HMGET', KEYS[1], 'm', 'st', 'next')
return { f[1] or '', f[2] or '0', tonumber(f[3] or '0') }
`;

const SET_META = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'm', ARGV[1])
return 1
`;

const MARK_STARTED = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
return redis.call('HSETNX', KEYS[1], 'st', '1')
`;

/** Skips a head that held its turn longer than the lease (an instance that died mid-turn). */
const TRY_TURN = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
${NOW}
local ticket = tonumber(ARGV[1])
local lease = tonumber(ARGV[2])
local sv = tonumber(redis.call('HGET', KEYS[1], 'sv') or '0')
local hd = tonumber(redis.call('HGET', KEYS[1], 'hd') or tostring(now))
if ticket > sv + 1 and now - hd > lease then
  sv = sv + 1
  redis.call('HSET', KEYS[1], 'sv', sv, 'hd', now)
end
if ticket <= sv + 1 then return 1 end
return 0
`;

const RESTORE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
redis.call('HSET', KEYS[1], 'm', ARGV[1], 'st', '1', 'next', ARGV[3], 'bytes', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

interface RelayCommands {
  relayRestore(p: string, tombstone: string, meta: string, idleMs: number, next: number): Promise<number>;
  relayAppend(p: string, a: string, x: string, ...args: (string | number)[]): Promise<number[]>;
  relayRead(p: string, a: string, watermark: number, ttl: number): Promise<(number | string)[]>;
  relayOpen(p: string, a: string, idleMs: number): Promise<[string, string, number] | []>;
  relaySetMeta(p: string, meta: string): Promise<number>;
  relayMarkStarted(p: string): Promise<number>;
  relayTryTurn(p: string, ticket: number, leaseMs: number): Promise<number>;
}

/** The relay on Redis under `prefix` (default `lantern:webchat:`): one command connection and one subscriber connection. */
export function createRedisConversationRelay(options: { url: string; prefix?: string }): ConversationRelay {
  const prefix = options.prefix ?? 'lantern:webchat:';
  const client = connectRedis(options.url);
  const commands: [string, number, string][] = [
    ['relayAppend', 3, APPEND],
    ['relayRead', 2, READ],
    ['relayOpen', 2, OPEN],
    ['relaySetMeta', 1, SET_META],
    ['relayMarkStarted', 1, MARK_STARTED],
    ['relayTryTurn', 1, TRY_TURN],
    ['relayRestore', 2, RESTORE],
  ];
  for (const [name, numberOfKeys, lua] of commands) client.defineCommand(name, { numberOfKeys, lua });
  const redis = client as unknown as RelayCommands & Redis;
  // Once connected, a lost connection fails commands at once instead of after the command
  // timeout: the web chat then answers from memory within the same request (see shared-conversations).
  let connected = false;
  client.on('ready', () => (connected = true));
  const reachable = (): void => {
    if (connected && client.status !== 'ready') throw new Error('Redis is unreachable');
  };
  let subscriber: Redis | undefined;
  const listeners: ((h: string, message: string) => void)[] = [];
  const resubscribed: (() => void)[] = [];
  const ended: ((h: string) => void)[] = [];
  const endedChannel = `${prefix}ended`;
  // The braces are a hash tag: a conversation's keys stay on one node of a Redis cluster.
  const keys = (h: string) => [`${prefix}{${h}}`, `${prefix}{${h}}:a`, `${prefix}{${h}}:x`, `${prefix}{${h}}:ended`] as const;
  const channelPrefix = `${prefix}{`;

  function subscriberClient(): Redis {
    if (subscriber) return subscriber;
    const connection = connectRedis(options.url);
    let outage = false;
    connection.on('message', (channel: string, message: string) => {
      if (channel === endedChannel) {
        for (const listener of ended) listener(message);
        return;
      }
      if (!channel.startsWith(channelPrefix) || !channel.endsWith('}:x')) return;
      const h = channel.slice(channelPrefix.length, -3);
      for (const listener of listeners) listener(h, message);
    });
    connection.on('close', () => (outage = true));
    connection.on('ready', () => {
      if (!outage) return;
      outage = false;
      for (const listener of resubscribed) listener();
    });
    subscriber = connection;
    return connection;
  }

  return {
    async create(h, meta, idleMs) {
      reachable();
      const [p] = keys(h);
      await redis.multi().hset(p, 'm', meta, 'next', 0, 'bytes', 0).pexpire(p, idleMs).exec();
    },
    async open(h, idleMs) {
      reachable();
      const [p, a] = keys(h);
      const found = await redis.relayOpen(p, a, idleMs);
      if (found.length === 0) return undefined;
      return { meta: found[0], started: found[1] === '1', watermark: Number(found[2]) };
    },
    async setMeta(h, meta) {
      reachable();
      return (await redis.relaySetMeta(keys(h)[0], meta)) === 1;
    },
    async markStarted(h) {
      reachable();
      return (await redis.relayMarkStarted(keys(h)[0])) === 1;
    },
    async append(h, entries, o) {
      reachable();
      const [p, a, x] = keys(h);
      const [first, ticket, ready] = await redis.relayAppend(
        p,
        a,
        x,
        o.takeTurn ? '1' : '0',
        o.finishTurn ?? 0,
        o.maxWaiting,
        o.bufferTtlMs,
        o.window,
        o.maxBytes,
        ...entries,
      );
      if (first === -1) return 'ended';
      if (first === -2) return 'busy';
      return { first: first!, ticket: ticket!, ready: ready === 1 };
    },
    async read(h, watermark, bufferTtlMs) {
      reachable();
      const [p, a] = keys(h);
      const [first, mark, ...entries] = await redis.relayRead(p, a, watermark, bufferTtlMs);
      if (first === -1) return undefined;
      return { first: Number(first), watermark: Number(mark), entries: entries.map(String) };
    },
    async tryTurn(h, ticket, leaseMs) {
      reachable();
      const answer = await redis.relayTryTurn(keys(h)[0], ticket, leaseMs);
      return answer === -1 ? 'ended' : answer === 1;
    },
    async restore(h, meta, idleMs, next) {
      reachable();
      const [p, , , tombstone] = keys(h);
      const answer = await redis.relayRestore(p, tombstone, meta, idleMs, next);
      return answer === 1 ? 'restored' : answer === 0 ? 'exists' : 'ended';
    },
    async end(h, idleMs) {
      reachable();
      const [p, a, x, tombstone] = keys(h);
      await redis.multi().del(p, a).set(tombstone, '1', 'PX', idleMs).publish(x, 'end').publish(endedChannel, h).exec();
    },
    async claimOnce(id, ttlMs) {
      reachable();
      return (await redis.set(`${prefix}ticket:${id}`, '1', 'PX', ttlMs, 'NX')) === 'OK';
    },
    async subscribe(h) {
      await subscriberClient().subscribe(keys(h)[2]);
    },
    async unsubscribe(h) {
      if (subscriber) await subscriber.unsubscribe(keys(h)[2]);
    },
    onMessage(listener) {
      listeners.push(listener);
    },
    onEnded(listener) {
      ended.push(listener);
      // Subscribed in the background; a failure shows as an outage like any other.
      if (ended.length === 1)
        subscriberClient()
          .subscribe(endedChannel)
          .catch(() => undefined);
    },
    onResubscribed(listener) {
      resubscribed.push(listener);
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      await Promise.all([closeRedis(client), subscriber ? closeRedis(subscriber) : undefined]);
    },
  };
}
