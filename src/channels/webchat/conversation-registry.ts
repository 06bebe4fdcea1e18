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
  /** Serialized size of each buffered activity (same order), and their sum. */
  sizes: number[];
  bytes: number;
  /** Whether the visitor ever sent something: a conversation nobody spoke in is the first to go. */
  userTurn: boolean;
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

/** Why a conversation ended. */
type EndReason = 'ended' | 'expired' | 'evicted';

/** Limits of the registry; see ConversationRegistry. */
interface RegistryOptions {
  max: number;
  idleMs: number;
  /** Bytes of undelivered activities one conversation may buffer; the oldest go first. */
  maxConversationBytes: number;
  /** Bytes all conversations may buffer together. */
  maxTotalBytes: number;
  /** A conversation quiet for longer than this is not a live visitor's and may make room. */
  liveMs: number;
  now: () => number;
  onEnd: (conversation: Conversation, reason: EndReason) => void;
}

/**
 * In-memory conversations with caps on their number and on the bytes they buffer, and an idle
 * expiry. A Map iterates in insertion order and every touch re-inserts, so the first entries are
 * always the least recently used. When room is needed, conversations in which the visitor never
 * sent anything go first, then those quiet for longer than `liveMs`; a live visitor's
 * conversation is never evicted (a new one is refused instead, and under the byte cap the
 * largest buffers lose their oldest activities).
 */
export class ConversationRegistry {
  private readonly conversations = new Map<string, Conversation>();
  private totalBytes = 0;

  constructor(private readonly options: RegistryOptions) {}

  get size(): number {
    return this.conversations.size;
  }

  /** Bytes of activities buffered in all conversations. */
  get bufferedBytes(): number {
    return this.totalBytes;
  }

  /** A new conversation, or undefined when the cap is reached and every conversation is a live visitor's. */
  create(locale: string | undefined, country: string | undefined): Conversation | undefined {
    this.sweep();
    while (this.conversations.size >= this.options.max) {
      const victim = this.victim();
      if (!victim) return undefined;
      this.remove(victim, 'evicted');
    }
    const conversation: Conversation = {
      id: randomBytes(16).toString('base64url'),
      userId: `dl_${randomBytes(8).toString('hex')}`,
      locale,
      country,
      started: false,
      base: 0,
      activities: [],
      sizes: [],
      bytes: 0,
      userTurn: false,
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
      const size = Buffer.byteLength(JSON.stringify(activity));
      conversation.sizes.push(size);
      conversation.bytes += size;
      this.totalBytes += size;
    }
    this.drop(conversation, conversation.activities.length - WINDOW);
    // The newest activity always stays: the client has not had it yet.
    let keep = conversation.activities.length - 1;
    while (keep > 0 && conversation.bytes > this.options.maxConversationBytes) {
      this.drop(conversation, 1);
      keep -= 1;
    }
    const message = JSON.stringify({ activities, watermark: this.watermark(conversation) });
    for (const socket of conversation.sockets) if (socket.readyState === socket.OPEN) socket.send(message);
    this.fitTotal(conversation);
  }

  /** Marks that the visitor sent something (the conversation is a visitor's, not only a start). */
  userSpoke(conversation: Conversation): void {
    conversation.userTurn = true;
  }

  /** Activities from a watermark on; a client's watermark also tells us what it already has. */
  since(conversation: Conversation, watermark: number): { activities: WireActivity[]; watermark: string } {
    const from = Math.max(0, watermark - conversation.base);
    return { activities: conversation.activities.slice(from), watermark: this.watermark(conversation) };
  }

  /** Forgets activities the client confirmed it has (it asked for what comes after them). */
  acknowledge(conversation: Conversation, watermark: number): void {
    this.drop(conversation, watermark - conversation.base);
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

  /** Drops the oldest `count` buffered activities of a conversation. */
  private drop(conversation: Conversation, count: number): void {
    const n = Math.min(conversation.activities.length, count);
    if (n <= 0) return;
    conversation.activities.splice(0, n);
    const freed = conversation.sizes.splice(0, n).reduce((sum, size) => sum + size, 0);
    conversation.bytes -= freed;
    this.totalBytes -= freed;
    conversation.base += n;
  }

  /** The conversation to make room with: one nobody spoke in, else a quiet one (least recently used first). */
  private victim(except?: Conversation): Conversation | undefined {
    let quiet: Conversation | undefined;
    const liveSince = this.options.now() - this.options.liveMs;
    for (const conversation of this.conversations.values()) {
      if (conversation === except) continue;
      if (!conversation.userTurn) return conversation;
      if (!quiet && conversation.lastSeen < liveSince) quiet = conversation;
    }
    return quiet;
  }

  /** Keeps the total under its cap: evicts conversations that are not live, then trims the largest buffers. */
  private fitTotal(current: Conversation): void {
    while (this.totalBytes > this.options.maxTotalBytes) {
      const victim = this.victim(current);
      if (victim) {
        this.remove(victim, 'evicted');
        continue;
      }
      let largest: Conversation | undefined;
      for (const conversation of this.conversations.values())
        if (conversation.activities.length > 0 && (!largest || conversation.bytes > largest.bytes)) largest = conversation;
      if (!largest) break;
      this.drop(largest, 1);
    }
  }

  private remove(conversation: Conversation, reason: EndReason): void {
    this.conversations.delete(conversation.id);
    this.totalBytes -= conversation.bytes;
    conversation.bytes = 0;
    conversation.sizes = [];
    conversation.activities = [];
    conversation.streamTickets.clear();
    for (const socket of conversation.sockets) socket.close(1000, 'conversation ended');
    conversation.sockets.clear();
    this.options.onEnd(conversation, reason);
  }
}
