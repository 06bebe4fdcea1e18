/**
 * The Flows page's data: each flow as positioned boxes and arrows (laid out by dagre from the same
 * model `lantern graph` draws: `targetsOf` for arrows, the kind field for the shape), and one
 * step's texts in every language, its lint problems and how often people passed it.
 */
import dagre from '@dagrejs/dagre';
import { keysOf, targetsOf, type Content, type Problem } from '../content/index.js';
import { stateKinds, whenLabel, type FlowDef, type StateDef } from '../flows/index.js';
import { flattenKeys } from '../i18n/index.js';

/** A laid-out flow. */
export interface FlowLayout {
  id: string;
  file: string;
  start: string;
  width: number;
  height: number;
  nodes: { id: string; kind: string; x: number; y: number; width: number; height: number; external: boolean; problems: number }[];
  /** `call`: the dotted arrow from a `call` step to the flow it runs, labelled with its parameters. */
  edges: { from: string; to: string; label: string; call?: true; points: { x: number; y: number }[] }[];
}

/** A state's kind: the field that marks it (new kinds in src/flows appear here by themselves), else `say`. */
export function kindOf(state: StateDef): string {
  return Object.keys(stateKinds).find((kind) => kind in (state as object)) ?? 'say';
}

function edgeLabels(state: StateDef): string[] {
  if ('choices' in state) return state.choices.map((c) => c.id);
  if ('branch' in state) return state.branch.map((b) => (b.when === undefined ? 'else' : whenLabel(b.when)));
  if ('options' in state && state.skip) return ['', 'skip'];
  if ('call' in state) return ['then'];
  return [];
}

/** Lays out one flow top to bottom; `problems` counts lint problems per state. */
export function layoutFlow(flow: FlowDef, problems: readonly Problem[]): FlowLayout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 30, ranksep: 50, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  const mine = problems.filter((p) => p.file.endsWith(flow.file.replace(/^.*[\\/]/, '')));
  const countFor = (name: string) => mine.filter((p) => p.path === `states.${name}` || p.path.startsWith(`states.${name}.`)).length;
  const width = (label: string) => Math.max(90, 14 + label.length * 7.5);
  for (const name of Object.keys(flow.states)) g.setNode(name, { width: width(name), height: 36 });
  const edges: { from: string; to: string; label: string; name: string; call?: true }[] = [];
  for (const [name, state] of Object.entries(flow.states)) {
    const labels = edgeLabels(state);
    targetsOf(state).forEach(({ target }, i) => {
      const to = typeof target === 'string' ? target : `→ ${target.flow}${target.state ? `.${target.state}` : ''}`;
      if (!g.hasNode(to)) g.setNode(to, { width: width(to), height: 30 });
      const edge = { from: name, to, label: labels[i] ?? '', name: String(i) };
      edges.push(edge);
      g.setEdge(name, to, { label: edge.label, width: edge.label.length * 7, height: edge.label ? 14 : 0 }, edge.name);
    });
    // As `lantern graph` draws it: the called flow (one box for every call of it) and what each call gives it.
    if ('call' in state) {
      const to = `⇢ ${state.call.flow}`;
      if (!g.hasNode(to)) g.setNode(to, { width: width(to), height: 30 });
      const label = Object.entries(state.call.params ?? {})
        .map(([param, value]) => `${param}=${value}`)
        .join(', ');
      edges.push({ from: name, to, label, name: 'call', call: true });
      g.setEdge(name, to, { label, width: label.length * 7, height: label ? 14 : 0 }, 'call');
    }
  }
  dagre.layout(g);
  const graph = g.graph();
  return {
    id: flow.id,
    file: flow.file,
    start: flow.start,
    width: Math.ceil(graph.width ?? 0),
    height: Math.ceil(graph.height ?? 0),
    nodes: g.nodes().map((id) => {
      const n = g.node(id);
      const state = flow.states[id];
      return {
        id,
        kind: state ? kindOf(state) : 'external',
        x: n.x,
        y: n.y,
        width: n.width,
        height: n.height,
        external: !state,
        problems: state ? countFor(id) : 0,
      };
    }),
    edges: edges.map((e) => ({
      from: e.from,
      to: e.to,
      label: e.label,
      ...(e.call ? { call: true as const } : {}),
      points: g.edge(e.from, e.to, e.name).points ?? [],
    })),
  };
}

/** What the Flows page shows about one step. */
export interface StepDetail {
  flow: string;
  file: string;
  state: string;
  kind: string;
  /** Where each arrow is written, with its target as written (`next`, `choices[1].next`...): the editable fields. */
  targets: { where: string; target: string }[];
  texts: { key: string; where: string; byLanguage: Record<string, string> }[];
  problems: Problem[];
}

/** A target as a field shows it: `state`, or `flow:screening` / `flow:screening.q_fee` for another flow. */
export function targetText(target: unknown): string {
  if (typeof target === 'string') return target;
  const t = target as { flow: string; state?: string };
  return `flow:${t.flow}${t.state ? `.${t.state}` : ''}`;
}

/** A field's text back as a target to write: a state name, or `{ flow, state? }`. */
export function parseTarget(text: string): string | { flow: string; state?: string } {
  const m = /^flow:\s*([^.\s]+)(?:\.(\S+))?$/.exec(text.trim());
  if (!m) return text.trim();
  return m[2] ? { flow: m[1]!, state: m[2] } : { flow: m[1]! };
}

/** The step's details from loaded content. */
export function stepDetail(content: Content, problems: readonly Problem[], flowId: string, name: string): StepDetail | undefined {
  const flow = content.flows.get(flowId);
  const state = flow?.states[name];
  if (!flow || !state) return undefined;
  const flat = Object.fromEntries(content.locales.languages.map((l) => [l, flattenKeys(content.locales.resources[l] ?? {})]));
  const text = (lng: string, key: string) => {
    const v = flat[lng]?.get(key);
    return v === undefined ? '' : Array.isArray(v) ? v.join(' | ') : v;
  };
  return {
    flow: flow.id,
    file: flow.file,
    state: name,
    kind: kindOf(state),
    targets: targetsOf(state).map(({ target, where }) => ({
      where: where
        .map((w) => (typeof w === 'number' ? `[${w}]` : `.${String(w)}`))
        .join('')
        .replace(/^\./, ''),
      target: targetText(target),
    })),
    texts: keysOf(state).map(({ key, where }) => ({
      key,
      where: where.join('.'),
      byLanguage: Object.fromEntries(content.locales.languages.map((l) => [l, text(l, key)])),
    })),
    problems: problems.filter(
      (p) => p.file.endsWith(flow.file.replace(/^.*[\\/]/, '')) && (p.path === `states.${name}` || p.path.startsWith(`states.${name}.`)),
    ),
  };
}

/** Reads `lantern_flow_visits_total{flow,state}` from a server's Prometheus text: visits per `flow/state`. */
export function parseVisits(metrics: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of metrics.split('\n')) {
    const m = /^lantern_flow_visits_total\{([^}]*)\}\s+([0-9.e+]+)/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...m[1]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (labels.flow && labels.state) out.set(`${labels.flow}/${labels.state}`, (out.get(`${labels.flow}/${labels.state}`) ?? 0) + Number(m[2]));
  }
  return out;
}
