/**
 * Tests that need an outside service (Redis, Chromium) must run under CI=true and may skip
 * elsewhere with a printed reason. `requireService` encodes that rule once.
 */
export const underCi = process.env.CI === 'true' || process.env.CI === '1';

/** Returns true when the suite may run; outside CI prints why it skips, under CI throws. */
export function requireService(name: string, available: boolean, how: string): boolean {
  if (available) return true;
  const reason = `${name} is not available (${how})`;
  if (underCi) throw new Error(`${reason}: under CI this test must run, not skip. .ci/run should have started it.`);
  console.warn(`[skip] ${reason}; these tests are skipped outside CI.`);
  return false;
}

/** True when a Redis server answers PING at `url` within a second (never throws). */
export async function redisReachable(url: string): Promise<boolean> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
