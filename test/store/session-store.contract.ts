import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionStore } from '../../src/store/index.js';

/** Builds a fresh store; stores that accept a clock must use `now` so the suite can move time. */
type StoreFactory = (now: () => number) => SessionStore | Promise<SessionStore>;

const DAY = 86_400_000;
const WRITERS = 50;
const MAX_ATTEMPTS = 500;
const REAL_TTL_MS = 300;
const REAL_EXPIRY_DEADLINE_MS = 3_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The cases every session store must pass: memory, SQLite and Redis run this same suite. */
export function describeSessionStore(name: string, factory: StoreFactory, options: { realTime?: boolean } = {}): void {
  describe(`session store contract: ${name}`, () => {
    let time = 0;
    let store: SessionStore;
    const advance = options.realTime ? undefined : (ms: number) => void (time += ms);
    // Fresh keys per test, so a shared server (Redis) never carries state between cases.
    const key = (label = 'k') => `${label}:${randomUUID()}`;

    beforeEach(async () => {
      time = Date.UTC(2030, 0, 1);
      store = await factory(() => time);
    });
    afterEach(async () => {
      await store.close();
    });

    it('returns undefined for a key never written', async () => {
      expect(await store.get(key())).toBeUndefined();
    });

    it('creates a key with expected 0 at version 1', async () => {
      const k = key();
      expect(await store.put(k, '{"state":"menu"}', 0, DAY)).toBe(1);
      expect(await store.get(k)).toEqual({ value: '{"state":"menu"}', version: 1 });
    });

    it('refuses expected 0 when the key exists and keeps the first value', async () => {
      const k = key();
      await store.put(k, 'first', 0, DAY);
      expect(await store.put(k, 'second', 0, DAY)).toBe(false);
      expect(await store.get(k)).toEqual({ value: 'first', version: 1 });
    });

    it('refuses a wrong version and leaves the stored value untouched', async () => {
      const k = key();
      await store.put(k, 'v1', 0, DAY);
      await store.put(k, 'v2', 1, DAY);
      expect(await store.put(k, 'stale', 1, DAY)).toBe(false);
      expect(await store.put(k, 'future', 3, DAY)).toBe(false);
      expect(await store.get(k)).toEqual({ value: 'v2', version: 2 });
    });

    it('refuses a non-zero version for a missing key and does not create it', async () => {
      const k = key();
      expect(await store.put(k, 'ghost', 1, DAY)).toBe(false);
      expect(await store.get(k)).toBeUndefined();
    });

    it('increases the version by exactly one on each successful put', async () => {
      const k = key();
      const versions: Array<number | false> = [];
      for (let expected = 0; expected < 5; expected++) versions.push(await store.put(k, `v${expected}`, expected, DAY));
      expect(versions).toEqual([1, 2, 3, 4, 5]);
      expect(await store.get(k)).toEqual({ value: 'v4', version: 5 });
    });

    it('deletes a key at once, and a deleted key starts again at version 1', async () => {
      const k = key();
      await store.put(k, 'v1', 0, DAY);
      await store.put(k, 'v2', 1, DAY);
      await store.delete(k);
      expect(await store.get(k)).toBeUndefined();
      expect(await store.put(k, 'stale', 2, DAY)).toBe(false);
      expect(await store.put(k, 'fresh', 0, DAY)).toBe(1);
      expect(await store.get(k)).toEqual({ value: 'fresh', version: 1 });
    });

    it('treats deleting a missing key as success', async () => {
      await expect(store.delete(key())).resolves.toBeUndefined();
    });

    it('keeps keys isolated from each other, even when one name prefixes the other', async () => {
      const a = key('a');
      const b = `${a}:b`;
      await store.put(a, 'for a', 0, DAY);
      await store.put(b, 'for b', 0, DAY);
      await store.put(b, 'for b again', 1, DAY);
      expect(await store.get(a)).toEqual({ value: 'for a', version: 1 });
      expect(await store.get(b)).toEqual({ value: 'for b again', version: 2 });
      await store.delete(a);
      expect(await store.get(a)).toBeUndefined();
      expect(await store.get(b)).toEqual({ value: 'for b again', version: 2 });
    });

    it('returns unicode and large values byte for byte', async () => {
      const k = key();
      const value = JSON.stringify({
        uk: 'Привіт, чи безпечна ця робота?',
        ar: 'مرحبا، هل هذا العرض آمن؟',
        km: 'សួស្តី',
        hi: 'नमस्ते',
        zh: '你好',
        emoji: '🆘👩🏽‍🌾🇺🇦🇲🇩',
        combining: 'e\u0301 a\u0308',
        control: '\u0000\u200f\t\n',
        big: 'ж'.repeat(50_000),
      });
      await store.put(k, value, 0, DAY);
      const got = await store.get(k);
      expect(got?.value).toBe(value);
      expect(got?.value.length).toBe(value.length);
    });

    it('rejects an invalid version or TTL without writing', async () => {
      const k = key();
      await expect(store.put(k, 'x', -1, DAY)).rejects.toThrow(RangeError);
      await expect(store.put(k, 'x', 0.5, DAY)).rejects.toThrow(RangeError);
      await expect(store.put(k, 'x', 0, 0)).rejects.toThrow(RangeError);
      await expect(store.put(k, 'x', 0, -5)).rejects.toThrow(RangeError);
      await expect(store.put(k, 'x', 0, Number.POSITIVE_INFINITY)).rejects.toThrow(RangeError);
      await expect(store.put(k, 'x', 0, Number.NaN)).rejects.toThrow(RangeError);
      expect(await store.get(k)).toBeUndefined();
    });

    it('expires a session after its TTL: gone for get, for put with its old version, and free for a new one', async () => {
      const k = key();
      if (advance) {
        await store.put(k, 'v1', 0, 1_000);
        advance(999);
        expect(await store.get(k)).toEqual({ value: 'v1', version: 1 });
        advance(1);
        expect(await store.get(k)).toBeUndefined();
      } else {
        await store.put(k, 'v1', 0, REAL_TTL_MS);
        const deadline = Date.now() + REAL_EXPIRY_DEADLINE_MS;
        while ((await store.get(k)) !== undefined && Date.now() < deadline) await sleep(50);
        expect(await store.get(k)).toBeUndefined();
      }
      expect(await store.put(k, 'stale', 1, DAY)).toBe(false);
      expect(await store.put(k, 'fresh', 0, DAY)).toBe(1);
      expect(await store.get(k)).toEqual({ value: 'fresh', version: 1 });
    });

    // Real-time stores check the expiry refresh in their own file, without sleeping.
    if (advance) {
      it('restarts the TTL on every successful put and not on a refused one', async () => {
        const k = key();
        await store.put(k, 'v1', 0, 1_000);
        advance(600);
        expect(await store.put(k, 'v2', 1, 1_000)).toBe(2);
        expect(await store.put(k, 'refused', 1, 60_000)).toBe(false);
        advance(600);
        expect(await store.get(k)).toEqual({ value: 'v2', version: 2 });
        advance(400);
        expect(await store.get(k)).toBeUndefined();
      });
    }

    it(`loses no update when ${WRITERS} writers increment one counter at once`, async () => {
      const k = key('counter');
      let conflicts = 0;
      const writer = async (): Promise<void> => {
        for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
          const current = await store.get(k);
          const next = String(Number(current?.value ?? '0') + 1);
          if ((await store.put(k, next, current?.version ?? 0, DAY)) !== false) return;
          conflicts++;
        }
        throw new Error(`writer gave up after ${MAX_ATTEMPTS} conflicts`);
      };
      await Promise.all(Array.from({ length: WRITERS }, writer));
      expect(await store.get(k)).toEqual({ value: String(WRITERS), version: WRITERS });
      // The writers really raced: otherwise this case would not test compare-and-set at all.
      expect(conflicts).toBeGreaterThan(0);
    });

    it('answers ping while open, rejects use after close, and closes twice without error', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
      await store.close();
      await expect(store.get(key())).rejects.toThrow();
      await expect(store.close()).resolves.toBeUndefined();
    });
  });
}
