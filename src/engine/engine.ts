/**
 * The conversation core: one turn is a pure step `(session, inbound) -> (session, reply)`.
 * This file wires the jobs together; each lives in its own file:
 * running a flow (flow-runner), prompts (prompts), typed input (input-matching), commands and
 * the emergency answer (global-intents), deep links (deep-link), replies that need no flow
 * (fallback-replies). The host (store, HMAC, queues) is outside: src/server/conversation-service.
 */
import type { Content } from '../content/index.js';
import type { Translator } from '../i18n/index.js';
import { createUnderstanding, type Reading, type Understanding } from '../understanding/index.js';
import type { Registry } from './action-registry.js';
import { createHash } from 'node:crypto';
import { compileFlow, type CompiledFlow } from './compile-flow.js';
import { onStart } from './deep-link.js';
import { emergencyReply, failureReply, freshSession, rateLimitedReply } from './fallback-replies.js';
import { enter, reprompt, restart, restartAtMenu, restore } from './flow-runner.js';
import { asksToForget } from './forget-request.js';
import { EMERGENCY_COMMANDS, emergencyInto, onCommand } from './global-intents.js';
import type { HotlineReplies } from './hotline-replies.js';
import { dangerLine, MAX_TEXT, offerAdCheck, onChoice, onText, readText, textIsEmergency } from './input-matching.js';
import type { Session } from './session.js';
import { createLookups, lang, MAIN_FLOW, text, type EngineParts, type FlowSet, type Turn, type TurnNote } from './turn.js';
import type { Inbound, Reply } from './types.js';

export { MAIN_FLOW, type TurnNote } from './turn.js';

/** The outcome of one turn. `session` null means: delete it (forget, or nothing to keep). */
export interface StepResult {
  session: Session | null;
  reply: Reply;
  notes: TurnNote[];
  /** What the engine read in typed text (for `lantern chat --json` and `lantern explain`); never stored or logged. */
  reading?: TextReading;
}

/** The parts of a reading the engine reports. */
export interface TextReading {
  concepts: { id: string; words: string[] }[];
  answer?: 'yes' | 'no' | 'unsure';
}

/** What the engine needs; all of it is built once per content load. */
export interface EngineOptions {
  content: Content;
  registry: Registry;
  translator: Translator;
  hotlines: HotlineReplies;
  /** Country codes a user may pick (the hotline directory's). */
  countries: readonly string[];
  defaults: { language: string; country?: string };
  /**
   * The engine this one replaces (a content reload): conversations it was running keep their version
   * of the flows until they reach the main menu. See PREVIOUS_VERSIONS and `keepVersionsFor`.
   */
  previous?: Engine;
  /** How long a previous version of the flows is kept after the last turn that ran on it (default: a day, the default session TTL). */
  keepVersionsFor?: number;
  /** The time of the reload, epoch milliseconds (tests pass it; default now). */
  now?: number;
}

/** At most this many previous versions of the flows are kept besides the current one (each holds every compiled flow). */
export const PREVIOUS_VERSIONS = 3;
const DAY = 24 * 3_600_000;

/** A compiled conversation core. */
export interface Engine {
  step(session: Session | undefined, inbound: Inbound, now?: number): StepResult;
  /** Starts a new conversation directly in one flow (for `lantern chat --flow` and transcripts). */
  begin(inbound: Omit<Inbound, 'event'>, flow: string, now?: number): StepResult;
  /** True for an emergency word or command; needs no session (the store may be down). */
  isEmergency(inbound: Inbound): boolean;
  /** True for /forget, quick exit, a forget button or words read as forget; needs no session (forget is never rate limited). */
  asksToForget(inbound: Inbound): boolean;
  /** The emergency answer alone, for when the store or a flow is broken. */
  emergency(inbound: Inbound, session?: Session): Reply;
  /** The polite "slow down" answer for a conversation over its rate limit. */
  rateLimited(inbound: Inbound): Reply;
  /** A kind apology with the hotline, for a turn that failed. */
  failure(inbound: Inbound, session?: Session): Reply;
  flows: ReadonlyMap<string, CompiledFlow>;
  /** The version of the current flows (stored in each session, see Session.version). */
  version: string;
  /** The versions of the flows kept for conversations that started on them, current first (for the next reload). */
  versions(): readonly FlowSet[];
  /** What the understanding module reads in one message (for `lantern explain`). */
  read(text: string, language: string): Reading;
  /** Builds what typed text is read with now rather than at the first typed message (takes about a second). */
  warm(): void;
}

