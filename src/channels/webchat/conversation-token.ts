import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a valid token says: which conversation it opens, with which buffer key, and until when (epoch ms). */
export interface TokenClaims {
  conversationId: string;
  /** The conversation's buffer key ('' when the buffers never leave this process). */
  key: string;
  expiresAt: number;
}

/** Issues and checks conversation tokens. */
interface TokenSigner {
  issue(conversationId: string, key: string): string;
  /** The claims of a token we signed that has not expired, else undefined. */
  verify(token: string): TokenClaims | undefined;
  readonly ttlSeconds: number;
}

const VERSION = 'lt1';

/**
 * Tokens are `lt1.<payload>.<hmac>`: HMAC-SHA256 over the version and payload with a server
 * secret, so a token names exactly one conversation and cannot be widened or extended by the
 * client. Several instances that share the secret accept each other's tokens. On a shared store the
 * payload also carries the conversation's buffer key: signed, so the client cannot swap it, and
 * held only by the visitor, so the store alone cannot read the buffers.
 */
export function createTokenSigner(secret: string, ttlSeconds: number, now: () => number): TokenSigner {
  if (secret.length < 16) throw new Error('The web chat token secret must be at least 16 characters; set HASH_SECRET to a long random value.');
  const sign = (payload: string) => createHmac('sha256', secret).update(`${VERSION}.${payload}`).digest();
  return {
    ttlSeconds,
    issue(conversationId, key) {
      const claims = { c: conversationId, e: now() + ttlSeconds * 1000, ...(key ? { k: key } : {}) };
      const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
      return `${VERSION}.${payload}.${sign(payload).toString('base64url')}`;
    },
    verify(token) {
      const [version, payload, mac, extra] = token.split('.');
      if (version !== VERSION || !payload || !mac || extra !== undefined) return undefined;
      const given = Buffer.from(mac, 'base64url');
      const expected = sign(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      let claims: unknown;
      try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        return undefined;
      }
      const { c, e, k } = (claims ?? {}) as { c?: unknown; e?: unknown; k?: unknown };
      if (typeof c !== 'string' || typeof e !== 'number' || e <= now() || (k !== undefined && typeof k !== 'string')) return undefined;
      return { conversationId: c, key: k ?? '', expiresAt: e };
    },
  };
}
