/**
 * Running the compiled flows: entering a flow, sending it an event, carrying out the actions
 * the pure `transition()` returns, and following handovers to other flows. A saved state that
 * no longer exists (after an edit) restarts its flow with an apology instead of throwing.
 */
import { createActor, type AnyActorScope, type AnyStateMachine } from 'xstate';
import type { FlowDef } from '../flows/index.js';
import { handoverOf, MAX_TURN_STEPS, textOf, type CompiledFlow } from './compile-flow.js';
import type { FlowContext, FlowEvent } from './flow-context.js';
import { prompt } from './prompts.js';
import { MAIN_FLOW, stateDef, text, waits, type EngineParts, type Restored, type Turn } from './turn.js';

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

/** Enters a flow at a state (its start by default). */
export function enter(parts: EngineParts, turn: Turn, flowId: string, state: string | undefined, hops = 0): void {
  const compiled = parts.flows.get(flowId);
  if (!compiled || hops > MAX_HOPS) throw new Error(`flow handover failed (${compiled ? 'too many hops' : 'unknown flow'})`);
  const machine = compiled.machine;
  const start = machine.resolveState({ value: '__idle', context: turn.s.ctx });
  const [next, actions] = transition(turn, machine, start, { type: 'flow.enter', state: state ?? compiled.def.start });
  perform(parts, turn, compiled.def, actions);
  settle(parts, turn, compiled, next, hops);
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
  if (memo && memo.flow === turn.s.flow && memo.state === turn.s.state && memo.ctx === turn.s.ctx) return memo.result;
  const result = restoreUncached(parts, turn);
  turn.restored = { flow: turn.s.flow, state: turn.s.state, ctx: turn.s.ctx, result };
  return result;
}

function restoreUncached(parts: EngineParts, turn: Turn): Restored | undefined {
  const { flow, state } = turn.s;
  if (!flow || !state) return undefined;
  const compiled = parts.flows.get(flow);
  const def = stateDef(parts, flow, state);
  if (!compiled || !def || !waits(def)) return undefined;
  try {
    return { compiled, snapshot: compiled.machine.resolveState({ value: state, context: turn.s.ctx }) };
  } catch {
    return undefined;
  }
}

/** Apologises and starts the session's flow (or the main flow) again. */
export function restart(parts: EngineParts, turn: Turn): void {
  turn.notes.push({ type: 'intent', intent: 'restarted' });
  turn.out.push(text(parts, turn, 'system.restarted'));
  const flow = turn.s.flow && parts.flows.has(turn.s.flow) ? turn.s.flow : MAIN_FLOW;
  turn.s.flow = null;
  turn.s.state = null;
  enter(parts, turn, flow, undefined);
}

/** Shows the current question again (after help, an expired button, an emergency answer...). */
export function reprompt(parts: EngineParts, turn: Turn): void {
  const flow = turn.s.flow ? parts.content.flows.get(turn.s.flow) : undefined;
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
      turn.out.push({ type: 'text', key: params.key as string, text: tr.t(context.language, params.key as string, parts.varsOf(turn)) });
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

/** Applies a transition result, following handovers to other flows. */
function settle(parts: EngineParts, turn: Turn, compiled: CompiledFlow, snapshot: Restored['snapshot'], hops: number): void {
  turn.s.ctx = snapshot.context as FlowContext;
  if (snapshot.status === 'done') {
    const handover = handoverOf(snapshot);
    if (!handover || handover.end) {
      turn.s.flow = null;
      turn.s.state = null;
      turn.out.push({ type: 'end' });
      return;
    }
    enter(parts, turn, handover.flow, handover.state, hops + 1);
    return;
  }
  turn.s.flow = compiled.def.id;
  turn.s.version = compiled.def.version;
  turn.s.state = String(snapshot.value);
  turn.notes.push({ type: 'visit', flow: compiled.def.id, state: turn.s.state });
}