/**
 * The understanding index is built on first use: it takes about half a second (every language's
 * lists and country names), which would otherwise delay every start, `--help` and test file.
 * Content read from the content cache brings the index built (withUnderstandingIndex), so a start only reads it back.
 * The classifier of the example messages comes trained with the content (content-cache.ts keeps it).
 */
function lazyUnderstanding(content: Content): Understanding & { warm(): void } {
  let built: Understanding | undefined;
  const { files, rules, countries, exampleModel, index } = content.understanding;
  const get = () => (built ??= createUnderstanding(files, rules, countries, exampleModel, index));
  return { read: (text, language) => get().read(text, language), warm: () => void get() };
}

/** The version of a set of flows: a hash of every flow file's own hash. */
function versionOf(content: Content): string {
  const hash = createHash('sha256');
  for (const def of [...content.flows.values()].sort((a, b) => a.id.localeCompare(b.id))) hash.update(`${def.id}:${def.version}\n`);
  return hash.digest('base64url').slice(0, 12);
}

/** Compiles every flow once and returns the turn function. */
export function createEngine(options: EngineOptions): Engine {
  const { content, registry, translator: tr, hotlines, defaults, countries } = options;
  const flows = new Map<string, CompiledFlow>();
  for (const def of content.flows.values()) flows.set(def.id, compileFlow(def, registry, content.indicators));
  const now = options.now ?? Date.now();
  const keepFor = options.keepVersionsFor ?? DAY;
  const current: FlowSet = { id: versionOf(content), flows, lastUsed: now };
  // Previous versions still in use (a turn ran on one within keepFor), newest use first, at most PREVIOUS_VERSIONS.
  const retained = new Map<string, FlowSet>(
    (options.previous?.versions() ?? [])
      .filter((v) => v.id !== current.id && now - v.lastUsed <= keepFor)
      .sort((a, b) => b.lastUsed - a.lastUsed)
      .slice(0, PREVIOUS_VERSIONS)
      .map((v) => [v.id, v]),
  );
  /** The flows a session runs on: its own version while it is kept, else the current one. */
  const pinned = (session: Session | undefined, at: number): FlowSet => {
    const kept = session ? retained.get(session.version) : undefined;
    if (kept && at - kept.lastUsed <= keepFor) {
      kept.lastUsed = Math.max(kept.lastUsed, at);
      return kept;
    }
    if (kept) retained.delete(kept.id);
    current.lastUsed = Math.max(current.lastUsed, at);
    return current;
  };
  const understanding = lazyUnderstanding(content);
  const parts: EngineParts = {
    content,
    registry,
    tr,
    hotlines,
    flows,
    current,
    countries,
    countrySet: new Set(countries),
    defaults,
    understanding,
    notChatLanguages: new Map(
      content.understanding.files.flatMap((f) =>
        f.chat === false && f.notice ? [[f.language, { name: f.name ?? f.language, notice: f.notice }] as const] : [],
      ),
    ),
    ...createLookups(tr, hotlines),
  };
  const reply = (turn: Turn): Reply => ({ messages: turn.out, language: lang(turn), direction: tr.direction(lang(turn)) });
  const result = (turn: Turn): StepResult => ({
    session: turn.forget ? null : turn.s,
    reply: reply(turn),
    notes: turn.notes,
    ...(turn.reading
      ? {
          reading: {
            concepts: turn.reading.concepts.map((c) => ({ id: c.id, words: c.words })),
            ...(turn.reading.answer ? { answer: turn.reading.answer } : {}),
          },
        }
      : {}),
  });

  return {
    flows,
    version: current.id,
    versions: () => [current, ...retained.values()],
    warm: understanding.warm,
    read: (text, language) => readText(parts, language, text),
    step(previous, inbound, now = Date.now()) {
      const isNew = previous === undefined;
      const flowsOf = pinned(previous, now);
      const turn: Turn = {
        s: previous ? { ...previous, ctx: { ...previous.ctx } } : freshSession(parts, inbound, now),
        out: [],
        notes: [],
        forget: false,
        flows: flowsOf,
      };
      turn.s.turns += 1;
      turn.s.seen = now;
      const event = inbound.event;
      // A saved state that vanished after a flow edit: apologise and restart (at the main menu when the
      // session's version of the flows is no longer kept, else that flow).
      if (!isNew && turn.s.flow && !restore(parts, turn) && event.type !== 'start' && event.type !== 'command') {
        if (event.type === 'text' && textIsEmergency(parts, lang(turn), event.text)) emergencyInto(parts, turn);
        else if (turn.s.version !== flowsOf.id) restartAtMenu(parts, turn);
        else restart(parts, turn);
        return result(turn);
      }
      switch (event.type) {
        case 'start':
          onStart(parts, turn, event.payload, isNew);
          break;
        case 'command':
          onCommand(parts, turn, event.command, event.args);
          break;
        case 'text': {
          if (!isNew) {
            onText(parts, turn, event.text);
            break;
          }
          // A first message is read once: an emergency is answered, a pasted job ad gets the menu and
          // "Check this ad?", anything else the menu alone.
          const reading = readText(parts, lang(turn), event.text);
          enter(parts, turn, MAIN_FLOW, undefined);
          if (reading.emergency) onText(parts, turn, event.text, reading);
          else {
            turn.reading = reading;
            offerAdCheck(parts, turn, event.text.slice(0, MAX_TEXT));
          }
          break;
        }
        case 'choice':
          if (isNew) {
            turn.out.push(text(parts, turn, 'system.expired'));
            enter(parts, turn, MAIN_FLOW, undefined);
          } else onChoice(parts, turn, event.id);
          break;
        case 'unsupported':
          turn.notes.push({ type: 'intent', intent: 'unsupported' });
          turn.out.push(text(parts, turn, 'system.unsupported'), dangerLine(parts, turn));
          if (isNew) enter(parts, turn, MAIN_FLOW, undefined);
          else reprompt(parts, turn);
          break;
      }
      return result(turn);
    },
    begin(inbound, flow, now = Date.now()) {
      const turn: Turn = {
        s: freshSession(parts, { ...inbound, event: { type: 'start' } }, now),
        out: [],
        notes: [],
        forget: false,
        flows: pinned(undefined, now),
      };
      // A flow with params tried on its own (`lantern chat --flow fact_topic`) takes the first allowed value of each; its return leads to the main menu.
      const declared = Object.entries(turn.flows.flows.get(flow)?.def.params ?? {});
      const first = declared.flatMap(([name, p]) => {
        const value = p.values?.[0] ?? (p.kind === 'country' ? turn.s.ctx.country : p.kind === 'language' ? turn.s.ctx.language : undefined);
        return value ? [[name, value] as const] : [];
      });
      if (first.length) turn.s.ctx = { ...turn.s.ctx, params: Object.fromEntries(first) };
      enter(parts, turn, flow, undefined, 0, first.length > 0);
      return result(turn);
    },
    isEmergency(inbound) {
      const e = inbound.event;
      if (e.type === 'command') return EMERGENCY_COMMANDS.includes(e.command.toLowerCase());
      if (e.type !== 'text') return false;
      return textIsEmergency(parts, tr.negotiate(inbound.languageHint) ?? defaults.language, e.text);
    },
    asksToForget: (inbound) => asksToForget(parts, inbound, tr.negotiate(inbound.languageHint) ?? defaults.language),
    emergency: (inbound, session) => emergencyReply(parts, inbound, session),
    rateLimited: (inbound) => rateLimitedReply(parts, inbound),
    failure: (inbound, session) => failureReply(parts, inbound, session),
  };
}
