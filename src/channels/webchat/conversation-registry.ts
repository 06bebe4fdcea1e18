import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';

/** An activity as plain JSON, the way Direct Line carries it. */
export type WireActivity = Record<string, unknown>;

/** What a request knows of its conversation: enough to build activities and issue its token. */
export interface ConversationHandle {
  readonly id: string;
  readonly userId: string;
  /** The buffer key that the token carries ('' when the buffers never leave this process). */
  readonly key: string;
  locale: string | undefined;
  readonly country: string | undefined;
}

/** Why a turn was not queued: too many turns wait already, or the conversation is gone. */
type Refusal = 'busy' | 'ended';

/**
 * Where the web chat keeps its conversations' transport state: activity buffers and watermarks,
 * the turn queue, stream sockets and tickets, revocation. One process (`createLocalConversations`)
 * or every instance on a shared store (`createSharedConversations`); web-chat.ts sees only this.
 */
export interface Conversations {
  /** A new conversation, or undefined when there is no room for one. */
  create(locale: string | undefined, country: string | undefined): Promise<ConversationHandle | undefined>;
  /** The live conversation a token opens (its id and key), or undefined once ended or expired. */
  open(id: string, key: string): Promise<ConversationHandle | undefined>;
  /** Keeps a changed `locale` for the conversation's later requests. */
  saveLocale(conversation: ConversationHandle): Promise<void>;
  /** True for the one request that starts the conversation (greeting), false for every later one. */
  markStarted(conversation: ConversationHandle): Promise<boolean>;
  /**
   * Stores `echo` (assigning activity ids) and queues `turn` behind the conversation's earlier
   * turns on every instance; its replies are stored when it ends. Resolves once queued; `done`
   * resolves (never rejects) when the replies are stored.
   */
  enqueue(conversation: ConversationHandle, echo: WireActivity[], turn: () => Promise<WireActivity[]>): Promise<{ done: Promise<void> } | Refusal>;
  /** Activities from a watermark on; activities before it are acknowledged and dropped. Undefined once ended. */
  read(conversation: ConversationHandle, watermark: number): Promise<{ activities: WireActivity[]; watermark: string } | undefined>;
  /** A one-time ticket for the stream socket and the watermark it starts from. */
  streamTicket(conversation: ConversationHandle): Promise<{ ticket: string; watermark: string }>;
  /** The conversation a ticket opens, once; undefined for a spent, expired or foreign ticket. */
  redeemTicket(id: string, ticket: string): Promise<ConversationHandle | undefined>;
  /** Sends the backlog from `watermark`, then every later activity, until the conversation ends. */
  attach(conversation: ConversationHandle, socket: WebSocket, watermark: number): Promise<void>;
  /** Ends the conversation everywhere: its token stops working, its buffers are deleted, its sockets close. */
  end(conversation: ConversationHandle): Promise<void>;
  /** Conversations open here and bytes of activities buffered here. */
  stats(): { conversations: number; bufferedBytes: number };
  /** Closes this instance's sockets (the conversations live on where they are shared). */
  close(): void;
}

/** Transport state of one web chat conversation (not the dialogue session: that is the core's). */
export interface Conversation extends ConversationHandle {
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
      key: '',
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

/** Limits of the in-process conversations; see ConversationRegistry. */
interface LocalOptions extends Omit<RegistryOptions, 'onEnd'> {
  onEnd: (reason: EndReason) => void;
  maxPendingTurns: number;
  maxSocketsPerConversation: number;
  ticketMs: number;
  maxTickets: number;
}

/** Conversations in this process only (STORE=memory or sqlite: one instance). */
export function createLocalConversations(options: LocalOptions): Conversations {
  const { now } = options;
  const registry = new ConversationRegistry({ ...options, onEnd: (_conversation, reason) => options.onEnd(reason) });
  const sweeper = setInterval(() => registry.sweep(), 60_000);
  sweeper.unref();
  // Handles given out are the registry's own objects.
  const own = (handle: ConversationHandle) => handle as Conversation;

  return {
    create: async (locale, country) => registry.create(locale, country),
    open: async (id) => registry.get(id),
    async saveLocale() {},
    async markStarted(handle) {
      const conversation = own(handle);
      if (conversation.started) return false;
      conversation.started = true;
      return true;
    },
    async enqueue(handle, echo, turn) {
      const conversation = own(handle);
      if (!registry.has(conversation)) return 'ended';
      if (conversation.pending >= options.maxPendingTurns) return 'busy';
      if (echo.length > 0) {
        registry.userSpoke(conversation);
        registry.append(conversation, echo);
      }
      conversation.pending += 1;
      const done = conversation.queue.then(async () => {
        try {
          registry.append(conversation, await turn());
        } finally {
          conversation.pending -= 1;
        }
      });
      conversation.queue = done.catch(() => undefined);
      return { done: conversation.queue };
    },
    async read(handle, watermark) {
      const conversation = own(handle);
      registry.acknowledge(conversation, watermark);
      return registry.since(conversation, watermark);
    },
    async streamTicket(handle) {
      const tickets = own(handle).streamTickets;
      for (const [ticket, expires] of tickets) if (expires <= now()) tickets.delete(ticket);
      while (tickets.size >= options.maxTickets) tickets.delete(tickets.keys().next().value!);
      const ticket = randomBytes(18).toString('base64url');
      tickets.set(ticket, now() + options.ticketMs);
      return { ticket, watermark: registry.watermark(own(handle)) };
    },
    async redeemTicket(id, ticket) {
      const conversation = registry.get(id);
      if (!conversation) return undefined;
      // Spent either way.
      const expires = conversation.streamTickets.get(ticket);
      conversation.streamTickets.delete(ticket);
      return expires !== undefined && expires > now() ? conversation : undefined;
    },
    async attach(handle, ws, watermark) {
      const conversation = own(handle);
      if (!registry.has(conversation)) {
        ws.close(1000, 'conversation ended');
        return;
      }
      if (conversation.sockets.size >= options.maxSocketsPerConversation) conversation.sockets.values().next().value?.close(1000, 'replaced');
      conversation.sockets.add(ws);
      ws.on('close', () => conversation.sockets.delete(ws));
      const backlog = registry.since(conversation, watermark);
      if (backlog.activities.length > 0) ws.send(JSON.stringify(backlog));
    },
    async end(handle) {
      registry.end(own(handle));
    },
    stats: () => ({ conversations: registry.size, bufferedBytes: registry.bufferedBytes }),
    close() {
      clearInterval(sweeper);
      registry.endAll();
    },
  };
}
