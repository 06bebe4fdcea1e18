/** Adding a fact topic or a language is data only: a copy of the content gains one and the bot uses it. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEngine, loadChecked, type InboundEvent, type Outbound, type Session } from '../../src/engine/index.js';
import { analyseAd, detectLanguage } from '../../src/screening/index.js';
import { contentCopy, loadShipped, root } from '../helpers/content.js';

const read = (file: string) => readFileSync(join(root, file), 'utf8');
const json = (file: string) => JSON.parse(read(file)) as Record<string, unknown>;
const keys = (messages: Outbound[]) => messages.map((m) => ('key' in m ? m.key : m.type));
const labels = (messages: Outbound[]) => messages.flatMap((m) => (m.type === 'choices' ? m.choices.map((c) => c.label) : []));

/** Plays events through an engine built from `paths` and returns each reply's messages. */
function play(
  paths: { flowsDir: string; localesDir: string },
  events: InboundEvent[],
  languageHint?: string,
): { messages: Outbound[]; session: Session | undefined }[] {
  const { content } = loadShipped(paths);
  const { engine } = buildEngine(content, { language: 'en' });
  let session: Session | undefined;
  return events.map((event) => {
    const result = engine.step(session, { conversation: 'c1', channel: 'test', ...(languageHint ? { languageHint } : {}), event }, 1000);
    session = result.session ?? undefined;
    return { messages: result.reply.messages, session };
  });
}

describe('a new fact topic, added in flows/ and locales/ only', () => {
  const facts = read('flows/facts.yaml').replace('  - myths\n', '  - myths\n  - health\n');
  const newFact = [
    '  - id: health_medical_fees',
    '    topic: health',
    '    text: facts.health_medical_fees',
    '    source:',
    '      title: "ILO General principles and operational guidelines for fair recruitment"',
    '      url: https://www.ilo.org/publications/general-principles-and-operational-guidelines-fair-recruitment',
    '      year: 2019',
    '',
  ].join('\n');
  // A button and a call of the topic's sub-flow in facts.flow.yaml, and the topic among the values fact_topic accepts.
  const flow = read('flows/facts.flow.yaml')
    .replace(
      '      - id: menu\n        label: common.menu\n        next: { flow: main, state: menu }\n  rights:',
      '      - { id: health, label: facts.topic.health, next: health }\n      - id: menu\n        label: common.menu\n        next: { flow: main, state: menu }\n  rights:',
    )
    .replace('  after:\n', '  health:\n    call: { flow: fact_topic, params: { topic: health }, then: after }\n  after:\n');
  const topicFlow = read('flows/fact_topic.flow.yaml').replace(
    'values: [rights, recruitment, scale, myths]',
    'values: [rights, recruitment, scale, myths, health]',
  );
  const enFacts = json('locales/en/facts.json') as Record<string, unknown> & { topic: Record<string, string> };
  enFacts.topic.health = 'Health checks';
  enFacts.health_medical_fees = 'A medical check for a job abroad is paid by the employer, not by you.';

  it('shows its button and its fact', () => {
    expect(flow).toContain('params: { topic: health }');
    expect(flow).toContain('next: health }');
    expect(topicFlow).toContain('myths, health]');
    const copy = contentCopy({
      'flows/facts.yaml': facts + newFact,
      'flows/facts.flow.yaml': flow,
      'flows/fact_topic.flow.yaml': topicFlow,
      'locales/en/facts.json': JSON.stringify(enFacts, null, 2),
    });
    try {
      const [, menu, fact] = play(copy.paths, [{ type: 'start' }, { type: 'choice', id: 'main/menu/rights' }, { type: 'choice', id: 'facts/pick/health' }]);
      expect(labels(menu!.messages)).toContain('Health checks');
      expect(keys(fact!.messages)).toContain('facts.health_medical_fees');
      expect(fact!.messages).toContainEqual(expect.objectContaining({ type: 'link', url: expect.stringContaining('ilo.org') }));
    } finally {
      copy.cleanup();
    }
  });

  it('names the file and line of a fact whose topic is not listed, and of a flow asking for an unknown topic', () => {
    const copy = contentCopy({
      'flows/facts.yaml': facts + newFact.replace('topic: health', 'topic: helth'),
      'flows/facts.flow.yaml': flow,
      'flows/fact_topic.flow.yaml': topicFlow,
      'locales/en/facts.json': JSON.stringify(enFacts, null, 2),
    });
    try {
      const { problems } = loadChecked(copy.paths, copy.dir);
      const line = (facts + newFact).split('\n').indexOf('    topic: health') + 1;
      expect(problems).toContainEqual(
        expect.objectContaining({
          file: 'flows/facts.yaml',
          line,
          message: expect.stringMatching(/unknown topic `helth`: use one of rights, recruitment, scale, myths, health/),
        }),
      );
      expect(problems).toContainEqual(
        expect.objectContaining({ file: 'flows/facts.yaml', message: 'topic `health` has no facts: add facts with `topic: health` or remove the topic' }),
      );
    } finally {
      copy.cleanup();
    }
    // Only the flows: the sub-flow's `randomFact` is checked for every value of its `topic`, and a call's value against the declared ones.
    const flowOnly = contentCopy({
      'flows/facts.flow.yaml': flow.replace('params: { topic: health }', 'params: { topic: healht }'),
      'flows/fact_topic.flow.yaml': topicFlow,
      'locales/en/facts.json': JSON.stringify(enFacts, null, 2),
    });
    try {
      const { problems } = loadChecked(flowOnly.paths, flowOnly.dir);
      expect(problems).toContainEqual(
        expect.objectContaining({
          file: 'flows/fact_topic.flow.yaml',
          line: 10,
          message: expect.stringMatching(/wrong params for `randomFact`: topic: a topic listed in flows\/facts.yaml/),
        }),
      );
      expect(problems).toContainEqual(
        expect.objectContaining({
          file: 'flows/facts.flow.yaml',
          message: expect.stringMatching(/`healht` is not a value of `topic` in flow `fact_topic`: use one of rights, recruitment, scale, myths, health/),
        }),
      );
    } finally {
      flowOnly.cleanup();
    }
  });
});

