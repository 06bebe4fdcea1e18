/**
 * Running the compiled flows: entering a flow, sending it an event, carrying out the actions
 * the pure `transition()` returns, and following handovers to other flows. A saved state that
 * no longer exists (after an edit) restarts its flow with an apology instead of throwing.
 */
import { createActor, type AnyActorScope, type AnyStateMachine } from 'xstate';
import { MAX_CALL_DEPTH, type FlowDef, type Target } from '../flows/index.js';
import { handoverOf, MAX_TURN_STEPS, textOf, type CompiledFlow } from './compile-flow.js';
import { fillParams } from './conditions.js';
import type { FlowContext, FlowEvent } from './flow-context.js';
import { prompt } from './prompts.js';
import { compiledOf, flowOf, MAIN_FLOW, stateDef, text, waits, type EngineParts, type Restored, type Turn } from './turn.js';

/** Guards against flows that hand over to each other forever. */
const MAX_HOPS = 16;

/** An action as `transition()` returns it: to be carried out by the engine, in order. */
type PendingAction = { type: string; params: unknown; info: { context: unknown; event: unknown } };

/**
 * xstate's pure `transition()` builds a throwaway actor and actor system for every call (about a
 * sixth of a turn's CPU on the Telegram webhook path). Our flows spawn no actors and their actions
 * are only collected, never run inside the machine, so one inert scope per machine serves every
 * call: `machine.transition(snapshot, event, scope)` with an executor that records the actions.
 */
const scopes = new WeakMap<AnyStateMachine, { scope: AnyActorScope; sink: PendingAction[]; before: number }>();

/** A turn that took more steps than any real flow needs: its content loops without waiting for the user. */
class StepLimitError extends Error {
  override name = 'StepLimitError';
}

function transition(turn: Turn, machine: AnyStateMachine, snapshot: Restored['snapshot'], event: FlowEvent): [Restored['snapshot'], PendingAction[]] {
  let entry = scopes.get(machine);
  if (!entry) {
    const self = createActor(machine, { input: {} });
    const made: { scope: AnyActorScope; sink: PendingAction[]; before: number } = {
      sink: [],
      before: 0,
      scope: {
        self,
        id: '',
        sessionId: '',
        system: self.system,
        logger: () => undefined,
        defer: () => undefined,
        emit: () => undefined,
        stopChild: () => undefined,
        actionExecutor: (action) => {
          made.sink.push(action as unknown as PendingAction);
          if (made.sink.length + made.before > MAX_TURN_STEPS) throw new StepLimitError(`more than ${MAX_TURN_STEPS} steps in one turn in flow ${machine.id}`);
        },
      },
    };
    scopes.set(machine, (entry = made));
  }
  const actions: PendingAction[] = [];
  entry.sink = actions;
  entry.before = turn.steps ?? 0;
  let next: Restored['snapshot'];
  try {
    next = machine.transition(snapshot, event, entry.scope) as Restored['snapshot'];
  } catch (error) {
    // xstate's own bound (maxIterations) on eventless loops that carry out nothing.
    if (error instanceof StepLimitError || !/infinite loop/i.test(String((error as Error)?.message))) throw error;
    throw new StepLimitError(`more than ${MAX_TURN_STEPS} microsteps in one transition in flow ${machine.id}`, { cause: error });
  }
  turn.steps = entry.before + actions.length;
  return [next, actions];
}

/**
 * Enters a flow at a state (its start by default). Entered this way (a handover, a command, a
 * restart) it leaves every running call; `inCall` keeps them (a call starting, or returning).
 * The main menu is where a session pinned to a previous version of the flows moves to the current one.
 */
export function enter(parts: EngineParts, turn: Turn, flowId: string, state: string | undefined, hops = 0, inCall = false): void {
  if (flowId === MAIN_FLOW && turn.flows !== parts.current) {
    turn.flows = parts.current;
    turn.s.stack = undefined;
  }
  const compiled = compiledOf(turn, flowId);
  if (!compiled || hops > MAX_HOPS) throw new Error(`flow handover failed (${compiled ? 'too many hops' : 'unknown flow'})`);
  if (!inCall) leaveCalls(turn);
  const machine = compiled.machine;
  const start = machine.resolveState({ value: '__idle', context: turn.s.ctx });
  const [next, actions] = transition(turn, machine, start, { type: 'flow.enter', state: state ?? compiled.def.start });
  perform(parts, turn, compiled.def, actions);
  settle(parts, turn, compiled, next, hops);
}

