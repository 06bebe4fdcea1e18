/**
 * What every part of the engine shares: the pieces built once per content load (`EngineParts`)
 * and the mutable record of the one turn being computed (`Turn`). The parts are plain functions
 * over these two, so each job (running a flow, prompts, input, intents) lives in its own file.
 */
import type { AnyStateMachine } from 'xstate';
import type { FlowDef, StateDef } from '../flows/index.js';
import type { Content } from '../content/index.js';
import type { Translator } from '../i18n/index.js';
import type { Reading, Understanding } from '../understanding/index.js';
import type { Registry } from './action-registry.js';
import type { CompiledFlow } from './compile-flow.js';
import type { FlowContext } from './flow-context.js';
import type { HotlineReplies } from './hotline-replies.js';
import type { Session } from './session.js';
import { normalize } from './text-match.js';
import type { Outbound } from './types.js';

/** The flow every conversation starts in and `/menu` returns to. */
export const MAIN_FLOW = 'main';

/** Anonymous things a turn did, for metrics. Never text, never ids. */
export type TurnNote =
  | { type: 'visit'; flow: string; state: string }
  | {
      type: 'intent';
      intent: 'emergency' | 'menu' | 'help' | 'language' | 'forget' | 'expired' | 'not_understood' | 'unsupported' | 'restarted' | 'unknown_command';
    }
  | { type: 'hotline'; country: string }
  | { type: 'action'; name: string; detail?: string };

/** One version of the flows, compiled together (a session runs on one until its next main menu). */
export interface FlowSet {
  /** Content hash of every flow file of the version. */
  id: string;
  flows: ReadonlyMap<string, CompiledFlow>;
  /** The last turn that ran on it (epoch milliseconds): a previous version nobody uses is retired. */
  lastUsed: number;
}

/** A machine snapshot the session rests in. */
export type Restored = { compiled: CompiledFlow; snapshot: ReturnType<AnyStateMachine['resolveState']> };

/** Mutable state of the turn being computed; created per turn, never shared. */
export interface Turn {
  s: Session;
  out: Outbound[];
  notes: TurnNote[];
  forget: boolean;
  /** What the understanding module read in this turn's typed text (never stored). */
  reading?: Reading;
  /** The last restore, reused while the session has not moved. */
  restored?: { flow: string | null; state: string | null; ctx: FlowContext; flows: FlowSet; result: Restored | undefined };
  /** Flow actions carried out so far in this turn (bounded: see MAX_TURN_STEPS). */
  steps?: number;
  /** The version of the flows this turn runs on: the session's, until it reaches the main menu. */
  flows: FlowSet;
}

/** Everything built once per content load that the turn functions read (plus caches filled lazily). */
export interface EngineParts {
  content: Content;
  registry: Registry;
  tr: Translator;
  hotlines: HotlineReplies;
  /** The current version of the flows (what new conversations and the main menu run on). */
  flows: ReadonlyMap<string, CompiledFlow>;
  current: FlowSet;
  countries: readonly string[];
  countrySet: ReadonlySet<string>;
  defaults: { language: string; country?: string };
  /** Reads typed text: concepts, the emergency verdict, intents, answers, places. */
  understanding: Understanding;
  /** Languages we recognise emergencies in but do not chat in yet: their name and one-line notice. */
  notChatLanguages: ReadonlyMap<string, { name: string; notice: string }>;
  /** A button label as typed text is compared with it, normalized once per language. */
  normalizedLabel(lng: string, key: string, vars: Record<string, string>): string;
  /** Variables every text may use; computed once per language and country, not per message. */
  varsOf(turn: Turn): Record<string, string>;
}

/** The language the turn speaks. */
export const lang = (turn: Turn): string => turn.s.ctx.language;

/** One translated text message in the turn's language. */
export function text(parts: EngineParts, turn: Turn, key: string, vars?: Record<string, unknown>): Outbound {
  const all = vars ? { ...parts.varsOf(turn), ...vars } : parts.varsOf(turn);
  return { type: 'text', key, text: parts.tr.t(lang(turn), key, all) };
}

/** A flow of the version the turn runs on. */
export function compiledOf(turn: Turn, flow: string | null | undefined): CompiledFlow | undefined {
  return flow ? turn.flows.flows.get(flow) : undefined;
}

/** A flow's definition in the version the turn runs on. */
export function flowOf(turn: Turn, flow: string | null | undefined): FlowDef | undefined {
  return compiledOf(turn, flow)?.def;
}

/** The state definition a session names, if it still exists in the version the turn runs on. */
export function stateDef(turn: Turn, flow: string | null, state: string | null): StateDef | undefined {
  return stateIn(turn.flows, flow, state);
}

/** A state of one version of the flows, if it exists. */
export function stateIn(set: FlowSet, flow: string | null, state: string | null): StateDef | undefined {
  return flow && state ? set.flows.get(flow)?.def.states[state] : undefined;
}

/** True for steps where a conversation waits for the user (questions and screening). */
export function waits(state: StateDef): state is Extract<StateDef, { ask: string } | { screening: string }> {
  return 'ask' in state || 'screening' in state;
}

/** The caches behind `EngineParts`' lookups, bounded so that odd input cannot grow them forever. */
export function createLookups(tr: Translator, hotlines: HotlineReplies): Pick<EngineParts, 'normalizedLabel' | 'varsOf'> {
  const labels = new Map<string, string>();
  const vars = new Map<string, Record<string, string>>();
  return {
    normalizedLabel(lng, key, values) {
      const cacheKey = `${lng}\u0000${key}\u0000${values.country ?? ''}`;
      let label = labels.get(cacheKey);
      if (label === undefined) {
        label = normalize(tr.t(lng, key, values));
        if (labels.size < 50_000) labels.set(cacheKey, label);
      }
      return label;
    },
    varsOf(turn) {
      const key = `${lang(turn)}:${turn.s.ctx.country ?? ''}`;
      let found = vars.get(key);
      if (!found) {
        found = { country: turn.s.ctx.country ? hotlines.countryName(lang(turn), turn.s.ctx.country) : '', language: tr.nativeName(lang(turn)) };
        if (vars.size < 10_000) vars.set(key, found);
      }
      return found;
    },
  };
}
