/**
 * Call checks that need several flows (a cycle through two flows, a chain deeper than the limit),
 * and how `lantern graph` draws a call.
 */
import { describe, expect, it } from 'vitest';
import { flowGraph } from '../../src/cli/commands/graph.js';
import { formatProblem, lintContent, loadContent } from '../../src/content/index.js';
import { checkRegistryFor } from '../../src/engine/index.js';
import { MAX_CALL_DEPTH } from '../../src/flows/index.js';
import { contentCopy, loadShipped } from '../helpers/content.js';

/** A flow that takes `topic`, calls `next` (if any) and returns. */
const chained = (id: string, next?: string) =>
  [
    `id: ${id}`,
    'params:',
    '  topic: { kind: choice, values: [rights] }',
    'start: go',
    'states:',
    '  go:',
    ...(next ? [`    call: { flow: ${next}, params: { topic: rights }, then: back }`, '  back:'] : []),
    '    return: true',
    '',
  ].join('\n');

describe('calls across flows', () => {
  it(`names a call cycle through two flows, and a chain of calls deeper than ${MAX_CALL_DEPTH}, at the call's file and line`, () => {
    const depth = MAX_CALL_DEPTH + 1;
    const files: Record<string, string> = {
      'flows/cy_a.flow.yaml': chained('cy_a', 'cy_b'),
      'flows/cy_b.flow.yaml': chained('cy_b', 'cy_a'),
    };
    for (let i = 0; i <= depth; i++) files[`flows/deep${i}.flow.yaml`] = chained(`deep${i}`, i < depth ? `deep${i + 1}` : undefined);
    const copy = contentCopy(files);
    try {
      const { content, sources, problems } = loadContent(copy.paths, copy.dir);
      expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
      const found = lintContent(content!, sources, checkRegistryFor(content!)).filter((p) => p.severity === 'error').map(formatProblem);
      expect(found).toContainEqual(expect.stringMatching(/^flows\/cy_a\.flow\.yaml:7:13: call cycle: cy_a -> cy_b -> cy_a\./));
      expect(found).toContainEqual(expect.stringMatching(/^flows\/cy_b\.flow\.yaml:7:13: call cycle: cy_b -> cy_a -> cy_b\./));
      expect(found).toContainEqual(
        expect.stringMatching(new RegExp(`^flows/deep${depth - 1}\\.flow\\.yaml:7:5: calls nested ${depth} deep \\(deep0 -> .* -> deep${depth}\\); at most ${MAX_CALL_DEPTH}`)),
      );
      // A chain exactly at the limit is fine.
      expect(found.filter((p) => p.includes('nested'))).toHaveLength(1);
    } finally {
      copy.cleanup();
    }
  });
});

describe('lantern graph draws a call', () => {
  const { content } = loadShipped();
  const facts = content.flows.get('facts')!;

  it('as a subroutine box with a dotted edge to the sub-flow labelled with its params, and the branch on what it returned', () => {
    const mermaid = flowGraph(facts, 'mermaid');
    expect(mermaid).toContain('  rights[["rights"]]');
    expect(mermaid).toContain('  rights -.->|call topic=rights| fact_topic');
    expect(mermaid).toContain('  myths -.->|call topic=myths| fact_topic');
    expect(mermaid).toContain('  rights -->|returned| after');
    expect(mermaid).toContain('  after -->|returned=menu| main_menu');
    expect(mermaid).toContain('  fact_topic>"→ fact_topic"]');
    const dot = flowGraph(facts, 'dot');
    expect(dot).toContain('  rights -> fact_topic [label="call topic=rights", style=dashed];');
    expect(dot).toContain('  rights [label="rights", shape=box, peripheries=2];');
  });

  it('draws return steps with their value, and conditions on the country', () => {
    expect(flowGraph(content.flows.get('fact_topic')!, 'mermaid')).toContain('  menu[/"menu: return menu"\\]');
    expect(flowGraph(content.flows.get('hotlines')!, 'mermaid')).toContain('  local_note -->|country=MD| md_note');
  });
});
