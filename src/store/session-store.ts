/** The storage contract every session store (memory, SQLite, Redis) implements. */

/** A stored value with the version it was written at. */
export interface Versioned {
  value: string;
  /** Starts at 1 on the first write and grows by one on each successful put. */
  version: number;
}

/**
 * A small key-value store with compare-and-set and expiry. Keys are already hashed
 * (HMAC of channel and user id); values are serialized sessions, never message text.
 */
export interface SessionStore {
  /** The live value and its version, or undefined when absent or expired. */
  get(key: string): Promise<Versioned | undefined>;
  /**
   * Writes `value` only if the stored version is still `expected` (`0` = the key must not exist).
   * Returns the new version, or `false` on a conflict (someone else wrote first).
   */
  put(key: string, value: string, expected: number, ttlMs: number): Promise<number | false>;
  /** Removes the key at once. Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Throws when the store cannot be reached (used by /readyz). */
  ping(): Promise<void>;
  /** Releases connections and files. */
  close(): Promise<void>;
}
