/** Counts hits per key in fixed time windows: the memory side of the client rate limits. */

/** A fixed-window counter; on Redis it is shared by every instance. */
export interface WindowCounter {
  /** Counts one hit on `key` and returns the hits in its current window and the ms until it resets. */
  hit(key: string, windowMs: number): Promise<{ count: number; resetMs: number }>;
  close(): Promise<void>;
}

/**
 * Windows in a Map, at most `maxKeys` of them: expired ones are swept when it is full, then the
 * oldest go (a flood from many addresses forgets the oldest first, it never grows without bound).
 */
export function createMemoryWindowCounter(options: { now?: () => number; maxKeys?: number } = {}): WindowCounter {
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 100_000;
  const windows = new Map<string, { count: number; resetAt: number }>();
  return {
    async hit(key, windowMs) {
      const at = now();
      let w = windows.get(key);
      if (!w || w.resetAt <= at) {
        windows.delete(key);
        if (windows.size >= maxKeys) for (const [k, old] of windows) if (old.resetAt <= at) windows.delete(k);
        while (windows.size >= maxKeys) windows.delete(windows.keys().next().value!);
        w = { count: 0, resetAt: at + windowMs };
        windows.set(key, w);
      }
      w.count += 1;
      return { count: w.count, resetMs: w.resetAt - at };
    },
    async close() {
      windows.clear();
    },
  };
}
