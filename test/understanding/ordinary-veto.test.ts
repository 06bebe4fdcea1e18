/**
 * The ordinary veto: a weak rule hit (rules.yaml `weak`) is overruled when the example classifier is
 * sure the message is ordinary; never a strong rule, a `never_overruled` set, a short message, or a
 * rule that needs the writer themself unless the score is far lower. Small lists and examples here;
 * the shipped content is checked at the end.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { trainExampleModel, type ExampleSettings } from '../../src/understanding/emergency-examples.js';
import { createUnderstanding, type ExampleFile, type RulesFile, type WordListFile } from '../../src/understanding/index.js';
import { loadUnderstanding } from '../../src/content/index.js';
import { root } from '../helpers/content.js';
import { shippedUnderstanding } from './shipped.js';

const files: WordListFile[] = [
  {
    language: 'en',
    chat: true,
    concepts: {
      document: ['passport', 'passports'],
      taken: ['keeps', 'keep', 'took'],
      cannot: ['cannot'],
      minor: ['child'],
      emergency_service: ['police'],
      self: ['i', 'my', 'me', 'we', 'us'],
    },
    answers: { yes: ['yes'], no: ['no'], unsure: ['not sure'] },
    intents: { menu: ['main menu'] },
  },
];
const rules: RulesFile = {
  emergency: [
    { id: 'police', any: ['emergency_service'] },
    { id: 'documents_taken_self', all: ['document', 'taken', 'self'], weak: true },
    { id: 'documents_taken', all: ['document', 'taken'], weak: true },
    // Strong, and after the weak rules on purpose: the first rule names the hit, every rule that holds counts.
    { id: 'documents_taken_and_control', all: ['document', 'taken'], any: ['cannot'] },
  ],
  never_overruled: [['minor']],
};
const examples: ExampleFile[] = [
  {
    language: 'en',
    emergency: [
      { text: 'boss took the passport, beat us, locked door, no food' },
      { text: 'they took the passport and locked us in the farm' },
      { text: 'locked in, boss beat us, no food, no water' },
      { text: 'boss beat us again, locked in, no salary' },
    ],
    ordinary: [
      { text: 'is it normal that the agency keeps passports for the visa' },
      { text: 'is it normal that the agency keeps passports two weeks' },
      { text: 'is it normal that the agency keeps the passport for visa processing' },
      { text: 'is it legal that the agency keeps passports for the visa' },
      { text: 'is it normal that an agency keeps passports' },
    ],
  },
];
const settings: ExampleSettings = {
  classifier: { model: 'nb', ngrams: [2, 4] },
  wordLists: false,
  minWords: 4,
  threshold: 0.93,
  veto: { minWords: 6, below: 0.3, belowSelf: 0.05 },
};
const u = createUnderstanding(files, rules, [], trainExampleModel(examples, files, settings));

describe('the ordinary veto', () => {
  it('overrules a weak hit the examples are sure is ordinary, and says which rule it overruled', () => {
    const reading = u.read('is it normal that the agency keeps passports for the visa?', 'en');
    expect(reading.emergency).toBeUndefined();
    expect(reading.overruled).toEqual({ rule: 'documents_taken', score: expect.any(Number) });
    expect(reading.overruled!.score).toBeLessThan(0.3);
    // The concepts are still reported (lantern chat --json shape unchanged).
    expect(reading.concepts.map((c) => c.id)).toEqual(expect.arrayContaining(['document', 'taken']));
  });

  it('never overrules when a rule that is not weak also holds, even one listed after the weak one', () => {
    const reading = u.read('is it normal that the agency keeps passports, cannot go out', 'en');
    expect(reading.emergency?.rule).toBe('documents_taken');
    expect(reading.overruled).toBeUndefined();
  });

  it('never overrules a message holding a never_overruled set', () => {
    const reading = u.read('is it normal that the agency keeps passports of the child for the visa', 'en');
    expect(reading.emergency?.rule).toBe('documents_taken');
    expect(reading.overruled).toBeUndefined();
  });

  it('never overrules a message of fewer than veto.minWords words', () => {
    expect(u.read('agency keeps passports, normal?', 'en').emergency?.rule).toBe('documents_taken');
  });

  it('overrules a rule that needs the writer themself only below the stricter belowSelf', () => {
    const text = 'the agency boss keeps my passport in the farm';
    const reading = u.read(text, 'en');
    expect(reading.emergency?.rule).toBe('documents_taken_self');
    // The same message and score without the stricter threshold would have been overruled.
    const lax = createUnderstanding(files, rules, [], trainExampleModel(examples, files, { ...settings, veto: { ...settings.veto, belowSelf: 0.3 } }));
    expect(lax.read(text, 'en').overruled).toEqual({ rule: 'documents_taken_self', score: expect.any(Number) });
    expect(lax.read(text, 'en').overruled!.score).toBeGreaterThanOrEqual(0.05);
  });

  it('overrules nothing without examples, nor with a model cached before the veto existed', () => {
    const text = 'is it normal that the agency keeps passports for the visa?';
    expect(createUnderstanding(files, rules).read(text, 'en').emergency?.rule).toBe('documents_taken');
    const { veto: _veto, ...old } = settings;
    const model = trainExampleModel(examples, files, old as ExampleSettings)!;
    expect(createUnderstanding(files, rules, [], model).read(text, 'en').emergency?.rule).toBe('documents_taken');
  });
});

describe('the ordinary veto with the shipped lists and examples', () => {
  const shipped = shippedUnderstanding();

  it('overrules questions about the rules and past accounts that are over (round 03f ordinary messages)', () => {
    expect(shipped.read('es legal q la empresa se quede con el pasaporte de los trabajadores en estados unidos?', 'es').emergency).toBeUndefined();
    expect(shipped.read('es legal q la empresa se quede con el pasaporte de los trabajadores en estados unidos?', 'es').overruled?.rule).toBeDefined();
    expect(shipped.read('ban e truoc bi giu o tau ca 3 nam, gio ve roi, co duoc boi thuong ko', 'vi').emergency).toBeUndefined();
  });

  it('never overrules the shipped never_overruled sets (a child named in an ordinary-looking question)', () => {
    const { value } = loadUnderstanding(join(root, 'flows'), root, new Map());
    const v = value!;
    const lax = createUnderstanding(v.files, { ...v.rules, never_overruled: [] }, v.countries, v.exampleModel);
    const text = 'es legal q la empresa se quede con el pasaporte de los trabajadores en estados unidos? mi hija tiene 14 anos';
    expect(shipped.read(text, 'es').emergency).toBeDefined();
    expect(shipped.read(text, 'es').overruled).toBeUndefined();
    // Without the sets the examples would overrule it: the test can fail.
    expect(lax.read(text, 'es').overruled).toBeDefined();
  });

  it('overrules no emergency message of the regression sets', () => {
    const sets = join(import.meta.dirname, '../fixtures/understanding-eval');
    const overruled: string[] = [];
    for (const set of readdirSync(sets).filter((d) => d.startsWith('regression-')))
      for (const f of readdirSync(join(sets, set)).filter((x) => x.endsWith('.yaml'))) {
        const file = parse(readFileSync(join(sets, set, f), 'utf8')) as { language: string; emergency?: { text: string }[] };
        for (const m of file.emergency ?? []) if (shipped.read(m.text, file.language).overruled) overruled.push(`${set}/${file.language}: ${m.text}`);
      }
    expect(overruled).toEqual([]);
  });
});
