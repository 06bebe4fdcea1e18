import type { SessionStore, Versioned } from './session-store.js';
import { checkPutArgs } from './check-put-args.js';

interface Entry extends Versioned {
  expiresAt: number;
}

/** How often expired sessions are dropped even when nobody reads them again. */
const SWEEP_EVERY_MS = 60_000;

/**
 * A single-process store for tests and one-instance demos; sessions vanish on restart.
 * `now` lets tests move time instead of sleeping.
 */
export function createMemoryStore(options: { now?: () => number } = {}): SessionStore {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  let closed = false;

  // Expired sessions must not linger in memory just because their owner never came back.
  const sweep = (): void => {
    const t = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= t) entries.delete(key);
  };
  const timer = setInterval(sweep, SWEEP_EVERY_MS);
  timer.unref();

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > now()) return entry;
    entries.delete(key);
    return undefined;
  };

  // A closed store rejects like the real backends do, so tests catch use-after-close here too.
  const open = (): void => {
    if (closed) throw new Error('Session store is closed.');
  };

  // Each method runs to completion without awaiting, so get-compare-write is atomic in one process.
  return {
    async get(key) {
      open();
      const entry = live(key);
      return entry === undefined ? undefined : { value: entry.value, version: entry.version };
    },
    async put(key, value, expected, ttlMs) {
      open();
      const ttl = checkPutArgs(expected, ttlMs);
      const current = live(key)?.version ?? 0;
      if (current !== expected) return false;
      const version = expected + 1;
      entries.set(key, { value, version, expiresAt: now() + ttl });
      return version;
    },
    async delete(key) {
      open();
      entries.delete(key);
    },
    async ping() {
      open();
    },
    async close() {
      closed = true;
      clearInterval(timer);
      entries.clear();
    },
  };
}