/** Forgets the running calls, their parameters and the last returned value. */
function leaveCalls(turn: Turn): void {
  if (turn.s.stack) turn.s.stack = undefined;
  if (turn.s.ctx.params !== undefined || turn.s.ctx.returned !== undefined) {
    const { params: _params, returned: _returned, ...ctx } = turn.s.ctx;
    turn.s.ctx = ctx;
  }
}

/** Starts a called flow with its parameters; the caller waits on the stack, to continue at `then`. */
function call(parts: EngineParts, turn: Turn, caller: string, spec: { flow: string; params: Record<string, string>; then: Target }, hops: number): void {
  const stack = turn.s.stack ?? [];
  // Lint refuses call chains deeper than this; the engine does not trust that.
  if (stack.length >= MAX_CALL_DEPTH) throw new Error(`calls nested more than ${MAX_CALL_DEPTH} deep (flow ${spec.flow})`);
  const { params: own, returned: _returned, ...ctx } = turn.s.ctx;
  turn.s.stack = [...stack, { flow: caller, then: spec.then, ...(own ? { params: own } : {}) }];
  turn.s.ctx = { ...ctx, ...(Object.keys(spec.params).length ? { params: spec.params } : {}) };
  enter(parts, turn, spec.flow, undefined, hops, true);
}

/** Goes back from a called flow to its caller's `then`, with the value returned (a flow run on its own returns to the main menu). */
function giveBack(parts: EngineParts, turn: Turn, value: string | true, hops: number): void {
  const stack = turn.s.stack ?? [];
  const frame = stack.at(-1);
  if (!frame) return enter(parts, turn, MAIN_FLOW, menuState(turn), hops);
  turn.s.stack = stack.length > 1 ? stack.slice(0, -1) : undefined;
  const { params: _params, returned: _returned, ...ctx } = turn.s.ctx;
  turn.s.ctx = { ...ctx, ...(frame.params ? { params: frame.params } : {}), ...(value === true ? {} : { returned: value }) };
  const then = frame.then;
  if (typeof then !== 'string') return enter(parts, turn, then.flow, then.state, hops);
  // A frame saved under flows that have changed since (the process restarted): the menu, with a word why.
  if (!stateDef(turn, frame.flow, then)) return restartAtMenu(parts, turn);
  enter(parts, turn, frame.flow, then, hops, true);
}

/** The main flow's menu state, when it has one. */
function menuState(turn: Turn): string | undefined {
  return flowOf(turn, MAIN_FLOW)?.states.menu ? 'menu' : undefined;
}

/** Sends an event to the flow the session rests in; false when the flow did not move. */
export function send(parts: EngineParts, turn: Turn, event: FlowEvent): boolean {
  const restored = restore(parts, turn);
  if (!restored) {
    restart(parts, turn);
    return false;
  }
  const [next, actions] = transition(turn, restored.compiled.machine, restored.snapshot, event);
  if (next.value === restored.snapshot.value && actions.length === 0) return false;
  perform(parts, turn, restored.compiled.def, actions);
  settle(parts, turn, restored.compiled, next, 0);
  return true;
}

/** The machine snapshot the session rests in, or undefined when it cannot be restored. */
export function restore(parts: EngineParts, turn: Turn): Restored | undefined {
  const memo = turn.restored;
  if (memo && memo.flow === turn.s.flow && memo.state === turn.s.state && memo.ctx === turn.s.ctx && memo.flows === turn.flows) return memo.result;
  const result = restoreUncached(turn);
  turn.restored = { flow: turn.s.flow, state: turn.s.state, ctx: turn.s.ctx, flows: turn.flows, result };
  return result;
}

function restoreUncached(turn: Turn): Restored | undefined {
  const { flow, state } = turn.s;
  if (!flow || !state) return undefined;
  const compiled = compiledOf(turn, flow);
  const def = stateDef(turn, flow, state);
  if (!compiled || !def || !waits(def)) return undefined;
  try {
    return { compiled, snapshot: compiled.machine.resolveState({ value: state, context: turn.s.ctx }) };
  } catch {
    return undefined;
  }
}

