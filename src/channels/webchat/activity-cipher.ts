import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A fresh per-conversation key (AES-256, base64url): it travels in the visitor's token and nowhere else. */
export function newConversationKey(): string {
  return randomBytes(32).toString('base64url');
}

/** True when `key` is a conversation key as newConversationKey makes them. */
export function isConversationKey(key: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(key);
}

/**
 * AES-256-GCM of `plain` under `key`, bound to `context` (the conversation's hashed id) so that a
 * ciphertext moved to another conversation does not open. base64url of iv, tag and ciphertext.
 */
export function seal(key: string, context: string, plain: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key, 'base64url'), iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The plain text of a sealed value, or undefined when the key, context or bytes do not match. */
export function unseal(key: string, context: string, sealed: string): string | undefined {
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length < IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', Buffer.from(key, 'base64url'), raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** A key for one purpose derived from the server secret (HMAC-SHA256), base64url. */
export function deriveKey(secret: string, purpose: string): string {
  return createHmac('sha256', secret).update(purpose).digest('base64url');
}
