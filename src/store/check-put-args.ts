/**
 * Rejects put arguments that would silently corrupt the compare-and-set or the expiry:
 * a fractional or negative version never matches anything, and a zero, negative or
 * infinite TTL would either delete the session at once (Redis PEXPIRE) or keep it forever.
 * Returns the TTL rounded up to whole milliseconds, the unit every backend stores.
 */
export function checkPutArgs(expected: number, ttlMs: number): number {
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new RangeError(`Session store put: expected version must be an integer >= 0 (0 = new key), got ${expected}.`);
  }
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`Session store put: ttlMs must be a finite number of milliseconds > 0, got ${ttlMs}.`);
  }
  return Math.ceil(ttlMs);
}
