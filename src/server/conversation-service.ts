/**
 * The host around the pure engine: loads the session, runs the turn, writes it back with
 * compare-and-set. Turns of one conversation run one at a time in a process; across processes
 * a conflicting write is retried on the fresh session. Never rejects: a failing turn becomes a
 * kind apology with the hotline.
 */
import { createHmac } from 'node:crypto';
import type { SessionStore } from '../store/index.js';
import {
  parseSession,
  serializeSession,
  type Engine,
  type Inbound,
  type Log,
  type Reply,
  type StepResult,
  type TurnHandler,
  type TurnNote,
} from '../engine/index.js';

/** How often a turn is recomputed when another instance wrote the same session first. */
const MAX_CONFLICT_RETRIES = 25;

/** What the service reports after each turn (for metrics); anonymous. */
export interface TurnReport {
  channel: Inbound['channel'];
  ms: number;
  outcome: 'ok' | 'failed' | 'store-down' | 'rate-limited';
  language: string;
  notes: TurnNote[];
}

/** Options of the conversation service. */
export interface ConversationServiceOptions {
  /** The current engine; a function so a reload swaps it without restarting. */
  engine: () => Engine;
  store: SessionStore;
  hashSecret: string;
  ttlMs: number;
  log: Log;
  onTurn?: (report: TurnReport) => void;
  now?: () => number;
  /** Turns one conversation may take per window before it gets a polite "slow down" (default 30 per 10 s). */
  rateLimit?: { turns: number; windowMs: number };
}

/** The service channels call. */
export interface ConversationService {
  /** Runs a turn after the conversation's earlier turns (one queue per conversation). */
  handle: TurnHandler;
  /**
   * The same turn without the service's queue, for a channel that already runs one turn per
   * conversation at a time, in order (Telegram's per-chat queue, which orders the sends too):
   * one queue per conversation, not two.
   */
  handleInOrder: TurnHandler;
  /**
   * The apology with the hotline for a turn a channel could not complete (its handler call or
   * rendering failed), in the session's language and country when the store can tell them.
   */
  failure(inbound: Inbound): Promise<Reply>;
  /** The store key of a conversation (an HMAC: the raw id is never stored). */
  keyOf(inbound: Pick<Inbound, 'channel' | 'conversation'>): string;
  /** Waits for turns in flight (for a graceful shutdown). */
  drain(): Promise<void>;
}

