/**
 * Engine turns per second on one core — session restore, transition, i18n rendering and persist
 * through the memory store — against a raw XState baseline doing the same work on an equal-sized
 * machine (restore -> send -> persist -> JSON) in the same run.
 */
import { assign, setup, transition, type AnyStateMachine } from 'xstate';
import { buildEngine, type Inbound } from '../src/engine/index.js';
import { createConversationService } from '../src/server/index.js';
import { loadContent } from '../src/content/index.js';
import { createSessionStore } from '../src/store/index.js';
import { opsPerSecond } from './measure.js';

const CONVERSATIONS = 100;
const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** A machine with as many states as the facts flow, toggling between two waiting states. */
function baselineMachine(states: number): AnyStateMachine {
  const config: Record<string, unknown> = {};
  for (let i = 0; i < states; i++) config[`s${i}`] = { on: { next: { target: `s${(i + 1) % 2}`, actions: 'count' } } };
  return setup({
    types: { context: {} as { language: string; country: string; answers: Record<string, string>; factCursor: number } },
    actions: { count: assign(({ context }) => ({ ...context, factCursor: context.factCursor + 1 })) },
  }).createMachine({
    id: 'baseline',
    initial: 's0',
    context: { language: 'en', country: 'MD', answers: {}, factCursor: 0 },
    states: config as never,
  }) as unknown as AnyStateMachine;
}

/** Runs the engine benchmark; returns its figures. */
export async function benchEngine(paths: { flowsDir: string; localesDir: string }, ms: number) {
  const { content } = loadContent(paths);
  if (!content) throw new Error('content did not load');
  const built = buildEngine(content, { language: 'en' });

  // Lantern: real conversations in the facts flow, pressing "Another fact" again and again.
  const store = createSessionStore({ kind: 'memory' });
  const service = createConversationService({
    engine: () => built.engine,
    store,
    hashSecret: 'bench-secret-0123456789',
    ttlMs: 3_600_000,
    log: silent,
    rateLimit: { turns: 1e9, windowMs: 1000 },
  });
  const inbound = (i: number, event: Inbound['event']): Inbound => ({ conversation: `c${i}`, channel: 'test', event });
  for (let c = 0; c < CONVERSATIONS; c++) {
    await service.handle(inbound(c, { type: 'start', payload: 'md' }));
    await service.handle(inbound(c, { type: 'choice', id: 'main/menu/rights' }));
    await service.handle(inbound(c, { type: 'choice', id: 'facts/pick/rights' }));
  }
  const press = { type: 'choice', id: 'fact_topic/more/another' } as const;
  let rendered = 0;
  const lanternTurn = async (i: number) => {
    const reply = await service.handle(inbound(i % CONVERSATIONS, press));
    rendered += reply.messages.length;
  };

  // Baseline: the same store, an equal-sized machine, no dialogue logic.
  const machine = baselineMachine(Object.keys(content.flows.get('facts')!.states).length);
  const baseStore = createSessionStore({ kind: 'memory' });
  for (let c = 0; c < CONVERSATIONS; c++)
    await baseStore.put(
      `c${c}`,
      JSON.stringify(
        machine.getPersistedSnapshot(machine.resolveState({ value: 's0', context: { language: 'en', country: 'MD', answers: {}, factCursor: 0 } })),
      ),
      0,
      3_600_000,
    );
  const baselineTurn = async (i: number) => {
    const key = `c${i % CONVERSATIONS}`;
    const stored = (await baseStore.get(key))!;
    const saved = JSON.parse(stored.value) as { value: string; context: never };
    const snapshot = machine.resolveState({ value: saved.value, context: saved.context });
    const [next] = transition(machine, snapshot, { type: 'next' });
    await baseStore.put(key, JSON.stringify(machine.getPersistedSnapshot(next)), stored.version, 3_600_000);
  };

  // Interleaved rounds, so that noise from the rest of the machine hits both sides alike; medians reported.
  const rounds = 5;
  const lanternRuns: number[] = [];
  const baselineRuns: number[] = [];
  for (let r = 0; r < rounds; r++) {
    lanternRuns.push(await opsPerSecond(lanternTurn, ms / rounds, r === 0 ? 500 : 100));
    baselineRuns.push(await opsPerSecond(baselineTurn, ms / rounds, r === 0 ? 500 : 100));
  }
  const ratios = lanternRuns.map((l, r) => l / baselineRuns[r]!).sort((a, b) => a - b);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const lantern = median(lanternRuns);
  const baseline = median(baselineRuns);
  const sessionBytes = Buffer.byteLength((await store.get(service.keyOf(inbound(0, press))))!.value);
  await store.close();
  await baseStore.close();
  return {
    engineTurnsPerSecond: Math.round(lantern),
    xstateBaselinePerSecond: Math.round(baseline),
    engineVsBaseline: Number(median(ratios).toFixed(3)),
    sessionBytes,
    messagesRendered: rendered,
  };
}