describe('a new language, added in locales/ and flows/job-ad-concepts/ only', () => {
  const files: Record<string, string> = {};
  for (const name of readdirSync(join(root, 'locales/en'))) files[`locales/de/${name}`] = read(`locales/en/${name}`);
  const menu = json('locales/en/menu.json') as Record<string, string>;
  files['locales/de/menu.json'] = JSON.stringify({ ...menu, welcome: 'Hallo! Ich helfe dir, ein Jobangebot zu prüfen.' }, null, 2);
  files['locales/de/_meta.json'] = JSON.stringify({
    name: 'German',
    nativeName: 'Deutsch',
    direction: 'ltr',
    translatedBy: 'a test',
    reviewedByNativeSpeaker: false,
  });
  // A start from the English file: German detection words and one German fee word; the English examples still hold.
  files['flows/job-ad-concepts/de.yaml'] = read('flows/job-ad-concepts/en.yaml')
    .replace('language: en', 'language: de')
    .replace('stemmer: en\n', '')
    .replace(/ {4}words: .*/, '    letters: äöüß\n    words: der die das und mit für ist wir sie ihr arbeit ohne erfahrung lohn monat stunde suchen bieten')
    .replace('  fee: [', '  fee: [vermittlungsgebühr, ');
  const ad = 'Wir suchen Lagerarbeiter für Deutschland, ohne Erfahrung. Die Vermittlungsgebühr von 300 Euro ist vor der Abreise zu zahlen.';

  it('is offered, spoken and recognised in a pasted job ad', () => {
    const copy = contentCopy(files);
    try {
      const { content } = loadShipped(copy.paths);
      expect(content.locales.languages).toContain('de');
      const [start, picker] = play(copy.paths, [{ type: 'start' }, { type: 'command', command: 'language' }], 'de-AT');
      expect(start!.session!.ctx.language).toBe('de');
      expect(start!.messages).toContainEqual(expect.objectContaining({ key: 'menu.welcome', text: expect.stringContaining('Hallo!') }));
      expect(labels(picker!.messages)).toContain('Deutsch');
      expect(detectLanguage(ad, content.adConcepts.profiles)).toBe('de');
      const analysis = analyseAd(ad, content.adConcepts, content.indicators);
      expect(analysis).toMatchObject({
        language: 'de',
        flags: [expect.objectContaining({ indicator: 'fee_upfront', text: 'Vermittlungsgebühr von 300 Euro' })],
      });
    } finally {
      copy.cleanup();
    }
  });

  it('names the line of a detection profile whose script is not a Unicode script', () => {
    const broken = files['flows/job-ad-concepts/de.yaml']!.replace('script: Latin', 'script: Latinn');
    const copy = contentCopy({ ...files, 'flows/job-ad-concepts/de.yaml': broken });
    try {
      const { problems } = loadChecked(copy.paths, copy.dir);
      const line = broken.split('\n').findIndex((l) => l.includes('script: Latinn')) + 1;
      expect(problems).toContainEqual(
        expect.objectContaining({ file: 'flows/job-ad-concepts/de.yaml', line, message: expect.stringMatching(/not a Unicode script name/) }),
      );
    } finally {
      copy.cleanup();
    }
  });

  it('names the line of an example sentence that does not raise its red flag', () => {
    const broken = files['flows/job-ad-concepts/de.yaml']!.replace('      - Please pay a registration fee of 100 EUR.', '      - Bitte zahlen Sie nichts.');
    const copy = contentCopy({ ...files, 'flows/job-ad-concepts/de.yaml': broken });
    try {
      const { problems } = loadChecked(copy.paths, copy.dir);
      const line = broken.split('\n').findIndex((l) => l.includes('Bitte zahlen Sie nichts.')) + 1;
      expect(problems).toContainEqual(
        expect.objectContaining({ file: 'flows/job-ad-concepts/de.yaml', line, message: expect.stringMatching(/does not raise `fee_upfront`/) }),
      );
    } finally {
      copy.cleanup();
    }
  });
});
