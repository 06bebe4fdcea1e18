/**
 * The emergency classifier (flows/understanding/examples) never turns the bot's own words into an
 * emergency. The emergency check runs before answers and choices, so this is where it would show:
 * in every language, the yes / no / not sure words and the answer buttons typed at a screening
 * question are answers, never emergencies; and every button label, typed at a screening question
 * or at the main menu, ends exactly as it does without the classifier (the rules decide it).
 */
import { describe, expect, it } from 'vitest';
import { buildEngine, type Engine, type StepResult } from '../../src/engine/index.js';
import { shippedEngine } from '../helpers/content.js';

const built = shippedEngine();
const { engine, content, translator: tr } = built;
const rulesOnly = buildEngine({ ...content, understanding: { ...content.understanding, examples: [], exampleModel: undefined } }, { language: 'en' }).engine;

const answerIds = ['yes', 'no', 'unsure'] as const;
/**
 * Answer words the word lists also list as a command: Arabic أبدا (never) normalises like ابدأ
 * (start), a `menu` word, so it opens the menu. A word-list conflict older than the classifier.
 */
const READ_AS_COMMAND: Record<string, string[]> = { ar: ['ابدا', 'أبدا', 'أبداً', 'ابداً'] };
/** Every label key a button of a flow uses, plus the screening answers and the commands menu. */
const labelKeys = [
  ...new Set([
    ...[...content.flows.values()].flatMap((flow) =>
      Object.values(flow.states).flatMap((state) => ('choices' in state ? state.choices.map((c: { label: string }) => c.label) : [])),
    ),
    ...answerIds.map((id) => `screening.answer.${id}`),
    'commands.menu',
    'commands.language',
    'commands.help',
    'commands.forget',
  ]),
];
const base = (language: string) => ({ conversation: 'answers', channel: 'test' as const, languageHint: language });
const intents = (result: StepResult) => result.notes.flatMap((n) => (n.type === 'intent' ? [n.intent] : []));

/** Types `text` at the first screening question; returns the answer it recorded and the intents noted. */
function atScreening(e: Engine, language: string, text: string) {
  const asked = e.begin(base(language), 'screening', 0);
  const result = e.step(asked.session ?? undefined, { ...base(language), event: { type: 'text', text } }, 0);
  const before = asked.session?.ctx.answers ?? {};
  const answer = Object.entries(result.session?.ctx.answers ?? {}).find(([id]) => !(id in before))?.[1];
  return { answer, intents: intents(result) };
}

/** Types `text` at the main menu; returns the intents noted and where the conversation went. */
function atMenu(e: Engine, language: string, text: string) {
  const opened = e.begin(base(language), 'main', 0);
  const result = e.step(opened.session ?? undefined, { ...base(language), event: { type: 'text', text } }, 0);
  return { intents: intents(result), at: `${result.session?.flow}/${result.session?.state}` };
}

describe('the bot’s own words are never read as an emergency by example', () => {
  it('has examples to learn from, so the classifier is on', () => {
    expect(content.understanding.examples.length).toBeGreaterThan(10);
    expect(engine.read('they took my passport and wont let me leave', 'en').emergency).toBeDefined();
  });

  for (const language of tr.languages) {
    it(`${language}: the yes / no / not sure words and answer buttons at a screening question are answers`, () => {
      const file = content.understanding.files.find((f) => f.language === language);
      const words = answerIds.flatMap((id) => [
        ...(file?.chat ? (file.answers?.[id] ?? []) : []).map((text) => ({ text, id })),
        { text: tr.t(language, `screening.answer.${id}`), id },
      ]);
      expect(words.length).toBeGreaterThan(6);
      const failures: string[] = [];
      for (const { text, id } of words) {
        const got = atScreening(engine, language, text);
        if (got.intents.includes('emergency')) failures.push(`${text} → emergency`);
        else if (got.answer !== id && !READ_AS_COMMAND[language]?.includes(text)) failures.push(`${text} → ${got.answer ?? 'no answer'} (want ${id})`);
      }
      expect(failures).toEqual([]);
    });

    it(`${language}: every button label, at a screening question or the main menu, ends as it does without the classifier`, () => {
      const failures: string[] = [];
      for (const key of labelKeys) {
        const text = tr.t(language, key);
        const [withExamples, without] = [atScreening(engine, language, text), atScreening(rulesOnly, language, text)];
        if (JSON.stringify(withExamples) !== JSON.stringify(without))
          failures.push(`screening, ${key} "${text}": ${withExamples.intents} vs ${without.intents}`);
        const [menuWith, menuWithout] = [atMenu(engine, language, text), atMenu(rulesOnly, language, text)];
        if (JSON.stringify(menuWith) !== JSON.stringify(menuWithout)) failures.push(`menu, ${key} "${text}": ${menuWith.intents} vs ${menuWithout.intents}`);
        if (engine.read(text, language).emergency?.rule === 'like_emergency_examples') failures.push(`read(), ${key} "${text}": like_emergency_examples`);
      }
      expect(failures).toEqual([]);
    });
  }
});
