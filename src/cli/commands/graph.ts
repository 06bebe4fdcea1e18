/** `lantern graph <flow>`: a diagram of a flow for NGO staff (Mermaid or Graphviz dot). */
import { whenLabel, type FlowDef } from '../../flows/index.js';
import { targetsOf } from '../../content/index.js';
import { UsageError, type Command } from '../command.js';
import { contentPaths, loadEngineOrReport } from '../project.js';

/**
 * Draws a flow: states as boxes (questions rounded), arrows labelled with choice ids or conditions.
 * A call is drawn as a subroutine box with an arrow to the called flow labelled with its params, and
 * an arrow to where the flow continues when the call returns.
 */
export function flowGraph(flow: FlowDef, format: 'mermaid' | 'dot'): string {
  const edges: { from: string; to: string; label: string; dashed?: boolean }[] = [];
  const external = new Set<string>();
  for (const [name, state] of Object.entries(flow.states)) {
    const labels =
      'choices' in state
        ? state.choices.map((c) => (c.when === undefined ? c.id : `${c.id} if ${whenLabel(c.when)}`))
        : 'branch' in state
          ? state.branch.map((b) => (b.when === undefined ? 'else' : whenLabel(b.when)))
          : 'call' in state
            ? ['returned']
            : [];
    if ('call' in state) {
      const to = `${state.call.flow}`;
      external.add(to);
      const params = Object.entries(state.call.params ?? {}).map(([k, v]) => `${k}=${v}`);
      edges.push({ from: name, to, label: `call${params.length ? ` ${params.join(' ')}` : ''}`, dashed: true });
    }
    targetsOf(state).forEach(({ target }, i) => {
      const to = typeof target === 'string' ? target : `${target.flow}${target.state ? `.${target.state}` : ''}`;
      if (typeof target !== 'string') external.add(to);
      edges.push({ from: name, to, label: labels[i] ?? '' });
    });
  }
  const kind = (name: string) => {
    const s = flow.states[name]!;
    return 'ask' in s
      ? 'ask'
      : 'end' in s
        ? 'end'
        : 'branch' in s
          ? 'branch'
          : 'call' in s
            ? 'call'
            : 'return' in s
              ? 'return'
              : 'action' in s
                ? 'action'
                : 'say';
  };
  const title = (name: string) => {
    const s = flow.states[name]!;
    return 'return' in s && s.return !== true ? `${name}: return ${s.return}` : name;
  };
  const id = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_');
  if (format === 'dot') {
    const lines = [`digraph ${id(flow.id)} {`, '  rankdir=TB; node [fontname="sans-serif"];'];
    for (const name of Object.keys(flow.states)) {
      const shape = {
        ask: 'box, style=rounded',
        end: 'doublecircle',
        branch: 'diamond',
        action: 'box',
        say: 'note',
        call: 'box, peripheries=2',
        return: 'invhouse',
      }[kind(name)];
      lines.push(`  ${id(name)} [label="${title(name)}", shape=${shape}${name === flow.start ? ', penwidth=2' : ''}];`);
    }
    for (const ext of external) lines.push(`  ${id(ext)} [label="→ ${ext}", shape=plaintext];`);
    for (const e of edges) {
      const attrs = [...(e.label ? [`label="${e.label}"`] : []), ...(e.dashed ? ['style=dashed'] : [])];
      lines.push(`  ${id(e.from)} -> ${id(e.to)}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
    }
    lines.push('}');
    return lines.join('\n');
  }
  const lines = ['flowchart TD'];
  for (const name of Object.keys(flow.states)) {
    const k = kind(name);
    const t = title(name);
    const shape =
      k === 'ask'
        ? `(["${t}"])`
        : k === 'end'
          ? `((("${t}")))`
          : k === 'branch'
            ? `{"${t}"}`
            : k === 'call'
              ? `[["${t}"]]`
              : k === 'return'
                ? `[/"${t}"\\]`
                : `["${t}"]`;
    lines.push(`  ${id(name)}${shape}`);
  }
  for (const ext of external) lines.push(`  ${id(ext)}>"→ ${ext}"]`);
  for (const e of edges) lines.push(`  ${id(e.from)} ${e.dashed ? '-.->' : '-->'}${e.label ? `|${e.label}|` : ''} ${id(e.to)}`);
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
