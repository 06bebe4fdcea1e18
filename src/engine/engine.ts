/** The conversation core: one turn is a pure step `(session, inbound) -> (session, reply)`. */
import type { AnyStateMachine } from 'xstate';
import { transition } from 'xstate';
import type { Content, FlowDef, StateDef } from '../flows/index.js';
import type { Translator } from '../i18n/index.js';
import type { Registry } from './action-registry.js';
import { compileFlow, handoverOf, type CompiledFlow } from './compile-flow.js';
import type { FlowContext, FlowEvent } from './flow-context.js';
import { intlLocale, type HotlineReplies } from './hotline-replies.js';
import type { Session } from './session.js';
import { isKeyword, keywordSet, mentionsKeyword, normalize } from './text-match.js';
import { questionsFor, scoreScreening } from '../screening/index.js';
import type { Choice, Inbound, Outbound, Reply } from './types.js';

/** The flow every conversation starts in and `/menu` returns to. */
export const MAIN_FLOW = 'main';
/** Typed text longer than this is cut (with a note): nobody needs more to describe a job offer. */
export const MAX_TEXT = 3000;
/** Guards against flows that hand over to each other forever. */
const MAX_HOPS = 16;

/** Anonymous things a turn did, for metrics. Never text, never ids. */
export type TurnNote =
  | { type: 'visit'; flow: string; state: string }
  | { type: 'intent'; intent: 'emergency' | 'menu' | 'help' | 'language' | 'forget' | 'expired' | 'not_understood' | 'unsupported' | 'restarted' | 'unknown_command' }
  | { type: 'hotline'; country: string }
  | { type: 'action'; name: string; detail?: string };

/** The outcome of one turn. `session` null means: delete it (forget, or nothing to keep). */
export interface StepResult {
  session: Session | null;
  reply: Reply;
  notes: TurnNote[];
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
}

/** A compiled conversation core. */
export interface Engine {
  step(session: Session | undefined, inbound: Inbound, now?: number): StepResult;
  /** Starts a new conversation directly in one flow (for `lantern chat --flow` and transcripts). */
  begin(inbound: Omit<Inbound, 'event'>, flow: string, now?: number): StepResult;
  /** True for an emergency word or command; needs no session (the store may be down). */
  isEmergency(inbound: Inbound): boolean;
  /** The emergency answer alone, for when the store or a flow is broken. */
  emergency(inbound: Inbound, session?: Session): Reply;
  /** The polite "slow down" answer for a conversation over its rate limit. */
  rateLimited(inbound: Inbound): Reply;
  /** A kind apology with the hotline, for a turn that failed. */
  failure(inbound: Inbound, session?: Session): Reply;
  flows: ReadonlyMap<string, CompiledFlow>;
}

