/** The Flows page's data: the graph `lantern graph` draws, laid out, and a running server's visit counts. */
import { describe, expect, it } from 'vitest';
import { layoutFlow, parseTarget, parseVisits, stepDetail, targetText } from '../../src/studio/flow-view.js';
import { loadShipped } from '../helpers/content.js';

const { content } = loadShipped();
const main = content.flows.get('main')!;

describe('layoutFlow', () => {
  const layout = layoutFlow(main, [{ file: main.file, line: 1, column: 1, path: 'states.forget.next', message: 'x', severity: 'warning' }]);

  it('has a box per step and per other flow it leads to, and an arrow per target, labelled like lantern graph', () => {
    const ids = layout.nodes.map((n) => n.id);
    expect(ids).toEqual(expect.arrayContaining([...Object.keys(main.states), '→ screening', '→ facts']));
    expect(layout.nodes.find((n) => n.id === 'menu')!.kind).toBe('ask');
    expect(layout.nodes.find((n) => n.id === 'done')!.kind).toBe('end');
    expect(layout.nodes.find((n) => n.id === '→ screening')!.external).toBe(true);
    expect(layout.edges).toContainEqual(expect.objectContaining({ from: 'menu', to: '→ screening', label: 'check' }));
    expect(layout.edges).toContainEqual(expect.objectContaining({ from: 'forget', to: 'done', label: '' }));
    expect(layout.nodes.find((n) => n.id === 'forget')!.problems).toBe(1);
  });

  it('draws a call as a dotted arrow to the called flow, labelled with its parameters, and `then` where it continues', () => {
    const facts = layoutFlow(content.flows.get('facts')!, []);
    expect(facts.nodes.filter((n) => n.id === '⇢ fact_topic')).toEqual([expect.objectContaining({ external: true })]);
    expect(facts.edges).toContainEqual(expect.objectContaining({ from: 'myths', to: '⇢ fact_topic', label: 'topic=myths', call: true }));
    expect(facts.edges).toContainEqual(expect.objectContaining({ from: 'rights', to: '⇢ fact_topic', label: 'topic=rights', call: true }));
    expect(facts.edges.find((e) => e.from === 'myths' && e.to === 'after')).toMatchObject({ label: 'then' });
    expect(facts.edges.find((e) => e.from === 'myths' && e.to === 'after')!.call).toBeUndefined();
  });

  it('places every box inside the drawing, the start above what follows it', () => {
    for (const n of layout.nodes) {
      expect(n.x - n.width / 2).toBeGreaterThanOrEqual(0);
      expect(n.y + n.height / 2).toBeLessThanOrEqual(layout.height);
    }
    const y = (id: string) => layout.nodes.find((n) => n.id === id)!.y;
    expect(y('welcome')).toBeLessThan(y('menu'));
    expect(y('menu')).toBeLessThan(y('forget'));
    for (const e of layout.edges) expect(e.points.length).toBeGreaterThanOrEqual(2);
  });
});

describe('stepDetail', () => {
  it('shows a step texts in every language and where each arrow is written', () => {
    const detail = stepDetail(content, [], 'main', 'menu')!;
    expect(detail.kind).toBe('ask');
    expect(detail.targets[0]).toEqual({ where: 'choices[0].next', target: 'flow:screening' });
    expect(detail.targets.at(-1)).toEqual({ where: 'choices[5].next', target: 'forget' });
    const question = detail.texts.find((t) => t.key === 'menu.question')!;
    expect(Object.keys(question.byLanguage)).toEqual(content.locales.languages);
    expect(question.byLanguage.ro).toBe('Ce doriți să faceți?');
  });

  it('reads a target field back as it is written in YAML', () => {
    expect(parseTarget('menu')).toBe('menu');
    expect(parseTarget('flow:facts')).toEqual({ flow: 'facts' });
    expect(parseTarget('flow:main.menu')).toEqual({ flow: 'main', state: 'menu' });
    expect(parseTarget(targetText({ flow: 'main', state: 'menu' }))).toEqual({ flow: 'main', state: 'menu' });
  });
});

describe('parseVisits', () => {
  it('reads the visit counter of a Prometheus text, adding up repeated series', () => {
    const text = [
      '# HELP lantern_flow_visits_total Visits per flow state (where people go and where they leave).',
      '# TYPE lantern_flow_visits_total counter',
      'lantern_flow_visits_total{flow="main",state="menu"} 12',
      'lantern_flow_visits_total{state="pick",flow="facts"} 3',
      'lantern_flow_visits_total{flow="main",state="menu"} 1',
      'lantern_turns_total{channel="webchat",outcome="ok"} 99',
    ].join('\n');
    expect(parseVisits(text)).toEqual(
      new Map([
        ['main/menu', 13],
        ['facts/pick', 3],
      ]),
    );
  });
});