/** Apologises and starts the session's flow (the outermost caller's, inside a call; else the main flow) again. */
export function restart(parts: EngineParts, turn: Turn): void {
  turn.notes.push({ type: 'intent', intent: 'restarted' });
  turn.out.push(text(parts, turn, 'system.restarted'));
  const outer = turn.s.stack?.[0]?.flow ?? turn.s.flow;
  const def = flowOf(turn, outer);
  // A flow with parameters runs only when called: without its caller, the main flow starts instead.
  const flow = def && !def.params ? def.id : MAIN_FLOW;
  turn.s.flow = null;
  turn.s.state = null;
  enter(parts, turn, flow, undefined);
}

/**
 * A session saved under flows that are no longer kept (a reload retired them, or the process restarted)
 * whose step is gone: a short word why, then the main menu of the current flows.
 */
export function restartAtMenu(parts: EngineParts, turn: Turn): void {
  turn.notes.push({ type: 'intent', intent: 'restarted' });
  turn.out.push(text(parts, turn, 'system.updated'));
  turn.s.flow = null;
  turn.s.state = null;
  turn.flows = parts.current;
  enter(parts, turn, MAIN_FLOW, menuState(turn));
}

/** Shows the current question again (after help, an expired button, an emergency answer...). */
export function reprompt(parts: EngineParts, turn: Turn): void {
  const flow = flowOf(turn, turn.s.flow);
  if (flow && turn.s.state && restore(parts, turn)) turn.out.push(...prompt(parts, turn, flow, turn.s.state));
  else if (turn.s.flow) restart(parts, turn);
  else enter(parts, turn, MAIN_FLOW, undefined);
}

/** Carries out the actions `transition()` returned, in order, into messages. */
function perform(parts: EngineParts, turn: Turn, flow: FlowDef, actions: PendingAction[]): void {
  const { tr, registry } = parts;
  for (const action of actions) {
    const params = (action.params ?? {}) as Record<string, unknown>;
    const context = action.info.context as FlowContext;
    if (action.type === 'say') {
      const key = fillParams(params.key as string, context.params);
      turn.out.push({ type: 'text', key, text: tr.t(context.language, key, parts.varsOf(turn)) });
    } else if (action.type === 'prompt') {
      turn.s.ctx = context;
      turn.out.push(...prompt(parts, turn, flow, params.state as string));
    } else {
      const def = registry.actions[action.type];
      if (!def?.show) continue;
      const event = action.info.event as FlowEvent;
      const args = { context, params, ...textOf(event) };
      const shown = def.show(args);
      for (const m of shown) if (m.type === 'forget') turn.forget = true;
      turn.out.push(...shown);
      const detail = def.note?.(args);
      turn.notes.push({ type: 'action', name: action.type, ...(detail ? { detail } : {}) });
      if (action.type === 'showHotlines' && context.country) turn.notes.push({ type: 'hotline', country: context.country });
    }
  }
}

/** Applies a transition result, following handovers to other flows, calls and returns. */
function settle(parts: EngineParts, turn: Turn, compiled: CompiledFlow, snapshot: Restored['snapshot'], hops: number): void {
  turn.s.ctx = snapshot.context as FlowContext;
  if (snapshot.status === 'done') {
    const handover = handoverOf(snapshot);
    if (!handover || handover.end) {
      turn.s.flow = null;
      turn.s.state = null;
      leaveCalls(turn);
      turn.out.push({ type: 'end' });
      return;
    }
    if ('call' in handover) return call(parts, turn, compiled.def.id, handover.call, hops + 1);
    if ('returns' in handover) return giveBack(parts, turn, handover.returns, hops + 1);
    enter(parts, turn, handover.flow, handover.state, hops + 1);
    return;
  }
  turn.s.flow = compiled.def.id;
  turn.s.version = turn.flows.id;
  turn.s.state = String(snapshot.value);
  turn.notes.push({ type: 'visit', flow: compiled.def.id, state: turn.s.state });
}