/** Compiles every flow once and returns the turn function. */
export function createEngine(options: EngineOptions): Engine {
  const { content, registry, translator: tr, hotlines, defaults } = options;
  const flows = new Map<string, CompiledFlow>();
  for (const def of content.flows.values()) flows.set(def.id, compileFlow(def, registry, content.indicators));
  const countrySet = new Set(options.countries);
  const countryIndex = buildCountryIndex(options.countries, tr.languages);

  /** Mutable state of the turn being computed. */
  interface Turn {
    s: Session;
    out: Outbound[];
    notes: TurnNote[];
    forget: boolean;
    /** The last restore, reused while the session has not moved. */
    restored?: { flow: string | null; state: string | null; ctx: FlowContext; result: Restored | undefined };
  }
  type Restored = { compiled: CompiledFlow; snapshot: ReturnType<AnyStateMachine['resolveState']> };

  const lang = (turn: Turn) => turn.s.ctx.language;
  /** The words of an intent in a language plus English, normalized once per language. */
  const intentWords = new Map<string, string[]>();
  const wordsFor = (lng: string, intent: string): string[] => {
    const key = `${lng}:${intent}`;
    let words = intentWords.get(key);
    if (!words) intentWords.set(key, (words = keywordSet([...tr.list(lng, `intents.${intent}`), ...(lng === 'en' ? [] : tr.list('en', `intents.${intent}`))])));
    return words;
  };
  /** A button label as typed text is compared with it, normalized once per language. */
  const labelCache = new Map<string, string>();
  const normalizedLabel = (lng: string, key: string, vars: Record<string, string>): string => {
    const cacheKey = `${lng}\u0000${key}\u0000${vars.country ?? ''}`;
    let label = labelCache.get(cacheKey);
    if (label === undefined) {
      label = normalize(tr.t(lng, key, vars));
      if (labelCache.size < 50_000) labelCache.set(cacheKey, label);
    }
    return label;
  };
  const text = (turn: Turn, key: string, vars?: Record<string, unknown>): Outbound => ({ type: 'text', key, text: tr.t(lang(turn), key, vars ? { ...varsOf(turn), ...vars } : varsOf(turn)) });
  /** Variables every text may use; computed once per language and country, not per message. */
  const varsCache = new Map<string, Record<string, string>>();
  const varsOf = (turn: Turn) => {
    const key = `${lang(turn)}:${turn.s.ctx.country ?? ''}`;
    let vars = varsCache.get(key);
    if (!vars) {
      vars = { country: turn.s.ctx.country ? hotlines.countryName(lang(turn), turn.s.ctx.country) : '', language: tr.nativeName(lang(turn)) };
      if (varsCache.size < 10_000) varsCache.set(key, vars);
    }
    return vars;
  };
  const stateDef = (flow: string | null, state: string | null): StateDef | undefined => (flow && state ? content.flows.get(flow)?.states[state] : undefined);

  /** The question and buttons of an ask state. */
  const prompt = (turn: Turn, flow: FlowDef, name: string): Outbound[] => {
    const state = flow.states[name];
    const id = (choice: string) => `${flow.id}/${name}/${choice}`;
    if (state && 'screening' in state) {
      const question = screeningQuestion(turn);
      if (!question) return [];
      const progress = scoreScreening(content.indicators, turn.s.ctx.answers);
      return [
        {
          type: 'choices',
          key: question.question,
          text: `${tr.t(lang(turn), 'screening.progress', { current: progress.answered + 1, total: progress.total })}\n${tr.t(lang(turn), question.question, varsOf(turn))}`,
          choices: question.answers.map((a) => ({ id: id(`${question.id}:${a.id}`), label: tr.t(lang(turn), `screening.answer.${a.id}`) })),
        },
      ];
    }
    if (!state || !('ask' in state)) return [];
    const question = tr.t(lang(turn), state.ask, varsOf(turn));
    if ('choices' in state) {
      return [{ type: 'choices', key: state.ask, text: question, choices: state.choices.map((c) => ({ id: id(c.id), label: tr.t(lang(turn), c.label, varsOf(turn)) })) }];
    }
    if ('options' in state) {
      const choices: Choice[] =
        state.options === 'languages'
          ? tr.languages.map((l) => ({ id: id(`=${l}`), label: tr.nativeName(l) }))
          : suggestedCountries(turn).map((c) => ({ id: id(`=${c}`), label: hotlines.countryName(lang(turn), c) }));
      return [{ type: 'choices', key: state.ask, text: question, choices }];
    }
    return [{ type: 'text', key: (state as { ask: string }).ask, text: question }];
  };

  /** The screening question to ask next, given the answers so far. */
  const screeningQuestion = (turn: Turn) => {
    const next = questionsFor(content.indicators, turn.s.ctx.answers)[0];
    return next === undefined ? undefined : content.indicators.find((i) => i.id === next);
  };

  const suggestedCountries = (turn: Turn): string[] => {
    const list = [turn.s.ctx.country, ...options.countries.filter((c) => content.hotlines.countries[c]?.languages.includes(lang(turn)))].filter(
      (c): c is string => !!c,
    );
    return [...new Set(list)].slice(0, 6);
  };

  /** Runs the machine's actions, in order, into messages. */
  const perform = (turn: Turn, flow: FlowDef, actions: { type: string; params: unknown; info: { context: unknown; event: unknown } }[]) => {
    for (const action of actions) {
      const params = (action.params ?? {}) as Record<string, unknown>;
      const context = action.info.context as FlowContext;
      if (action.type === 'say') {
        turn.out.push({ type: 'text', key: params.key as string, text: tr.t(context.language, params.key as string, varsOf(turn)) });
      } else if (action.type === 'prompt') {
        turn.s.ctx = context;
        turn.out.push(...prompt(turn, flow, params.state as string));
      } else {
        const def = registry.actions[action.type];
        if (!def?.show) continue;
        const event = action.info.event as FlowEvent;
        const shown = def.show({ context, params, ...(event.type === 'user.text' ? { text: event.text } : {}) });
        for (const m of shown) if (m.type === 'forget') turn.forget = true;
        turn.out.push(...shown);
        const detail = def.note?.({ context, params, ...(event.type === 'user.text' ? { text: event.text } : {}) });
        turn.notes.push({ type: 'action', name: action.type, ...(detail ? { detail } : {}) });
        if (action.type === 'showHotlines' && context.country) turn.notes.push({ type: 'hotline', country: context.country });
      }
    }
  };

  /** Applies a transition result, following handovers to other flows. */
  const settle = (turn: Turn, compiled: CompiledFlow, snapshot: ReturnType<AnyStateMachine['resolveState']>, hops: number) => {
    turn.s.ctx = snapshot.context as FlowContext;
    if (snapshot.status === 'done') {
      const handover = handoverOf(snapshot.value);
      if (!handover || handover.end) {
        turn.s.flow = null;
        turn.s.state = null;
        turn.out.push({ type: 'end' });
        return;
      }
      enter(turn, handover.flow, handover.state, hops + 1);
      return;
    }
    turn.s.flow = compiled.def.id;
    turn.s.version = compiled.def.version;
    turn.s.state = String(snapshot.value);
    turn.notes.push({ type: 'visit', flow: compiled.def.id, state: turn.s.state });
  };

  const enter = (turn: Turn, flowId: string, state: string | undefined, hops = 0): void => {
    const compiled = flows.get(flowId);
    if (!compiled || hops > MAX_HOPS) throw new Error(`flow handover failed (${compiled ? 'too many hops' : 'unknown flow'})`);
    const machine = compiled.machine;
    const start = machine.resolveState({ value: '__idle', context: turn.s.ctx });
    const [next, actions] = transition(machine, start, { type: 'flow.enter', state: state ?? compiled.def.start });
    perform(turn, compiled.def, actions as never);
    settle(turn, compiled, next, hops);
  };

  /** The machine snapshot the session rests in, or undefined when it cannot be restored. */
  const restore = (turn: Turn): Restored | undefined => {
    const memo = turn.restored;
    if (memo && memo.flow === turn.s.flow && memo.state === turn.s.state && memo.ctx === turn.s.ctx) return memo.result;
    const result = restoreUncached(turn);
    turn.restored = { flow: turn.s.flow, state: turn.s.state, ctx: turn.s.ctx, result };
    return result;
  };
  const restoreUncached = (turn: Turn): Restored | undefined => {
    const { flow, state } = turn.s;
    if (!flow || !state) return undefined;
    const compiled = flows.get(flow);
    const def = stateDef(flow, state);
    if (!compiled || !def || !waits(def)) return undefined;
    try {
      return { compiled, snapshot: compiled.machine.resolveState({ value: state, context: turn.s.ctx }) };
    } catch {
      return undefined;
    }
  };

  /** Sends an event to the flow the session rests in; a state that vanished after an edit restarts the flow. */
  const send = (turn: Turn, event: FlowEvent): boolean => {
    const restored = restore(turn);
    if (!restored) {
      restart(turn);
      return false;
    }
    const [next, actions] = transition(restored.compiled.machine, restored.snapshot, event);
    if (next.value === restored.snapshot.value && actions.length === 0) return false;
    perform(turn, restored.compiled.def, actions as never);
    settle(turn, restored.compiled, next, 0);
    return true;
  };

  const restart = (turn: Turn) => {
    turn.notes.push({ type: 'intent', intent: 'restarted' });
    turn.out.push(text(turn, 'system.restarted'));
    const flow = turn.s.flow && flows.has(turn.s.flow) ? turn.s.flow : MAIN_FLOW;
    turn.s.flow = null;
    turn.s.state = null;
    enter(turn, flow, undefined);
  };

  /** Shows the current question again (after help, an expired button, an emergency answer...). */
  const reprompt = (turn: Turn) => {
    const flow = turn.s.flow ? content.flows.get(turn.s.flow) : undefined;
    if (flow && turn.s.state && restore(turn)) turn.out.push(...prompt(turn, flow, turn.s.state));
    else if (turn.s.flow) restart(turn);
    else enter(turn, MAIN_FLOW, undefined);
  };

  const emergencyInto = (turn: Turn) => {
    turn.notes.push({ type: 'intent', intent: 'emergency' });
    turn.out.push(...hotlines.emergency(lang(turn), turn.s.ctx.country));
    if (turn.s.ctx.country) {
      turn.notes.push({ type: 'hotline', country: turn.s.ctx.country });
      reprompt(turn);
    } else if (flows.has('country')) {
      enter(turn, 'country', undefined);
    } else {
      reprompt(turn);
    }
  };

  const onText = (turn: Turn, raw: string) => {
    let input = raw;
    if (input.length > MAX_TEXT) {
      input = input.slice(0, MAX_TEXT);
      turn.out.push(text(turn, 'system.cut', { max: MAX_TEXT }));
    }
    const l = lang(turn);
    if (mentionsKeyword(input, wordsFor(l, 'emergency'))) return emergencyInto(turn);
    for (const intent of ['menu', 'language', 'forget'] as const) {
      if (isKeyword(input, wordsFor(l, intent))) return onCommand(turn, intent, undefined);
    }
    const state = stateDef(turn.s.flow, turn.s.state);
    if (!state || !waits(state)) {
      if (turn.s.flow) return restart(turn);
      return enter(turn, MAIN_FLOW, undefined);
    }
    if ('screening' in state) {
      const question = screeningQuestion(turn);
      const answer = question && matchChoice(turn, question.answers.map((a) => ({ id: a.id, label: `screening.answer.${a.id}` })), input);
      if (question && answer?.type === 'user.choice' && send(turn, { type: 'user.choice', choice: `${question.id}:${answer.choice}` })) return;
      turn.notes.push({ type: 'intent', intent: 'not_understood' });
      turn.out.push(text(turn, 'system.not_understood'));
      return reprompt(turn);
    }
    if ('input' in state) {
      send(turn, { type: 'user.text', text: input });
      return;
    }
    const event = 'choices' in state ? matchChoice(turn, state.choices, input) : matchOption(turn, state.options, input);
    if (event && send(turn, event)) return;
    turn.notes.push({ type: 'intent', intent: 'not_understood' });
    turn.out.push(text(turn, 'system.not_understood'));
    reprompt(turn);
  };

  const matchChoice = (turn: Turn, choices: { id: string; label: string }[], input: string): FlowEvent | undefined => {
    const n = normalize(input);
    const number = /^\d{1,2}$/.test(n) ? Number(n) : NaN;
    if (number >= 1 && number <= choices.length) return { type: 'user.choice', choice: choices[number - 1]!.id };
    const byLabel = choices.find((c) => normalizedLabel(lang(turn), c.label, varsOf(turn)) === n || normalizedLabel('en', c.label, varsOf(turn)) === n);
    if (byLabel) return { type: 'user.choice', choice: byLabel.id };
    // Typed yes / no / not sure answer the buttons with those ids, in the user's language.
    for (const answer of ['yes', 'no', 'unsure']) {
      if (choices.some((c) => c.id === answer) && isKeyword(input, wordsFor(lang(turn), answer))) {
        return { type: 'user.choice', choice: answer };
      }
    }
    return undefined;
  };

  const matchOption = (turn: Turn, kind: 'languages' | 'countries', input: string): FlowEvent | undefined => {
    const n = normalize(input);
    const shown = prompt(turn, content.flows.get(turn.s.flow!)!, turn.s.state!)[0];
    const buttons = shown && shown.type === 'choices' ? shown.choices : [];
    const number = /^\d{1,2}$/.test(n) ? Number(n) : NaN;
    if (number >= 1 && number <= buttons.length) return { type: 'user.option', value: buttons[number - 1]!.id.split('/=')[1]! };
    if (kind === 'languages') {
      const hit = tr.languages.find((l) => normalize(tr.nativeName(l)) === n || normalize(l) === n || tr.negotiate(input.trim()) === l);
      return hit ? { type: 'user.option', value: hit } : undefined;
    }
    const cc = countryIndex.get(n) ?? (countrySet.has(input.trim().toUpperCase()) ? input.trim().toUpperCase() : undefined);
    return cc ? { type: 'user.option', value: cc } : undefined;
  };

  const onChoice = (turn: Turn, id: string) => {
    const [flow, state, choice, ...rest] = id.split('/');
    const def = stateDef(turn.s.flow, turn.s.state);
    const valid = rest.length === 0 && flow === turn.s.flow && state === turn.s.state && choice && def && waits(def);
    let event: FlowEvent | undefined;
    if (valid && 'screening' in def) {
      // Only an answer to the question being asked now counts; an older question's button has expired.
      const [indicator, answer] = choice.split(':');
      const question = screeningQuestion(turn);
      if (question && question.id === indicator && question.answers.some((a) => a.id === answer)) event = { type: 'user.choice', choice };
    } else if (valid && choice.startsWith('=') && 'options' in def) {
      const value = choice.slice(1);
      const allowed = def.options === 'languages' ? tr.languages.includes(value) : countrySet.has(value);
      if (allowed) event = { type: 'user.option', value };
    } else if (valid && 'choices' in def && def.choices.some((c) => c.id === choice)) {
      event = { type: 'user.choice', choice };
    }
    if (event && send(turn, event)) return;
    turn.notes.push({ type: 'intent', intent: 'expired' });
    turn.out.push(text(turn, 'system.expired'));
    reprompt(turn);
  };

  const onStart = (turn: Turn, payload: string | undefined, isNew: boolean) => {
    const link = parseDeepLink(payload, (l) => tr.negotiate(l), countrySet);
    if (link.country) turn.s.ctx = { ...turn.s.ctx, country: link.country };
    if (link.language && !turn.s.ctx.languageChosen) turn.s.ctx = { ...turn.s.ctx, language: link.language };
    if (!isNew) turn.s = { ...turn.s, flow: null, state: null };
    enter(turn, MAIN_FLOW, undefined);
  };

  const onCommand = (turn: Turn, command: string, args: string | undefined) => {
    switch (command.toLowerCase()) {
      case 'start':
        return onStart(turn, args, false);
      case 'menu':
        turn.notes.push({ type: 'intent', intent: 'menu' });
        return enter(turn, MAIN_FLOW, content.flows.get(MAIN_FLOW)?.states.menu ? 'menu' : undefined);
      case 'language':
        turn.notes.push({ type: 'intent', intent: 'language' });
        return flows.has('language') ? enter(turn, 'language', undefined) : reprompt(turn);
      case 'country':
        return flows.has('country') ? enter(turn, 'country', undefined) : reprompt(turn);
      case 'help':
        turn.notes.push({ type: 'intent', intent: 'help' });
        turn.out.push(text(turn, 'system.help'));
        return reprompt(turn);
      case 'sos':
      case 'emergency':
      case 'hotline':
        return emergencyInto(turn);
      case 'forget':
      case 'stop':
        turn.notes.push({ type: 'intent', intent: 'forget' });
        turn.out.push(text(turn, 'system.forgotten'), { type: 'forget' });
        turn.forget = true;
        return;
      default:
        turn.notes.push({ type: 'intent', intent: 'unknown_command' });
        turn.out.push(text(turn, 'system.unknown_command'));
        return reprompt(turn);
    }
  };

  const fresh = (inbound: Inbound, now: number): Session => {
    const language = tr.negotiate(inbound.languageHint) ?? tr.negotiate(defaults.language) ?? 'en';
    const hinted = inbound.countryHint?.toUpperCase();
    const country = hinted && countrySet.has(hinted) ? hinted : defaults.country;
    return { v: 1, flow: null, version: '', state: null, ctx: { language, ...(country ? { country } : {}), answers: {}, factCursor: 0 }, turns: 0, seen: now };
  };

  const reply = (turn: Turn): Reply => ({ messages: turn.out, language: lang(turn), direction: tr.direction(lang(turn)) });

  return {
    flows,
    step(previous, inbound, now = Date.now()) {
      const isNew = previous === undefined;
      const turn: Turn = { s: previous ? { ...previous, ctx: { ...previous.ctx } } : fresh(inbound, now), out: [], notes: [], forget: false };
      turn.s.turns += 1;
      turn.s.seen = now;
      const event = inbound.event;
      // A saved state that vanished after a flow edit: apologise and restart that flow first.
      if (!isNew && turn.s.flow && !restore(turn) && event.type !== 'start' && event.type !== 'command') {
        if (event.type === 'text' && mentionsKeyword(event.text.slice(0, MAX_TEXT), wordsFor(lang(turn), 'emergency'))) emergencyInto(turn);
        else restart(turn);
        return { session: turn.s, reply: reply(turn), notes: turn.notes };
      }
      switch (event.type) {
        case 'start':
          onStart(turn, event.payload, isNew);
          break;
        case 'command':
          onCommand(turn, event.command, event.args);
          break;
        case 'text':
          if (isNew) enter(turn, MAIN_FLOW, undefined);
          if (!isNew || mentionsKeyword(event.text.slice(0, MAX_TEXT), wordsFor(lang(turn), 'emergency'))) onText(turn, event.text);
          break;
        case 'choice':
          if (isNew) {
            turn.out.push(text(turn, 'system.expired'));
            enter(turn, MAIN_FLOW, undefined);
          } else onChoice(turn, event.id);
          break;
        case 'unsupported':
          turn.notes.push({ type: 'intent', intent: 'unsupported' });
          turn.out.push(text(turn, 'system.unsupported'));
          if (isNew) enter(turn, MAIN_FLOW, undefined);
          else reprompt(turn);
          break;
      }
      return { session: turn.forget ? null : turn.s, reply: reply(turn), notes: turn.notes };
    },
    begin(inbound, flow, now = Date.now()) {
      const turn: Turn = { s: fresh({ ...inbound, event: { type: 'start' } }, now), out: [], notes: [], forget: false };
      enter(turn, flow, undefined);
      return { session: turn.s, reply: reply(turn), notes: turn.notes };
    },
    isEmergency(inbound) {
      const e = inbound.event;
      if (e.type === 'command') return ['sos', 'emergency', 'hotline'].includes(e.command.toLowerCase());
      if (e.type !== 'text') return false;
      const l = tr.negotiate(inbound.languageHint) ?? defaults.language;
      return mentionsKeyword(e.text.slice(0, MAX_TEXT), wordsFor(l, 'emergency'));
    },
    emergency(inbound, session) {
      const s = session ?? fresh(inbound, 0);
      return { messages: hotlines.emergency(s.ctx.language, s.ctx.country), language: s.ctx.language, direction: tr.direction(s.ctx.language) };
    },
    rateLimited(inbound) {
      const l = tr.negotiate(inbound.languageHint) ?? defaults.language;
      return { messages: [{ type: 'text', key: 'system.rate_limited', text: tr.t(l, 'system.rate_limited') }], language: l, direction: tr.direction(l) };
    },
    failure(inbound, session) {
      const s = session ?? fresh(inbound, 0);
      const l = s.ctx.language;
      return {
        messages: [{ type: 'text', key: 'system.error', text: tr.t(l, 'system.error') }, ...hotlines.emergency(l, s.ctx.country)],
        language: l,
        direction: tr.direction(l),
      };
    },
  };
}

