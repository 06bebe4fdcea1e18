/** Compiles a flow definition (data) into an XState machine whose actions and guards are named. */
import { and, assign, setup, type AnyStateMachine } from 'xstate';
import { CONDITION_GUARD, refParts, type ActionRef, type Condition, type FlowDef, type GuardRef, type StateDef, type Target } from '../flows/index.js';
import type { Registry } from './action-registry.js';
import { conditionHolds, fillParams } from './conditions.js';
import { SKIP_CHOICE, type CountryField, type FlowContext, type FlowEvent } from './flow-context.js';
import { questionsFor, type Indicator } from '../screening/index.js';

/** The machine state a session waits in before entering a flow at a given state. */
const IDLE = '__idle';
/** Final states are named so the engine can read where the flow hands over. */
export const END_STATE = '__end';
const HANDOVER = '__to__';

/**
 * Where a finished machine hands over: another flow (and state), the end of the conversation, a
 * call of another flow (which comes back to `then`), or the return from a called flow.
 */
export type Handover =
  | { end: true }
  | { end: false; flow: string; state?: string }
  | { end: false; call: { flow: string; params: Record<string, string>; then: Target } }
  | { end: false; returns: string | true };

/**
 * Reads the handover from a finished machine: each final state carries it in its `meta`, so the
 * engine never parses state names. Undefined for a machine that is not done.
 */
export function handoverOf(snapshot: { status: string; getMeta(): Record<string, unknown> }): Handover | undefined {
  if (snapshot.status !== 'done') return undefined;
  for (const meta of Object.values(snapshot.getMeta())) {
    const handover = (meta as { handover?: Handover } | undefined)?.handover;
    if (handover) return handover;
  }
  return undefined;
}

/** A compiled flow: its definition and machine. */
export interface CompiledFlow {
  def: FlowDef;
  machine: AnyStateMachine;
}

