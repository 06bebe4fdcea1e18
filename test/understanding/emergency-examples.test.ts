/** The gate of the examples' classifier, and what createUnderstanding reports when it decides. */
import { describe, expect, it } from 'vitest';
import { deserialize, serialize } from 'node:v8';
import { createExampleJudge, EXAMPLES_ID, gateAllows, messageWords, trainExampleModel, trainingExamples } from '../../src/understanding/emergency-examples.js';
import { createUnderstanding, tokenize, type ExampleFile, type RulesFile, type WordListFile } from '../../src/understanding/index.js';

const words = (text: string) => messageWords(tokenize(text).tokens);

const examples: ExampleFile[] = [
  {
    language: 'en',
    emergency: [
      { text: 'the kafeel locked us in the house and took our passports' },
      { text: 'boss keeps us locked inside, no salary for months' },
      { text: 'they locked my sister in a room and beat her' },
      { text: 'we are locked in the farm and the guard has a gun' },
    ],
    ordinary: [
      { text: 'how do i renew my passport at the embassy' },
      { text: 'what is the minimum salary for a driver' },
      { text: 'my sister wants to work in a hotel abroad' },
      { text: 'is the farm job in the ad a real offer' },
    ],
  },
];
const files: WordListFile[] = [
  {
    language: 'en',
    chat: true,
    concepts: { help_plea: ['help me'], violence: ['beat', 'beat me'], everyday: ['cv'], self: ['i', 'my', 'we', 'us'] },
    answers: { yes: ['yes'], no: ['no', 'no they didnt'], unsure: ['not sure'] },
    intents: { menu: ['main menu'] },
  },
];
const rules: RulesFile = { emergency: [{ id: 'plea', any: ['help_plea'], first_person: true }] };

describe('messageWords', () => {
  it('counts tokens in spaced scripts', () => {
    expect(words('they took my passport')).toBe(4);
    expect(words('помогите мне')).toBe(2);
    expect(words('')).toBe(0);
  });

  it('does not count numbers: a phone number or a date is no message of words', () => {
    expect(words('+971 50 123 4567')).toBe(0);
    expect(words('12 12 2026 10 30')).toBe(0);
    expect(words('i am 14 years old')).toBe(4);
  });

  it('counts Khmer and Burmese, written without spaces, one word per two letters that are not stacked or silenced', () => {
    // ជួយ ខ្ញុំ ផង: help me please, three words in one run: ជ យ ខ ផ ង (ញ is stacked under ខ).
    expect(words('ជួយខ្ញុំផង')).toBe(3);
    expect(words('ជួយផង')).toBe(2);
    expect(words('ប្អូនប្រុសខ្ញុំត្រូវគេលក់ទៅភូមា')).toBeGreaterThanOrEqual(4);
    // ကယ်ပါ (save me): ယ် is silenced by the asat, so two syllables, one word.
    expect(words('ကယ်ပါ')).toBe(1);
    expect(words('ကျွန်မကို အခန်းထဲမှာ ပိတ်ထားတယ်')).toBeGreaterThanOrEqual(4);
  });
});

describe('gateAllows', () => {
  const tokens = (text: string) => tokenize(text).tokens;
  const reading = (text: string, extra: { intent?: string; answer?: string; places?: unknown[] } = {}) => ({
    tokens: tokenize(text).tokens.length,
    places: [],
    ...extra,
  });

  it('lets through a message of at least minWords words', () => {
    expect(gateAllows(tokens('they locked us in'), reading('they locked us in'), 3)).toBe(true);
    expect(gateAllows(tokens('locked in'), reading('locked in'), 3)).toBe(false);
  });

  it('never an answer, a command or a place named in five tokens or fewer', () => {
    expect(gateAllows(tokens('no they didnt'), reading('no they didnt', { answer: 'no' }), 2)).toBe(false);
    expect(gateAllows(tokens('go to main menu'), reading('go to main menu', { intent: 'menu' }), 2)).toBe(false);
    expect(gateAllows(tokens('i am in dubai now'), reading('i am in dubai now', { places: [{}] }), 2)).toBe(false);
    const long = 'they took us from dubai to a farm and locked the door';
    expect(gateAllows(tokens(long), reading(long, { places: [{}] }), 3)).toBe(true);
  });
});

describe('trainExampleModel and createExampleJudge', () => {
  it('needs example messages of both kinds: the word lists alone train nothing', () => {
    expect(trainExampleModel([], files)).toBeUndefined();
    expect(trainExampleModel([{ language: 'en', emergency: [{ text: 'they locked us in' }] }], files)).toBeUndefined();
  });

  it('learns from the word lists’ phrases too: pleas and trouble phrases as emergencies, everyday words as ordinary', () => {
    const learned = trainingExamples(examples, files, true);
    expect(learned).toEqual(
      expect.arrayContaining([
        { text: 'help me', emergency: true },
        { text: 'beat me', emergency: true },
        { text: 'cv', emergency: false },
      ]),
    );
    // One listed word of trouble is no emergency by itself.
    expect(learned).not.toContainEqual({ text: 'beat', emergency: true });
    expect(trainingExamples(examples, files, false)).toHaveLength(8);
  });

  it('reports the score and the words that weighed most, as typed, above the threshold only', () => {
    const settings = {
      classifier: { model: 'nb' as const, ngrams: [1, 5] as const },
      wordLists: false,
      minWords: 3,
      threshold: 0.5,
      veto: { minWords: 6, below: 0.3, belowSelf: 0.05 },
    };
    // Through v8 serialisation, as the content cache keeps the model.
    const judge = createExampleJudge(deserialize(serialize(trainExampleModel(examples, files, settings))) as Parameters<typeof createExampleJudge>[0]);
    const text = 'They LOCKED us inside the farm';
    const tokens = tokenize(text).tokens;
    let work = 0;
    const judged = judge.judge(text, tokens, { tokens: tokens.length, places: [] }, (n) => (work += n));
    expect(judged?.score).toBeGreaterThan(0.5);
    expect(judged!.words.length).toBeGreaterThan(0);
    expect(judged!.words.length).toBeLessThanOrEqual(3);
    for (const w of judged!.words) expect(text).toContain(w);
    expect(judged!.words).toContain('LOCKED');
    expect(work).toBeGreaterThan(0);
    expect(judge.judge('how do i renew my passport', tokenize('how do i renew my passport').tokens, { tokens: 6, places: [] }, () => {})).toBeUndefined();
  });
});

describe('createUnderstanding with examples', () => {
  const u = createUnderstanding(files, rules, [], trainExampleModel(examples, files));

  it('adds an emergency the rules did not find, as rule and concept like_emergency_examples', () => {
    const reading = u.read('they locked us inside the farm', 'en');
    expect(reading.emergency).toEqual({ rule: EXAMPLES_ID, firstPerson: true, words: expect.any(Array) });
    expect(reading.concepts).toContainEqual({ id: EXAMPLES_ID, words: reading.emergency!.words, language: 'en' });
  });

  it('leaves what the rules decide to the rules, and answers and commands alone', () => {
    expect(u.read('help me please they locked us', 'en').emergency?.rule).toBe('plea');
    expect(u.read('no they didnt', 'en').emergency).toBeUndefined();
    expect(u.read('no they didnt', 'en').answer).toBe('no');
    expect(u.read('main menu', 'en').emergency).toBeUndefined();
  });

  it('without examples reads as before', () => {
    const plain = createUnderstanding(files, rules);
    expect(plain.read('they locked us inside the farm', 'en').emergency).toBeUndefined();
  });
});