/** True for steps where a conversation waits for the user (questions and screening). */
function waits(state: StateDef): state is Extract<StateDef, { ask: string } | { screening: string }> {
  return 'ask' in state || 'screening' in state;
}

/** Reads a deep link such as `md_ro`, `br_pt-BR`, `ua` or `_uk`; unknown parts are ignored. */
export function parseDeepLink(
  payload: string | undefined,
  negotiate: (language: string) => string | undefined,
  countries: ReadonlySet<string>,
): { country?: string; language?: string } {
  if (!payload) return {};
  const [countryPart = '', languagePart = ''] = payload.trim().split('_', 2);
  const country = countryPart.toUpperCase();
  const language = languagePart ? negotiate(languagePart) : undefined;
  return { ...(countries.has(country) ? { country } : {}), ...(language ? { language } : {}) };
}

/** Country names in every shipped language (and English), normalized, to read a typed country. */
function buildCountryIndex(countries: readonly string[], languages: readonly string[]): Map<string, string> {
  const index = new Map<string, string>();
  // Shipped languages plus a few widely used ones: people often type a country in a language the bot does not speak.
  for (const lng of new Set(['en', ...languages.map(intlLocale), 'sr-Cyrl', 'fr', 'es', 'pt', 'ru', 'uk', 'ro', 'ar', 'de', 'it'])) {
    const names = new Intl.DisplayNames([lng], { type: 'region', fallback: 'code' });
    for (const cc of countries) {
      const name = names.of(cc);
      if (name) index.set(normalize(name), cc);
    }
  }
  for (const cc of countries) index.set(cc.toLowerCase(), cc);
  return index;
}
