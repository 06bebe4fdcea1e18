/**
 * Per-client rate limits on the doors anyone can knock on without an account: starting a web
 * chat conversation, refreshing its token, and /api/messages without MICROSOFT_APP_ID. A client
 * is an HMAC of its address (no raw IP is stored, in memory or on Redis), counted per door in
 * fixed windows that expire on their own.
 */
import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Log } from '../engine/index.js';
import type { WindowCounter } from '../store/index.js';

/** The unauthenticated doors; each has its own budget. */
export type Door = 'start' | 'refresh' | 'messages';

/** Resolves with undefined when the request may pass, else with the seconds to wait. */
export type ClientLimit = (req: IncomingMessage, door: Door) => Promise<number | undefined>;

/**
 * The address of the client: the socket's, or with `trustProxy` = n (n proxies in front, each
 * appending to X-Forwarded-For) the n-th address from the right, the one our first proxy saw.
 * Addresses a client wrote itself (further left) are never used.
 */
export function clientAddress(req: IncomingMessage, trustProxy: number): string {
  const socket = req.socket.remoteAddress ?? 'unknown';
  if (trustProxy <= 0) return socket;
  const header = req.headers['x-forwarded-for'];
  const chain = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  return chain[chain.length - trustProxy] ?? chain[0] ?? socket;
}

/** Creates the limit: `requests` per `windowMs` per client and door. */
export function createClientLimit(options: {
  counter: WindowCounter;
  secret: string;
  limit: { requests: number; windowMs: number };
  trustProxy: number;
  log: Log;
}): ClientLimit {
  const { counter, limit, log } = options;
  const key = createHmac('sha256', options.secret).update('lantern client rate limit').digest();
  return async (req, door) => {
    const client = createHmac('sha256', key).update(clientAddress(req, options.trustProxy)).digest('base64url').slice(0, 22);
    try {
      const { count, resetMs } = await counter.hit(`${door}:${client}`, limit.windowMs);
      if (count <= limit.requests) return undefined;
      if (count === limit.requests + 1) log.warn({ door }, 'a client is over the rate limit');
      return Math.max(1, Math.ceil(resetMs / 1000));
    } catch {
      // A counter that cannot be reached must not lock visitors out of help: let the request pass.
      log.warn({ door }, 'rate limit counter unreachable: request let through');
      return undefined;
    }
  };
}