/** Creates the service. */
export function createConversationService(options: ConversationServiceOptions): ConversationService {
  const { store, log, ttlMs } = options;
  const now = options.now ?? Date.now;
  const queues = new Map<string, Promise<unknown>>();
  const hmac = createKeyedHash(options.hashSecret);
  const keyOf = (inbound: Pick<Inbound, 'channel' | 'conversation'>) => hmac(`${inbound.channel}\u0000${inbound.conversation}`);

  const limit = options.rateLimit ?? { turns: 30, windowMs: 10_000 };
  const windows = new Map<string, { start: number; count: number }>();
  /** True when this conversation is over its rate; windows are kept for recent conversations only. */
  const overLimit = (key: string, at: number): boolean => {
    let w = windows.get(key);
    if (!w || at - w.start >= limit.windowMs) {
      windows.delete(key);
      if (windows.size >= KEY_CACHE) windows.delete(windows.keys().next().value!);
      w = { start: at, count: 0 };
      windows.set(key, w);
    }
    w.count += 1;
    return w.count > limit.turns;
  };

  /** Metrics must never turn an answered turn into a failed one. */
  const report = (turn: TurnReport): void => {
    try {
      options.onTurn?.(turn);
    } catch (error) {
      log.warn({ err: errorName(error) }, 'turn report failed');
    }
  };

  const runTurn = async (key: string, inbound: Inbound): Promise<Reply> => {
    const started = now();
    const engine = options.engine();
    // A flood gets a polite answer without touching the store, but an emergency is always answered,
    // and a request to forget (/forget, quick exit, the forget button) always deletes.
    if (overLimit(key, started) && !engine.asksToForget(inbound)) {
      const reply = engine.isEmergency(inbound) ? engine.emergency(inbound) : engine.rateLimited(inbound);
      report({ channel: inbound.channel, ms: now() - started, outcome: 'rate-limited', language: reply.language, notes: [] });
      return reply;
    }
    let stored: Awaited<ReturnType<SessionStore['get']>>;
    try {
      stored = await store.get(key);
    } catch (error) {
      log.error({ err: errorName(error), channel: inbound.channel }, 'session store unreachable');
      // Without the session the engine can still answer an emergency and apologise.
      const reply = engine.isEmergency(inbound) ? engine.emergency(inbound) : engine.failure(inbound);
      report({ channel: inbound.channel, ms: now() - started, outcome: 'store-down', language: reply.language, notes: [] });
      return reply;
    }
    let session: ReturnType<typeof parseSession>;
    try {
      session = stored ? parseSession(stored.value) : undefined;
      for (let attempt = 0; ; attempt++) {
        const result: StepResult = engine.step(session, inbound, now());
        if (result.session === null) {
          if (stored) await store.delete(key);
        } else {
          const written = await store.put(key, serializeSession(result.session), stored?.version ?? 0, ttlMs);
          if (written === false) {
            if (attempt >= MAX_CONFLICT_RETRIES) throw new Error('too many write conflicts');
            // After a few clashes, a short random pause lets the other instance finish.
            if (attempt >= 2) await new Promise((done) => setTimeout(done, Math.random() * 2 * attempt));
            stored = await store.get(key);
            session = stored ? parseSession(stored.value) : undefined;
            continue;
          }
        }
        report({ channel: inbound.channel, ms: now() - started, outcome: 'ok', language: result.reply.language, notes: result.notes });
        return result.reply;
      }
    } catch (error) {
      log.error({ err: errorName(error), channel: inbound.channel, event: inbound.event.type }, 'turn failed');
      const reply = engine.failure(inbound, session);
      report({ channel: inbound.channel, ms: now() - started, outcome: 'failed', language: reply.language, notes: [] });
      return reply;
    }
  };

  const failure = async (inbound: Inbound): Promise<Reply> => {
    let session: ReturnType<typeof parseSession>;
    try {
      const stored = await store.get(keyOf(inbound));
      session = stored ? parseSession(stored.value) : undefined;
    } catch {
      // The language and country hints of the message are enough for the apology and the hotline.
    }
    return options.engine().failure(inbound, session);
  };

  const unqueued = new Set<Promise<unknown>>();
  return {
    keyOf,
    failure,
    handleInOrder(inbound) {
      const turn = runTurn(keyOf(inbound), inbound);
      unqueued.add(turn);
      const done = () => unqueued.delete(turn);
      turn.then(done, done);
      return turn;
    },
    handle(inbound) {
      const key = keyOf(inbound);
      const previous = queues.get(key) ?? Promise.resolve();
      const next = previous.then(() => runTurn(key, inbound));
      const settled = next.catch(() => undefined);
      queues.set(key, settled);
      void settled.then(() => {
        if (queues.get(key) === settled) queues.delete(key);
      });
      return next;
    },
    async drain() {
      while (queues.size || unqueued.size) await Promise.allSettled([...queues.values(), ...unqueued]);
    },
  };
}

// The class name only: an error's message may quote what the user typed or an id.
function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/** How many recent conversations keep their computed key in memory (never in the store or logs). */
const KEY_CACHE = 2048;

/** HMAC-SHA256 of a message under the secret, with a small in-memory cache for active conversations. */
function createKeyedHash(secret: string): (message: string) => string {
  const cache = new Map<string, string>();
  return (message) => {
    let key = cache.get(message);
    if (key === undefined) {
      key = createHmac('sha256', secret).update(message).digest('base64url');
      if (cache.size >= KEY_CACHE) cache.delete(cache.keys().next().value!);
      cache.set(message, key);
    }
    return key;
  };
}
