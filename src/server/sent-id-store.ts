import type { TelegramChannelOptions } from '../channels/telegram/index.js';
import type { SessionStore, Versioned } from '../store/index.js';

type SentIds = NonNullable<TelegramChannelOptions['sentIds']>;

// Telegram deletes only messages younger than 48 h; a chat rarely has more than this many.
const MAX_IDS = 100;
// Two instances rarely write one chat's list at once; this many tries covers a burst of them.
const MAX_TRIES = 25;
// An emptied list must not outlive /forget: it expires at once, yet a racing add still sees its version.
const TAKEN_TTL_MS = 1;

/**
 * Keeps the Telegram message ids to delete on /forget in the session store, as numbers only,
 * under `${keyOf(chat)}:sent` and for the session's TTL, so any instance can delete them.
 */
export function createSentIdStore(store: SessionStore, keyOf: (chatId: string) => string, ttlMs: number): SentIds {
  const keyFor = (chatId: string) => `${keyOf(chatId)}:sent`;

  /** Applies `change` with compare-and-set, trying again when another writer came first. */
  async function update<T>(
    key: string,
    change: (ids: number[], current: Versioned | undefined) => { ids: number[]; ttlMs: number; result: T } | { result: T },
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const current = await store.get(key);
      const outcome = change(parseIds(current?.value), current);
      if (!('ids' in outcome)) return outcome.result;
      if ((await store.put(key, JSON.stringify(outcome.ids), current?.version ?? 0, outcome.ttlMs)) !== false) return outcome.result;
      if (attempt >= MAX_TRIES) throw new Error(`sent id list still contended after ${MAX_TRIES} tries`);
      // Writers that collided would collide again in lockstep: a random pause spreads them out.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * attempt));
    }
  }

  return {
    // One id, or a whole turn's (the user's message and the replies) in one compare-and-set.
    add: (chatId, messageIds) => update(keyFor(chatId), (ids) => ({ ids: ids.concat(messageIds).slice(-MAX_IDS), ttlMs, result: undefined })),
    // A compare-and-set to an empty list rather than a delete: an id added meanwhile makes the
    // write conflict and is read on the next try instead of being dropped unseen.
    take: (chatId) => update(keyFor(chatId), (ids, current) => (current === undefined ? { result: [] } : { ids: [], ttlMs: TAKEN_TTL_MS, result: ids })),
  };
}

function parseIds(value: string | undefined): number[] {
  if (value === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((id): id is number => Number.isSafeInteger(id)) : [];
  } catch {
    return [];
  }
}
