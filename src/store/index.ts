import type { SessionStore } from './session-store.js';
import { createMemoryStore } from './memory-store.js';
import { createSqliteStore } from './sqlite-store.js';
import { createRedisStore } from './redis-store.js';
import { createMemoryWindowCounter, type WindowCounter } from './window-counter.js';
import { createRedisWindowCounter } from './redis-window-counter.js';
import { createRedisConversationRelay, type ConversationRelay } from './redis-conversation-relay.js';

export type { SessionStore, Versioned } from './session-store.js';
export type { WindowCounter } from './window-counter.js';
export type { ConversationRelay } from './redis-conversation-relay.js';

/** Builds the session store that `STORE` names: memory, SQLite (the default) or Redis. */
export function createSessionStore(
  config: { kind: 'memory' } | { kind: 'sqlite'; path: string } | { kind: 'redis'; url: string; prefix?: string },
): SessionStore {
  switch (config.kind) {
    case 'memory':
      return createMemoryStore();
    case 'sqlite':
      return createSqliteStore({ path: config.path });
    case 'redis':
      return createRedisStore({ url: config.url, prefix: config.prefix });
  }
}

/** Builds the counter behind the client rate limits: in memory, or on Redis (shared by every instance). */
export function createWindowCounter(config: { kind: 'memory' } | { kind: 'redis'; url: string; prefix?: string }): WindowCounter {
  return config.kind === 'redis' ? createRedisWindowCounter({ url: config.url, prefix: config.prefix }) : createMemoryWindowCounter();
}

/** The web chat's shared transport state (encrypted buffers, turn queue, fan-out) on Redis, for several instances. */
export function createConversationRelay(config: { url: string; prefix?: string }): ConversationRelay {
  return createRedisConversationRelay(config);
}
