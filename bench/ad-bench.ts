/**
 * The job-ad analyser on adversarial inputs against a benign ad of the same length (3,000
 * characters): milliseconds per call and the ratio. Part of `npm run bench`. The goal: no
 * input more than 0.5 s slower than a benign ad of its length (tests count work, never seconds).
 */
import { loadContent, type ContentPaths } from '../src/content/index.js';
import { analyseAd } from '../src/screening/index.js';

const N = 3000;
const fill = (unit: string) => unit.repeat(Math.ceil(N / unit.length)).slice(0, N);

/** Adversarial inputs of 3,000 characters: digits, spaces, one Cyrillic letter, repeated words in every script. */
const ADVERSARIAL: Record<string, { text: string; lang?: string }> = {
  cyrillicLetterDigitsSpaces: { text: `ж${fill('1 ')}`.slice(0, N), lang: 'ru' },
  digits: { text: fill('7') },
  spaces: { text: `a${' '.repeat(N - 1)}` },
  plusDigits: { text: fill('+1 ') },
  englishWords: { text: fill('fee pay passport keep employer '), lang: 'en' },
  ukrainianWords: { text: fill('внесок оплата паспорт роботодавець '), lang: 'uk' },
  russianWords: { text: fill('взнос оплата паспорт работодатель '), lang: 'ru' },
  arabicWords: { text: fill('رسوم دفع جواز صاحب '), lang: 'ar' },
  hindiWords: { text: fill('शुल्क भुगतान पासपोर्ट मालिक '), lang: 'hi' },
  khmerRun: { text: fill('ថ្លៃសេវាលិខិតឆ្លងដែន'), lang: 'km' },
  negationsAndPhrases: { text: fill('no work no visa no contract not never '), lang: 'en' },
};
const BENIGN = fill('We are hiring bakery staff in Lyon, full time, contract from the first day, training given, 12 EUR per hour, apply at jobs@example.com. ');

/** Milliseconds per call, the median of several timed batches. */
function msPerCall(fn: () => void, calls = 20, batches = 5): number {
  fn();
  const times: number[] = [];
  for (let b = 0; b < batches; b++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) fn();
    times.push((performance.now() - start) / calls);
  }
  times.sort((a, b) => a - b);
  return Number(times[Math.floor(times.length / 2)]!.toFixed(3));
}

/** Runs the measurements; figures for the table and the BENCH line. */
export function benchAds(paths: ContentPaths): { benignMs: number; adversarialMs: Record<string, number>; worstMs: number; worstVsBenign: number } {
  const { content } = loadContent(paths);
  if (!content) throw new Error('content does not load: run `npx lantern validate`');
  const { adConcepts, indicators } = content;
  const benignMs = msPerCall(() => analyseAd(BENIGN, adConcepts, indicators, { lang: 'en' }));
  const adversarialMs: Record<string, number> = {};
  for (const [name, input] of Object.entries(ADVERSARIAL))
    adversarialMs[name] = msPerCall(() => analyseAd(input.text, adConcepts, indicators, input.lang ? { lang: input.lang } : {}));
  const worstMs = Math.max(...Object.values(adversarialMs));
  return { benignMs, adversarialMs, worstMs, worstVsBenign: Number((worstMs / benignMs).toFixed(2)) };
}