/** Builds one machine; flows were validated before, so references resolve. */
export function compileFlow(flow: FlowDef, registry: Registry, indicators: readonly Indicator[] = []): CompiledFlow {
  const actionImpl: Record<string, unknown> = {
    say: () => {},
    prompt: () => {},
    setOption: assign(({ context, event }: { context: FlowContext; event: FlowEvent }, params: { option: 'languages' | 'countries'; sets?: CountryField }) => {
      if (event.type !== 'user.option') return context;
      const value = event.value;
      if (params.option === 'languages') return { ...context, language: value, languageChosen: true };
      // Three countries, never mixed up: each question sets only its own.
      if (params.sets === 'job') return { ...context, jobCountry: value };
      if (params.sets === 'home') return { ...context, home: value, homeAsked: true };
      return { ...context, country: value };
    }),
    // A skipped home question is not asked again; nothing else is kept.
    skipOption: assign(({ context }: { context: FlowContext }, params: { sets?: CountryField }) =>
      params.sets === 'home' ? { ...context, homeAsked: true } : context,
    ),
  };
  // Screening answers arrive as choice `indicator:answer`; they are the only answers kept.
  actionImpl.recordAnswer = assign(({ context, event }: { context: FlowContext; event: FlowEvent }) => {
    const answer = screeningAnswer(event);
    return answer ? { ...context, answers: { ...context.answers, [answer.indicator]: answer.answer } } : context;
  });
  actionImpl.resetAnswers = assign(({ context }: { context: FlowContext }) => ({ ...context, answers: {} }));
  for (const [name, def] of Object.entries(registry.actions)) {
    actionImpl[name] = () => {};
    if (def.update) {
      const update = def.update;
      actionImpl[`${name}:update`] = assign(({ context, event }: { context: FlowContext; event: FlowEvent }, params: Record<string, unknown>) => ({
        ...context,
        ...update({ context, params: params ?? {}, ...textOf(event) }),
      }));
    }
  }
  const guardImpl: Record<string, (args: { context: FlowContext; event: FlowEvent }, params: any) => boolean> = {
    choiceIs: ({ event }, params: { id: string }) => event.type === 'user.choice' && event.choice === params.id,
    enterAt: ({ event }, params: { state: string }) => event.type === 'flow.enter' && event.state === params.state,
    screeningDoneAfter: ({ context, event }) => {
      const answer = screeningAnswer(event);
      return answer !== undefined && questionsFor(indicators, { ...context.answers, [answer.indicator]: answer.answer }).length === 0;
    },
  };
  for (const [name, def] of Object.entries(registry.guards)) {
    guardImpl[name] = ({ context }, params) => def.check(context, params ?? {});
  }
  guardImpl[CONDITION_GUARD] = ({ context }, params: Condition) => conditionHolds(params, context);

  // One final state per place the flow hands over to; its meta says where (see handoverOf).
  const handovers = new Map<string, Handover>();
  const targetOf = (target: Target): string => {
    if (typeof target === 'string') return `#${flow.id}.${target}`; // also END_STATE
    const name = `${HANDOVER}${target.flow}${target.state ? `__${target.state}` : ''}`;
    handovers.set(name, { end: false, flow: target.flow, ...(target.state ? { state: target.state } : {}) });
    return `#${flow.id}.${name}`;
  };
  const actionsOf = (refs: ActionRef | ActionRef[] | undefined) =>
    (refs === undefined ? [] : Array.isArray(refs) ? refs : [refs]).flatMap((ref) => {
      const { name, params: written } = refParts(ref);
      const def = registry.actions[name];
      // `{topic}` in a parameter takes the value the caller gave this flow (xstate resolves params given as a function).
      const params = Object.values(written).some((v) => typeof v === 'string' && v.includes('{'))
        ? ({ context }: { context: FlowContext }) =>
            Object.fromEntries(Object.entries(written).map(([k, v]) => [k, typeof v === 'string' ? fillParams(v, context.params) : v]))
        : written;
      return [...(def?.update ? [{ type: `${name}:update`, params }] : []), { type: name, params }];
    });

  // Steps that never wait (say, action, goto, end) are followed at compile time: a transition
  // into one carries its actions and lands where the chain ends. Fewer eventless microsteps per
  // turn; the states stay in the machine so that every saved state still resolves.
  const go = (target: Target, depth = 0): Hop => {
    const state = typeof target === 'string' ? flow.states[target] : undefined;
    if (state && depth < MAX_INLINE && !('ask' in state) && !('branch' in state) && !('screening' in state) && !('call' in state) && !('return' in state)) {
      const here = [...saysOf(state), ...('action' in state ? actionsOf(state.action) : [])];
      const rest = go('goto' in state ? state.goto : 'end' in state ? END_STATE : state.next, depth + 1);
      return { target: rest.target, actions: [...here, ...rest.actions] };
    }
    // Coming into the screening questions from elsewhere starts a new set of answers.
    return { target: targetOf(target), actions: state && 'screening' in state ? [{ type: 'resetAnswers', params: {} }] : [] };
  };

  const states: Record<string, unknown> = {
    [IDLE]: { on: { 'flow.enter': Object.keys(flow.states).map((s) => ({ guard: { type: 'enterAt', params: { state: s } }, ...go(s) })) } },
  };
  for (const [name, state] of Object.entries(flow.states)) {
    states[name] = compileState(flow.id, name, state, go, actionsOf);
  }
  states[END_STATE] = { type: 'final', meta: { handover: { end: true } } };
  for (const [name, handover] of handovers) states[name] = { type: 'final', meta: { handover } };

  const machine = setup({
    types: { context: {} as FlowContext, events: {} as FlowEvent, input: {} as FlowContext },
    actions: actionImpl as any,
    guards: guardImpl as any,
  }).createMachine({
    id: flow.id,
    initial: IDLE,
    context: ({ input }) => input,
    states: states as any,
    // Content that loops without waiting (lint refuses it, but the engine must not trust that) ends the turn instead of the process.
    options: { maxIterations: MAX_TURN_STEPS },
  });
  return { def: flow, machine };
}

/** Where a transition lands and the actions it runs on the way. */
type ActionObject = { type: string; params: unknown };
type Hop = { target: string; actions: ActionObject[] };
/**
 * Most steps one turn may take: xstate microsteps per transition, and flow actions (texts, prompts,
 * effects) per turn. A real turn takes a few dozen; a turn over the limit fails and is answered with the
 * apology and the hotline (the one error handler per turn), so no content can freeze the process.
 */
export const MAX_TURN_STEPS = 1000;

