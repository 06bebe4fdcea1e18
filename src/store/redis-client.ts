import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';

/** A dead or unreachable Redis must fail a command within about a second, never hang it. */
const CONNECT_TIMEOUT_MS = 1_000;
const COMMAND_TIMEOUT_MS = 1_000;

/**
 * A Redis client as every Lantern store uses it: commands reject quickly when Redis is down (the
 * caller decides what to say), reconnects back off up to 2 s. ioredis is loaded here, not at the
 * top of a module: a server on SQLite (the default) never pays the ~0.3 s of loading it.
 */
export function connectRedis(url: string): Redis {
  const { Redis: Client } = createRequire(import.meta.url)('ioredis') as { Redis: typeof Redis };
  const client = new Client(url, {
    connectTimeout: CONNECT_TIMEOUT_MS,
    // Covers commands queued while (re)connecting too, so nothing waits for a Redis that never returns.
    commandTimeout: COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // Without a listener ioredis reports every failed reconnect as an unhandled error event;
  // failures reach callers as rejected commands instead.
  client.on('error', () => {});
  return client;
}

/** Closes a client: QUIT, or drop the socket when Redis is gone or slow to answer it. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
