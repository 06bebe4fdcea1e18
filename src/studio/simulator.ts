/**
 * The Simulator: the real light widget and Direct Line endpoint (src/channels/webchat) served by the
 * studio itself, over the same conversation service as `serve` with an in-memory store, running an
 * engine built from the working copy (rebuilt after every publish). Each turn's recognised intent and
 * the words that fired it are kept for the page (in memory, this local tool only; never logged).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
// As the server does: the activity processor needs no botbuilder.
import { createActivityProcessor } from '../channels/botframework/activity-processor.js';
import { createWebChat } from '../channels/webchat/index.js';
import { jsonTurn } from '../cli/chat-json.js';
import type { Content } from '../content/index.js';
import { buildEngine, type BuiltEngine, type Engine, type Inbound, type Log, type StepResult } from '../engine/index.js';
import { createConversationService } from '../server/index.js';
import { createSessionStore } from '../store/index.js';

/** One turn as the Simulator page shows it. */
export interface SimTurn {
  n: number;
  input: string;
  intent: string | null;
  concepts: { id: string; words: string[] }[];
  at: string | null;
}

const CHANNELS = ['webchat', 'telegram', 'botframework'] as const;
const quiet: Log = { debug() {}, info() {}, warn() {}, error() {} };

/** The studio's own bot: widget routes, a trace of turns, and the simulator's settings. */
export function createSimulator(content: Content) {
  let built: BuiltEngine = buildEngine(content, { language: 'en' });
  let trace: SimTurn[] = [];
  let channel: (typeof CHANNELS)[number] = 'webchat';
  let startAt: { flow: string; state: string } | undefined;

  const record = (inbound: Inbound, result: StepResult) => {
    const e = inbound.event;
    const input = e.type === 'text' ? e.text : e.type === 'choice' ? `[${e.id}]` : e.type === 'command' ? e.command : `(${e.type})`;
    const turn = jsonTurn(trace.length + 1, input, result);
    trace.push({
      n: turn.turn,
      input,
      intent: turn.intent,
      concepts: turn.concepts,
      at: result.session?.flow ? `${result.session.flow}.${result.session.state}` : null,
    });
    if (trace.length > 200) trace = trace.slice(-200);
  };

  /** The working copy's engine, seen through the channel picked, starting where the page asked. */
  const engine = (): Engine => ({
    ...built.engine,
    step(session, inbound, now) {
      const seen = { ...inbound, channel };
      let result: StepResult;
      if (inbound.event.type === 'start' && startAt && built.engine.flows.has(startAt.flow)) {
        result = beginAt(built, seen, startAt);
        startAt = undefined;
      } else result = built.engine.step(session, seen, now);
      record(seen, result);
      return result;
    },
  });

  const webChat = createWebChat({
    runTurn: createActivityProcessor({
      handler: (inbound) => service.handle(inbound),
      failure: (inbound) => service.failure(inbound),
      log: quiet,
    }),
    secret: randomBytes(24).toString('base64url'),
    log: quiet,
    // Same origin as the studio's pages, which the Host check and the login already guard.
    allowedOrigins: '*',
    translate: (language, key) => built.translator.t(language, key),
    languages: () => built.translator.languages.map((l) => [l, built.translator.nativeName(l), built.translator.direction(l)] as const),
    exitUrl: 'about:blank',
  });
  const service = createConversationService({
    engine,
    store: createSessionStore({ kind: 'memory' }),
    hashSecret: randomBytes(32).toString('hex'),
    ttlMs: 3_600_000,
    log: quiet,
    // Staff try things quickly: no "slow down" in the simulator.
    rateLimit: { turns: 10_000, windowMs: 1000 },
  });

  return {
    /** Widget, frame and Direct Line paths; false for the studio's own. */
    handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> | boolean {
      const path = (req.url ?? '/').split('?')[0]!;
      if (path === '/' || path === '/webchat.js' || path === '/widget-webchat.js') return false;
      return webChat.handle(req, res);
    },
    handleUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => webChat.handleUpgrade(req, socket, head),
    rebuild(next: Content) {
      built = buildEngine(next, { language: 'en' });
    },
    trace: (since: number) => trace.filter((t) => t.n > since),
    reset() {
      trace = [];
    },
    settings(next: { channel?: string; startAt?: { flow: string; state: string } | null }) {
      if (next.channel && (CHANNELS as readonly string[]).includes(next.channel)) channel = next.channel as typeof channel;
      if (next.startAt === null) startAt = undefined;
      else if (next.startAt) startAt = next.startAt;
      return { channel, startAt: startAt ?? null };
    },
    close: () => webChat.close(),
  };
}

/** Starts a conversation at one step: the flow is entered, then moved to the step and its question asked again. */
function beginAt(built: BuiltEngine, inbound: Inbound, at: { flow: string; state: string }): StepResult {
  const begun = built.engine.begin(inbound, at.flow);
  if (!begun.session || begun.session.state === at.state) return begun;
  const moved = { ...begun.session, flow: at.flow, state: at.state };
  // An `unsupported` event re-asks the step's question; its "cannot read that" and "in danger now?" lines, and
  // its intent in the trace, are not what staff asked for.
  const asked = built.engine.step(moved, { ...inbound, event: { type: 'unsupported', kind: 'other' } });
  const extra = (m: StepResult['reply']['messages'][number]) => 'key' in m && typeof m.key === 'string' && /^system\.(unsupported|danger_line)/.test(m.key);
  return {
    ...asked,
    reply: { ...asked.reply, messages: asked.reply.messages.filter((m) => !extra(m)) },
    notes: asked.notes.filter((n) => !(n.type === 'intent' && n.intent === 'unsupported')),
  };
}