/** Longest chain of non-waiting steps followed at compile time (lint rejects loops anyway). */
const MAX_INLINE = 32;

function saysOf(state: StateDef): ActionObject[] {
  return state.say === undefined ? [] : (Array.isArray(state.say) ? state.say : [state.say]).map((key) => ({ type: 'say', params: { key } }));
}

function compileState(
  flowId: string,
  name: string,
  state: StateDef,
  go: (t: Target) => Hop,
  actionsOf: (refs: ActionRef | ActionRef[] | undefined) => ActionObject[],
): Record<string, unknown> {
  const says = saysOf(state);
  // `reenter`: a question that leads back to itself (via inlined steps) must ask again.
  const via = (target: Target, before: Hop['actions'] = []) => {
    const hop = go(target);
    return { target: hop.target, actions: [...before, ...hop.actions], reenter: true };
  };
  if ('ask' in state) {
    const entry = [...says, { type: 'prompt', params: { state: name } }];
    if ('choices' in state) {
      return {
        entry,
        on: {
          'user.choice': state.choices.map((c) => {
            const pressed = { type: 'choiceIs', params: { id: c.id } };
            // A button shown only when its condition holds is also pressed only then (an old button from before a change of country expires).
            return { guard: c.when === undefined ? pressed : and([pressed, guardOf(c.when)]), ...via(c.next, actionsOf(c.action)) };
          }),
        },
      };
    }
    if ('options' in state) {
      const params = { option: state.options, ...(state.sets ? { sets: state.sets } : {}) };
      return {
        entry,
        on: {
          'user.option': via(state.next, [{ type: 'setOption', params }]),
          ...(state.skip
            ? { 'user.choice': [{ guard: { type: 'choiceIs', params: { id: SKIP_CHOICE } }, ...via(state.skip.next, [{ type: 'skipOption', params }]) }] }
            : {}),
        },
      };
    }
    return { entry, on: { 'user.text': via(state.next, actionsOf(state.action)) } };
  }
  if ('branch' in state) {
    return {
      entry: says,
      always: state.branch.map((b) => {
        return { ...(b.when === undefined ? {} : { guard: guardOf(b.when) }), ...via(b.next) };
      }),
    };
  }
  if ('screening' in state) {
    const record = { type: 'recordAnswer', params: {} };
    return {
      entry: [...says, { type: 'prompt', params: { state: name } }],
      on: {
        'user.choice': [
          { guard: 'screeningDoneAfter', ...via(state.next, [record]) },
          { target: `#${flowId}.${name}`, actions: [record], reenter: true },
        ],
      },
    };
  }
  // A call and a return end this machine; the engine reads where to go from the final state's meta.
  if ('call' in state) {
    const call = { flow: state.call.flow, params: state.call.params ?? {}, then: state.call.then };
    return { type: 'final', entry: says, meta: { handover: { end: false, call } satisfies Handover } };
  }
  if ('return' in state) return { type: 'final', entry: says, meta: { handover: { end: false, returns: state.return } satisfies Handover } };
  // A non-waiting step entered on its own (never, in practice: transitions skip over it).
  const next = 'action' in state ? state.next : 'goto' in state ? state.goto : 'end' in state ? END_STATE : state.next;
  return { entry: [...says, ...('action' in state ? actionsOf(state.action) : [])], always: via(next) };
}

/** A guard object for a `when:`: a condition implemented in code, or one written as data. */
function guardOf(when: GuardRef): { type: string; params: Record<string, unknown> } {
  const { name, params } = refParts(when);
  return { type: name, params };
}

/** What an action sees of a typed answer: its text and the places it names (nothing for other events). */
export function textOf(event: FlowEvent): { text?: string; places?: readonly string[]; textEvent?: object } {
  return event.type === 'user.text' ? { text: event.text, places: event.places ?? [], textEvent: event } : {};
}

/** The `indicator:answer` pair a screening button carries, if the event is one. */
export function screeningAnswer(event: FlowEvent): { indicator: string; answer: string } | undefined {
  if (event.type !== 'user.choice') return undefined;
  const [indicator, answer, ...rest] = event.choice.split(':');
  return indicator && answer && rest.length === 0 ? { indicator, answer } : undefined;
}
