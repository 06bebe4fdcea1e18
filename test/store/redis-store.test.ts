import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createRedisStore } from '../../src/store/redis-store.js';
import { createSessionStore } from '../../src/store/index.js';
import { requireService } from '../helpers/requires.js';
import { describeSessionStore } from './session-store.contract.js';

const DAY = 86_400_000;
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// One prefix per run, so parallel runs and other engineers' keys never meet ours.
const prefix = `lantern-test:${randomUUID()}:`;

async function isReachable(): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const reachable = requireService('Redis', await isReachable(), 'no server answers at REDIS_URL or 127.0.0.1:6379');

describe.runIf(reachable)('redis store against a live server', () => {
  const raw = new Redis(url, { lazyConnect: true });
  afterAll(async () => {
    let cursor = '0';
    for (let round = 0; round < 10_000; round++) {
      const [next, keys] = await raw.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await raw.del(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
    expect(await raw.keys(`${prefix}*`)).toEqual([]);
    await raw.quit();
  });

  describeSessionStore('redis', () => createRedisStore({ url, prefix }), { realTime: true });

  it('stores value and version in one hash under the prefix, expiring natively', async () => {
    const store = createRedisStore({ url, prefix });
    try {
      await store.put('k1', '{"state":"menu"}', 0, 60_000);
      expect(await raw.hgetall(`${prefix}k1`)).toEqual({ val: '{"state":"menu"}', ver: '1' });
      const firstTtl = await raw.pttl(`${prefix}k1`);
      expect(firstTtl).toBeGreaterThan(0);
      expect(firstTtl).toBeLessThanOrEqual(60_000);

      // A successful put resets the expiry to its own TTL; a refused one leaves it alone.
      await store.put('k1', 'v2', 1, DAY);
      const refreshedTtl = await raw.pttl(`${prefix}k1`);
      expect(refreshedTtl).toBeGreaterThan(60_000);
      expect(await store.put('k1', 'refused', 1, 5_000)).toBe(false);
      expect(await raw.pttl(`${prefix}k1`)).toBeGreaterThan(60_000);
    } finally {
      await store.close();
    }
  });

  it('keeps two prefixes apart on one server', async () => {
    const a = createRedisStore({ url, prefix: `${prefix}a:` });
    const b = createSessionStore({ kind: 'redis', url, prefix: `${prefix}b:` });
    try {
      await a.put('same', 'for a', 0, DAY);
      expect(await b.get('same')).toBeUndefined();
      expect(await b.put('same', 'for b', 0, DAY)).toBe(1);
      expect(await a.get('same')).toEqual({ value: 'for a', version: 1 });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('lets two clients race on one key without losing an update', async () => {
    const stores = [createRedisStore({ url, prefix }), createRedisStore({ url, prefix })];
    const k = `race:${randomUUID()}`;
    try {
      const writer = async (i: number): Promise<void> => {
        const store = stores[i % 2]!;
        for (let attempt = 0; attempt < 500; attempt++) {
          const current = await store.get(k);
          const next = String(Number(current?.value ?? '0') + 1);
          if ((await store.put(k, next, current?.version ?? 0, DAY)) !== false) return;
        }
        throw new Error('writer gave up');
      };
      await Promise.all(Array.from({ length: 20 }, (_, i) => writer(i)));
      expect(await stores[0]!.get(k)).toEqual({ value: '20', version: 20 });
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});

describe('redis store when Redis is down', () => {
  // Port 1 refuses connections: the store must fail fast and never crash the process.
  const deadUrl = 'redis://127.0.0.1:1';

  it('rejects get, put, delete and ping within 2 s and emits no unhandled error', async () => {
    const crashes: unknown[] = [];
    const onCrash = (error: unknown) => crashes.push(error);
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    // ioredis prints an "Unhandled error event" here when nobody listens for 'error'.
    const consoleError = vi.spyOn(console, 'error');
    const store = createRedisStore({ url: deadUrl, prefix });
    try {
      const attempt = async (call: () => Promise<unknown>): Promise<number> => {
        const started = performance.now();
        await expect(call()).rejects.toThrow();
        return performance.now() - started;
      };
      const elapsed = [
        await attempt(() => store.get('k')),
        await attempt(() => store.put('k', 'v', 0, DAY)),
        await attempt(() => store.delete('k')),
        await attempt(() => store.ping()),
      ];
      for (const ms of elapsed) expect(ms).toBeLessThan(2_000);
      // Give reconnect attempts time to fire error events; none may escape as a crash.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(crashes).toEqual([]);
      expect(consoleError).not.toHaveBeenCalled();
    } finally {
      consoleError.mockRestore();
      await store.close();
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
    }
  });

  it('closes promptly even though it never connected', async () => {
    const store = createRedisStore({ url: deadUrl });
    await expect(store.ping()).rejects.toThrow();
    await expect(store.close()).resolves.toBeUndefined();
    await expect(store.get('k')).rejects.toThrow();
  });
});
