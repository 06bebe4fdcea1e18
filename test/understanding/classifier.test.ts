import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { classifierFromData, trainClassifier, type LabelledText } from '../../src/understanding/classifier.js';
import { tokenize } from '../../src/understanding/normalise.js';

const emergencies = [
  'help me please they took my passport',
  'they locked me in the room',
  'помогите меня заперли',
  'pomogite zaperli',
  'my boss beats me and took my passport',
  'i am locked in and cannot leave',
  'ayuda me encerraron',
  'save me please',
];
const ordinary = [
  'how do i renew my passport',
  'can you help me with my cv',
  'what is the minimum wage in dubai',
  'как продлить визу',
  'is this job offer real',
  'where is the embassy',
  'como renovar mi pasaporte',
  'thanks for the information',
];
const examples: LabelledText[] = [...emergencies.map((text) => ({ text, emergency: true })), ...ordinary.map((text) => ({ text, emergency: false }))];

describe('trainClassifier', () => {
  it.each(['lr', 'nb'] as const)('%s: separates the messages it learned from, and generalises to a close variant', (model) => {
    const c = trainClassifier(examples, { model });
    for (const text of emergencies) expect(c.score(text)).toBeGreaterThan(0.5);
    for (const text of ordinary) expect(c.score(text)).toBeLessThan(0.5);
    expect(c.score('pls help they locked me')).toBeGreaterThan(c.score('how do i renew my visa'));
  });

  it.each(['lr', 'nb'] as const)('%s: is deterministic and survives a round trip through plain data (v8, as the content cache keeps it)', (model) => {
    const a = trainClassifier(examples, { model });
    const b = trainClassifier(examples, { model });
    const text = 'they took my pasport, help';
    expect(a.score(text)).toBe(b.score(text));
    const data = deserialize(serialize(a.toData())) as ReturnType<typeof a.toData>;
    expect(classifierFromData(data).score(text)).toBe(a.score(text));
  });

  it('explains a score with the features that fired, as typed after normalisation', () => {
    const c = trainClassifier(examples);
    const e = c.explain('HELPPP they locked me', 100);
    expect(e.score).toBe(c.score('HELPPP they locked me'));
    expect(e.up.length).toBeGreaterThan(0);
    expect(e.up.every((f) => f.contribution > 0)).toBe(true);
    const names = e.up.map((f) => f.feature);
    expect(names).toContain('word:locked');
    expect(names).toContain('<lo');
    expect(names.every((n) => /^(word:|pair:|length:)|^[<>a-z]+$/.test(n))).toBe(true);
  });

  it('names the tokens whose features pushed the score up most, strongest first, and counts the features it read', () => {
    const c = trainClassifier(examples, { model: 'nb' });
    const tokens = tokenize('so, they LOCKED me in the room').tokens;
    const top = c.strongestTokens(tokens, 3);
    expect(top.length).toBeGreaterThan(0);
    expect(top.length).toBeLessThanOrEqual(3);
    expect(top.map((i) => tokens[i]!.folded)).toContain('locked');
    expect(c.strongestTokens(tokenize('').tokens, 3)).toEqual([]);
    let features = 0;
    c.scoreTokens(tokens, (n) => (features = n));
    // Every word gives several n-grams, itself and a pair; plus one length feature.
    expect(features).toBeGreaterThan(3 * tokens.length);
  });

  it('scores empty text and 3,000 characters in any script', () => {
    const c = trainClassifier(examples);
    for (const text of ['', '   ', '🙂', 'a'.repeat(3000), 'ជួយខ្ញុំផង'.repeat(300), 'pomogi помоги مساعدة बचाओ 112 '.repeat(100)]) {
      const s = c.score(text);
      expect(s).toBeGreaterThan(0);
      expect(s).toBeLessThan(1);
    }
  });

  it('pairsAcross (off by default) adds each pair of words one word apart, so a word in between does not hide a pair', () => {
    const plain = trainClassifier(examples, { model: 'nb' });
    const across = trainClassifier(examples, { model: 'nb', pairsAcross: true });
    const names = (c: typeof plain, text: string) => [...c.explain(text, 1000).up, ...c.explain(text, 1000).down].map((f) => f.feature);
    expect(names(plain, 'they locked me in').some((n) => n.startsWith('across:'))).toBe(false);
    // "took my passport" was learned; "took his passport" shares only the pair across one word with it
    // (named in folded forms: a doubled letter is read as one).
    expect(names(across, 'took his passport')).toContain('across:tok _ pasport');
    expect(across.score('took his passport')).toBeGreaterThan(plain.score('took his passport'));
    let plainCount = 0;
    let acrossCount = 0;
    const tokens = tokenize('they took my passport').tokens;
    plain.scoreTokens(tokens, (n) => (plainCount = n));
    across.scoreTokens(tokens, (n) => (acrossCount = n));
    expect(acrossCount - plainCount).toBe(tokens.length - 2);
    // The option travels with the model's data.
    expect(classifierFromData(across.toData()).score('took his passport')).toBe(across.score('took his passport'));
  });

  it('needs examples of both kinds', () => {
    expect(() => trainClassifier(examples.filter((e) => e.emergency))).toThrow(/both kinds/);
  });
});
