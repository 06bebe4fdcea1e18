/** `lantern graph <flow>`: a diagram of a flow for NGO staff (Mermaid or Graphviz dot). */
import type { FlowDef } from '../../flows/index.js';
import { targetsOf } from '../../content/index.js';
import { UsageError, type Command } from '../command.js';
import { contentPaths, loadEngineOrReport } from '../project.js';

/** Draws a flow: states as boxes (questions rounded), arrows labelled with choice ids or conditions. */
export function flowGraph(flow: FlowDef, format: 'mermaid' | 'dot'): string {
  const edges: { from: string; to: string; label: string }[] = [];
  const external = new Set<string>();
  for (const [name, state] of Object.entries(flow.states)) {
    const labels =
      'choices' in state
        ? state.choices.map((c) => c.id)
        : 'branch' in state
          ? state.branch.map((b) => (b.when === undefined ? 'else' : typeof b.when === 'string' ? b.when : b.when.name))
          : [];
    targetsOf(state).forEach(({ target }, i) => {
      const to = typeof target === 'string' ? target : `${target.flow}${target.state ? `.${target.state}` : ''}`;
      if (typeof target !== 'string') external.add(to);
      edges.push({ from: name, to, label: labels[i] ?? '' });
    });
  }
  const kind = (name: string) => {
    const s = flow.states[name]!;
    return 'ask' in s ? 'ask' : 'end' in s ? 'end' : 'branch' in s ? 'branch' : 'action' in s ? 'action' : 'say';
  };
  const id = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_');
  if (format === 'dot') {
    const lines = [`digraph ${id(flow.id)} {`, '  rankdir=TB; node [fontname="sans-serif"];'];
    for (const name of Object.keys(flow.states)) {
      const shape = { ask: 'box, style=rounded', end: 'doublecircle', branch: 'diamond', action: 'box', say: 'note' }[kind(name)];
      lines.push(`  ${id(name)} [label="${name}", shape=${shape}${name === flow.start ? ', penwidth=2' : ''}];`);
    }
    for (const ext of external) lines.push(`  ${id(ext)} [label="→ ${ext}", shape=plaintext];`);
    for (const e of edges) lines.push(`  ${id(e.from)} -> ${id(e.to)}${e.label ? ` [label="${e.label}"]` : ''};`);
    lines.push('}');
    return lines.join('\n');
  }
  const lines = ['flowchart TD'];
  for (const name of Object.keys(flow.states)) {
    const k = kind(name);
    const shape = k === 'ask' ? `(["${name}"])` : k === 'end' ? `((("${name}")))` : k === 'branch' ? `{"${name}"}` : `["${name}"]`;
    lines.push(`  ${id(name)}${shape}`);
  }
  for (const ext of external) lines.push(`  ${id(ext)}>"→ ${ext}"]`);
  for (const e of edges) lines.push(`  ${id(e.from)} -->${e.label ? `|${e.label}|` : ''} ${id(e.to)}`);
  return lines.join('\n');
}

/** `lantern graph <flow> [--format mermaid|dot]` */
export const graphCommand: Command = {
  usage: 'lantern graph <flow> [--format mermaid|dot]',
  options: {
    format: { type: 'string', description: 'mermaid (default) or dot.' },
    dir: { type: 'string', description: 'Folder holding flows/ and locales/.' },
  },
  async run(values, positionals, io) {
    const format = (values.format as string | undefined) ?? 'mermaid';
    if (format !== 'mermaid' && format !== 'dot') throw new UsageError(`unknown format \`${format}\`: use mermaid or dot`);
    if (!positionals[0]) throw new UsageError('name the flow to draw, e.g. `lantern graph main`');
    const built = loadEngineOrReport(contentPaths(values.dir as string | undefined), { language: 'en' }, io.stderr);
    if (!built) return 1;
    const flow = built.content.flows.get(positionals[0]);
    if (!flow) {
      io.stderr.write(`unknown flow \`${positionals[0]}\`: flows are ${[...built.content.flows.keys()].join(', ')}\n`);
      return 1;
    }
    io.stdout.write(`${flowGraph(flow, format)}\n`);
    return 0;
  },
};
