import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';

/** An activity as plain JSON, the way Direct Line carries it. */
export type WireActivity = Record<string, unknown>;

/** Transport state of one web chat conversation (not the dialogue session: that is the core's). */
export interface Conversation {
  readonly id: string;
  readonly userId: string;
  locale: string | undefined;
  country: string | undefined;
  started: boolean;
  /** Absolute index of activities[0]; the watermark is base + activities.length. */
  base: number;
  activities: WireActivity[];
  lastSeen: number;
  /** Turns of one conversation run one after another so replies keep their order. */
  queue: Promise<void>;
  pending: number;
  readonly sockets: Set<WebSocket>;
  /** One-time stream tickets (ticket -> expiry, epoch ms): the socket URL never carries the token. */
  readonly streamTickets: Map<string, number>;
}

/** How many activities a conversation keeps for clients that have not fetched them yet. */
const WINDOW = 64;

/**
 * In-memory conversations with a cap and an idle expiry. A Map iterates in insertion order and
 * every touch re-inserts, so the first entries are always the least recently used.
 */
export class ConversationRegistry {
  private readonly conversations = new Map<string, Conversation>();

  constructor(
    private readonly options: {
      max: number;
      idleMs: number;
      now: () => number;
      onEnd: (conversation: Conversation, reason: 'ended' | 'expired' | 'evicted') => void;
    },
  ) {}

  get size(): number {
    return this.conversations.size;
  }

  /** A new conversation; the least recently used one makes room when the cap is reached. */
  create(locale: string | undefined, country: string | undefined): Conversation {
    this.sweep();
    while (this.conversations.size >= this.options.max) {
      const oldest = this.conversations.values().next().value;
      if (!oldest) break;
      this.remove(oldest, 'evicted');
    }
    const conversation: Conversation = {
      id: randomBytes(16).toString('base64url'),
      userId: `dl_${randomBytes(8).toString('hex')}`,
      locale,
      country,
      started: false,
      base: 0,
      activities: [],
      lastSeen: this.options.now(),
      queue: Promise.resolve(),
      pending: 0,
      sockets: new Set(),
      streamTickets: new Map(),
    };
    this.conversations.set(conversation.id, conversation);
    return conversation;
  }

  /** The live conversation with this id (and marks it used), or undefined if ended or expired. */
  get(id: string): Conversation | undefined {
    const conversation = this.conversations.get(id);
    if (!conversation) return undefined;
    if (this.expired(conversation)) {
      this.remove(conversation, 'expired');
      return undefined;
    }
    conversation.lastSeen = this.options.now();
    this.conversations.delete(id);
    this.conversations.set(id, conversation);
    return conversation;
  }

  has(conversation: Conversation): boolean {
    return this.conversations.get(conversation.id) === conversation;
  }

  /** Stores activities (assigning ids), drops what no client can still need, pushes to sockets. */
  append(conversation: Conversation, activities: WireActivity[]): void {
    if (activities.length === 0 || !this.has(conversation)) return;
    for (const activity of activities) {
      const index = conversation.base + conversation.activities.length;
      activity.id = `${conversation.id}|${String(index).padStart(7, '0')}`;
      conversation.activities.push(activity);
    }
    const overflow = conversation.activities.length - WINDOW;
    if (overflow > 0) {
      conversation.activities.splice(0, overflow);
      conversation.base += overflow;
    }
    const message = JSON.stringify({ activities, watermark: this.watermark(conversation) });
    for (const socket of conversation.sockets) if (socket.readyState === socket.OPEN) socket.send(message);
  }

  /** Activities from a watermark on; a client's watermark also tells us what it already has. */
  since(conversation: Conversation, watermark: number): { activities: WireActivity[]; watermark: string } {
    const from = Math.max(0, watermark - conversation.base);
    return { activities: conversation.activities.slice(from), watermark: this.watermark(conversation) };
  }

  /** Forgets activities the client confirmed it has (it asked for what comes after them). */
  acknowledge(conversation: Conversation, watermark: number): void {
    const drop = Math.min(conversation.activities.length, watermark - conversation.base);
    if (drop > 0) {
      conversation.activities.splice(0, drop);
      conversation.base += drop;
    }
  }

  watermark(conversation: Conversation): string {
    return String(conversation.base + conversation.activities.length);
  }

  end(conversation: Conversation): void {
    if (this.has(conversation)) this.remove(conversation, 'ended');
  }

  /** Removes idle conversations, oldest first; stops at the first one still in use. */
  sweep(): void {
    for (const conversation of this.conversations.values()) {
      if (!this.expired(conversation)) break;
      this.remove(conversation, 'expired');
    }
  }

  endAll(): void {
    for (const conversation of [...this.conversations.values()]) this.remove(conversation, 'ended');
  }

  private expired(conversation: Conversation): boolean {
    return this.options.now() - conversation.lastSeen > this.options.idleMs;
  }

  private remove(conversation: Conversation, reason: 'ended' | 'expired' | 'evicted'): void {
    this.conversations.delete(conversation.id);
    conversation.activities = [];
    conversation.streamTickets.clear();
    for (const socket of conversation.sockets) socket.close(1000, 'conversation ended');
    conversation.sockets.clear();
    this.options.onEnd(conversation, reason);
  }
}
