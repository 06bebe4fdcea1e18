import { createHmac, randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { Log } from '../../engine/types.js';
import type { ConversationRelay } from '../../store/index.js';
import { deriveKey, isConversationKey, newConversationKey, seal, unseal } from './activity-cipher.js';
import type { ConversationHandle, Conversations, WireActivity } from './conversation-registry.js';

/** What createSharedConversations needs. */
interface SharedOptions {
  relay: ConversationRelay;
  /** The token secret (the same on every instance): names conversations in the relay and seals stream tickets. */
  secret: string;
  log: Log;
  /** A conversation unused for this long is gone (the token's lifetime). */
  idleMs: number;
  /** An undelivered activity is dropped after this long. */
  bufferTtlMs: number;
  /** Bytes of undelivered activities one conversation may buffer; the oldest go first. */
  maxConversationBytes: number;
  maxPendingTurns: number;
  maxSocketsPerConversation: number;
  ticketMs: number;
  now: () => number;
}

/** A handle as this module gives it out: the conversation's name in the relay and its watermark when opened. */
interface SharedHandle extends ConversationHandle {
  readonly h: string;
  watermark: number;
}

/** A stream socket on this instance. */
interface Listener {
  readonly socket: WebSocket;
  readonly conversation: SharedHandle;
  /** Everything before this watermark was sent on the socket. */
  sent: number;
  /** Published while the backlog is being read: sent after it, in order. */
  held: { first: number; activities: WireActivity[]; watermark: number }[] | undefined;
}

/** How many activities a conversation keeps for clients that have not fetched them yet (as in memory). */
const WINDOW = 64;
/** Conversations this instance remembers (in memory) so that it can still answer them while Redis is down. */
const RECENT = 2_048;
const RESTORED_EPOCH = Date.UTC(2026, 0, 1);
/** A turn that holds its conversation's queue longer than this (its instance died) lets the next one go. */
const TURN_LEASE_MS = 10_000;
/** Waiting for an earlier turn: polls with a growing pause up to this, bounded in count. */
const MAX_WAIT_STEP_MS = 16;
const MAX_WAIT_POLLS = 2_000;

/**
 * Conversations shared by every instance through a relay (Redis): a visitor's posts, polls and
 * stream socket may each reach a different instance. Activities are sealed with the
 * conversation's own key (AES-256-GCM), which only the visitor's token carries; the relay sees
 * the conversation only under an HMAC of its id. One relay subscription per instance carries
 * every conversation whose socket is here.
 *
 * While the relay is unreachable, a conversation this instance served recently still gets its
 * turns: they run here, one after another (the core answers an emergency with the number and
 * anything else with the apology and hotline), and their activities wait in this process's
 * memory until fetched here or pushed to a socket here. Anything else answers 503 (the caller).
 */
export function createSharedConversations(options: SharedOptions): Conversations {
  const { relay, log, now } = options;
  const ticketKey = deriveKey(options.secret, 'lantern webchat stream tickets');
  const listeners = new Map<string, Set<Listener>>();
  /** Recently served conversations, least recent first: name in the relay -> handle (its key is checked on use). */
  const recent = new Map<string, SharedHandle>();
  /** Activities produced while the relay was unreachable, per conversation name, until fetched. */
  const outage = new Map<string, { activities: WireActivity[]; at: number[]; count: number; queue: Promise<void> }>();
  const hashOf = (purpose: string, id: string) => createHmac('sha256', options.secret).update(`${purpose}\u0000${id}`).digest();
  const nameOf = (id: string) => hashOf('conversation', id).toString('base64url');
  // Derived, not stored: every instance names the visitor the same way.
  const userIdOf = (id: string) => `dl_${hashOf('user', id).toString('hex').slice(0, 16)}`;
  const activityId = (conversation: ConversationHandle, index: number) => `${conversation.id}|${String(index).padStart(7, '0')}`;
  const sealMeta = (c: ConversationHandle) => seal(c.key, nameOf(c.id), JSON.stringify({ l: c.locale, c: c.country }));

  /** The activity stored at `index`, without its id (derived from the index when read). */
  function sealActivity(conversation: SharedHandle, activity: WireActivity): string {
    const { id: _id, ...rest } = activity;
    return seal(conversation.key, conversation.h, JSON.stringify(rest));
  }

  function openActivities(conversation: SharedHandle, first: number, entries: readonly string[]): WireActivity[] {
    const out: WireActivity[] = [];
    entries.forEach((entry, i) => {
      const plain = unseal(conversation.key, conversation.h, entry);
      if (plain === undefined) {
        log.warn({ channel: 'webchat' }, 'a buffered web chat activity did not decrypt: dropped');
        return;
      }
      out.push({ ...(JSON.parse(plain) as WireActivity), id: activityId(conversation, first + i) });
    });
    return out;
  }

  function handle(id: string, key: string, meta: { l?: string; c?: string }, watermark: number): SharedHandle {
    return { id, key, h: nameOf(id), userId: userIdOf(id), locale: meta.l, country: meta.c, watermark };
  }

  function remember(conversation: SharedHandle): SharedHandle {
    recent.delete(conversation.h);
    if (recent.size >= RECENT) recent.delete(recent.keys().next().value!);
    recent.set(conversation.h, conversation);
    return conversation;
  }

  /** The remembered conversation for a request while the relay is down, or the relay's error again. */
  function remembered(id: string, key: string, error: unknown): SharedHandle {
    const known = recent.get(nameOf(id));
    if (!known || known.key !== key) throw error;
    return known;
  }

  async function open(id: string, key: string): Promise<SharedHandle | undefined> {
    if (!isConversationKey(key)) return undefined;
    const h = nameOf(id);
    let found: Awaited<ReturnType<ConversationRelay['open']>>;
    try {
      found = await relay.open(h, options.idleMs);
    } catch (error) {
      return remembered(id, key, error);
    }
    if (!found) return restore(id, key);
    const meta = unseal(key, h, found.meta);
    // A key that does not open the metadata is not this conversation's.
    if (meta === undefined) return undefined;
    return remember(handle(id, key, JSON.parse(meta) as { l?: string; c?: string }, found.watermark));
  }

  /**
   * Redis lost a conversation this instance remembers (it restarted without its data): write it
   * again, unless it was ended on purpose. Its watermark jumps past any number it had (to the
   * milliseconds since 2026), so that no new activity reuses an id the browser has seen.
   */
  async function restore(id: string, key: string): Promise<SharedHandle | undefined> {
    const known = recent.get(nameOf(id));
    if (!known || known.key !== key) return undefined;
    const next = Math.max(known.watermark + 1, now() - RESTORED_EPOCH);
    if ((await relay.restore(known.h, sealMeta(known), options.idleMs, next)) === 'ended') {
      recent.delete(known.h);
      return undefined;
    }
    log.warn({ channel: 'webchat' }, 'a web chat conversation lost by Redis was restored');
    const found = await relay.open(known.h, options.idleMs);
    return found
      ? remember(handle(id, key, { ...(known.locale ? { l: known.locale } : {}), ...(known.country ? { c: known.country } : {}) }, found.watermark))
      : undefined;
  }

  /** Keeps activities made while the relay is down for this instance's next read, and pushes them to sockets here. */
  function holdLocally(conversation: SharedHandle, activities: WireActivity[]): void {
    let held = outage.get(conversation.h);
    if (!held) {
      if (outage.size >= RECENT) outage.delete(outage.keys().next().value!);
      held = { activities: [], at: [], count: 0, queue: Promise.resolve() };
      outage.set(conversation.h, held);
    }
    for (const activity of activities) {
      activity.id ??= `${conversation.id}|local-${String(held.count).padStart(7, '0')}`;
      held.count += 1;
      held.activities.push(activity);
      held.at.push(now());
    }
    held.activities.splice(0, Math.max(0, held.activities.length - WINDOW));
    held.at.splice(0, Math.max(0, held.at.length - WINDOW));
    for (const listener of listeners.get(conversation.h) ?? [])
      if (activities.length > 0 && listener.socket.readyState === listener.socket.OPEN)
        listener.socket.send(JSON.stringify({ activities, watermark: String(listener.sent) }));
  }

  /** The activities held here while the relay was down, once: a delivered activity is dropped. */
  function takeHeld(conversation: SharedHandle): WireActivity[] {
    const held = outage.get(conversation.h);
    if (!held) return [];
    const fresh = held.activities.filter((_, i) => now() - held.at[i]! <= options.bufferTtlMs);
    held.activities = [];
    held.at = [];
    return fresh;
  }

  /** A turn while the relay is down: after this instance's earlier ones for the conversation, replies held here. */
  function enqueueLocally(conversation: SharedHandle, echo: WireActivity[], turn: () => Promise<WireActivity[]>): { done: Promise<void> } {
    holdLocally(conversation, echo);
    const held = outage.get(conversation.h)!;
    const done = held.queue.then(async () => holdLocally(conversation, await turn()));
    held.queue = done.catch((error: unknown) => {
      log.error({ channel: 'webchat', error: error instanceof Error ? error.name : typeof error }, 'web chat turn failed');
    });
    return { done: held.queue };
  }

  /** Waits until the conversation's earlier turns (on any instance) are done; false once it ended. */
  async function waitForTurn(conversation: SharedHandle, ticket: number): Promise<boolean> {
    for (let poll = 0, pause = 1; poll < MAX_WAIT_POLLS; poll++, pause = Math.min(pause * 2, MAX_WAIT_STEP_MS)) {
      await new Promise((resolve) => setTimeout(resolve, pause));
      const answer = await relay.tryTurn(conversation.h, ticket, TURN_LEASE_MS);
      if (answer === 'ended') return false;
      if (answer) return true;
    }
    // The lease makes this unreachable unless Redis's clock stands still: go rather than hang.
    return true;
  }

  /** Sends the activities from `first` on that the socket has not had yet. */
  function send(listener: Listener, first: number, activities: WireActivity[], watermark: number): void {
    if (listener.socket.readyState !== listener.socket.OPEN) return;
    const fresh = activities.slice(Math.max(0, listener.sent - first));
    if (fresh.length > 0) listener.socket.send(JSON.stringify({ activities: fresh, watermark: String(watermark) }));
    listener.sent = Math.max(listener.sent, watermark);
  }

  function closeAll(h: string): void {
    for (const listener of listeners.get(h) ?? []) listener.socket.close(1000, 'conversation ended');
  }

  relay.onMessage((h, message) => {
    const here = listeners.get(h);
    if (!here || here.size === 0) return;
    if (message === 'end') {
      closeAll(h);
      return;
    }
    const [firstText, ...entries] = message.split(' ');
    const first = Number(firstText);
    const watermark = first + entries.length;
    const conversation = here.values().next().value!.conversation;
    const activities = openActivities(conversation, first, entries);
    for (const listener of here)
      if (listener.held) listener.held.push({ first, activities, watermark });
      else send(listener, first, activities, watermark);
  });

  // Ended anywhere: forgotten here too, so that this instance never restores it.
  relay.onEnded((h) => {
    recent.delete(h);
    outage.delete(h);
  });

  // Messages published while the subscription was down are read from the buffers instead.
  relay.onResubscribed(() => {
    for (const here of listeners.values())
      for (const listener of here)
        void relay.read(listener.conversation.h, listener.sent, options.bufferTtlMs).then(
          (found) => {
            if (!found) return closeAll(listener.conversation.h);
            send(listener, found.first, openActivities(listener.conversation, found.first, found.entries), found.watermark);
          },
          () => undefined,
        );
  });

  return {
    async create(locale, country) {
      const id = randomBytes(16).toString('base64url');
      const conversation = handle(id, newConversationKey(), { ...(locale ? { l: locale } : {}), ...(country ? { c: country } : {}) }, 0);
      await relay.create(conversation.h, sealMeta(conversation), options.idleMs);
      return remember(conversation);
    },
    open,
    async saveLocale(conversation) {
      try {
        await relay.setMeta((conversation as SharedHandle).h, sealMeta(conversation));
      } catch (error) {
        // While Redis is down the remembered handle (this very object) keeps the new locale here.
        remembered(conversation.id, conversation.key, error);
      }
    },
    markStarted: (conversation) => relay.markStarted((conversation as SharedHandle).h),
    async enqueue(given, echo, turn) {
      const conversation = given as SharedHandle;
      const limits = { maxWaiting: options.maxPendingTurns, bufferTtlMs: options.bufferTtlMs, window: WINDOW, maxBytes: options.maxConversationBytes };
      let queued: Awaited<ReturnType<ConversationRelay['append']>>;
      try {
        queued = await relay.append(
          conversation.h,
          echo.map((activity) => sealActivity(conversation, activity)),
          { ...limits, takeTurn: true },
        );
      } catch (error) {
        remembered(conversation.id, conversation.key, error);
        return enqueueLocally(conversation, echo, turn);
      }
      if (typeof queued === 'string') return queued;
      echo.forEach((activity, i) => (activity.id = activityId(conversation, queued.first + i)));
      conversation.watermark = Math.max(conversation.watermark, queued.first + echo.length);
      const done = (async () => {
        let replies: WireActivity[] = [];
        try {
          if (!queued.ready && !(await waitForTurn(conversation, queued.ticket))) return;
          replies = await turn();
        } catch (error) {
          log.error({ channel: 'webchat', error: error instanceof Error ? error.name : typeof error }, 'web chat turn failed');
        }
        try {
          // Storing the replies and handing the queue on are one step: the next turn's replies come after these.
          const stored = await relay.append(
            conversation.h,
            replies.map((activity) => sealActivity(conversation, activity)),
            { ...limits, finishTurn: queued.ticket },
          );
          if (typeof stored !== 'string') conversation.watermark = Math.max(conversation.watermark, stored.first + replies.length);
        } catch (error) {
          log.error({ channel: 'webchat', error: error instanceof Error ? error.name : typeof error }, 'web chat replies could not be stored');
          holdLocally(conversation, replies);
        }
      })();
      return { done };
    },
    async read(given, watermark) {
      const conversation = given as SharedHandle;
      let found: Awaited<ReturnType<ConversationRelay['read']>>;
      try {
        found = await relay.read(conversation.h, watermark, options.bufferTtlMs);
      } catch (error) {
        remembered(conversation.id, conversation.key, error);
        // The watermark stays: what was made here during the outage is outside the shared numbering.
        return { activities: takeHeld(conversation), watermark: String(watermark) };
      }
      if (!found) return undefined;
      conversation.watermark = Math.max(conversation.watermark, found.watermark);
      const activities = openActivities(conversation, found.first, found.entries);
      return { activities: [...takeHeld(conversation), ...activities], watermark: String(found.watermark) };
    },
    async streamTicket(given) {
      const conversation = given as SharedHandle;
      // Sealed with a server key: the URL (proxy logs, history) never shows the conversation key.
      const claims = { c: conversation.id, k: conversation.key, e: now() + options.ticketMs, n: randomBytes(12).toString('base64url') };
      return { ticket: seal(ticketKey, 'ticket', JSON.stringify(claims)), watermark: String(conversation.watermark) };
    },
    async redeemTicket(id, ticket) {
      const plain = ticket.length <= 512 ? unseal(ticketKey, 'ticket', ticket) : undefined;
      if (plain === undefined) return undefined;
      const claims = JSON.parse(plain) as { c?: unknown; k?: unknown; e?: unknown; n?: unknown };
      if (claims.c !== id || typeof claims.k !== 'string' || typeof claims.e !== 'number' || claims.e <= now() || typeof claims.n !== 'string')
        return undefined;
      if (!(await relay.claimOnce(claims.n, options.ticketMs))) return undefined;
      return open(id, claims.k);
    },
    async attach(given, socket, watermark) {
      const conversation = given as SharedHandle;
      let here = listeners.get(conversation.h);
      if (!here) {
        here = new Set();
        listeners.set(conversation.h, here);
      }
      if (here.size >= options.maxSocketsPerConversation) here.values().next().value?.socket.close(1000, 'replaced');
      const listener: Listener = { socket, conversation, sent: watermark, held: [] };
      here.add(listener);
      socket.on('close', () => {
        here.delete(listener);
        if (here.size > 0 || listeners.get(conversation.h) !== here) return;
        listeners.delete(conversation.h);
        relay.unsubscribe(conversation.h).catch(() => undefined);
      });
      try {
        // Subscribed before reading the backlog, so nothing published in between is missed.
        if (here.size === 1) await relay.subscribe(conversation.h);
        const backlog = await relay.read(conversation.h, watermark, options.bufferTtlMs);
        if (!backlog) {
          socket.close(1000, 'conversation ended');
          return;
        }
        send(listener, backlog.first, openActivities(conversation, backlog.first, backlog.entries), backlog.watermark);
        for (const later of listener.held ?? []) send(listener, later.first, later.activities, later.watermark);
        listener.held = undefined;
      } catch {
        socket.close(1011, 'try again');
      }
    },
    async end(given) {
      const conversation = given as SharedHandle;
      recent.delete(conversation.h);
      outage.delete(conversation.h);
      closeAll(conversation.h);
      await relay.end(conversation.h, options.idleMs);
    },
    // The buffers are on the shared store; what this instance holds is its sockets' conversations.
    stats: () => ({ conversations: listeners.size, bufferedBytes: 0 }),
    close() {
      for (const h of listeners.keys()) closeAll(h);
    },
  };
}
