/**
 * Typed text: what reading it costs inside a turn, against the exact word matching it replaced,
 * measured in the same run; and the worst 3,000-character inputs. Part of `npm run bench`.
 *
 * The typed-text turn ratio is (typed turn) / (typed turn − read() + exact matching), where each
 * term is measured here on the same messages: the same turn as it would cost with whole-word
 * lookups in a keyword set instead of the understanding module.
 */
import { join, resolve } from 'node:path';
import { buildEngine, type Inbound, type Session } from '../src/engine/index.js';
import { loadContent } from '../src/content/index.js';

/** Messages typed at the main menu: a label, a number, a question, a plea (also timed by scripts/read-cost.ts and scripts/experiments/classifier-cost.ts). */
export const TYPED = [
  'check a job offer',
  '2',
  'is it dangerous to work in Dubai?',
  'помогите мне пожалуйста',
  'hindi ko alam',
  'they took my passport and wont let me leave',
];
/** Adversarial inputs of 3,000 characters in several scripts. */
const ADVERSARIAL: Record<string, string> = {
  longCyrillicWord: 'помогите'.repeat(375),
  digits: '1'.repeat(3000),
  digitsAndSpaces: '1 '.repeat(1500),
  spaces: ' '.repeat(3000),
  repeatedWords: 'help me passport '.repeat(176),
  mixedScripts: 'pomogi помоги مساعدة बचाओ ជួយ ကူညီ 112 '.repeat(75),
  khmerRun: 'ជួយខ្ញុំផង'.repeat(300),
  arabicRun: 'ساعدوني'.repeat(428),
  // No emergency word: the rules find nothing, so the examples' classifier reads all of it too.
  ordinaryLatin: 'how much does a work visa for the emirates cost this year '.repeat(60).slice(0, 3000),
  ordinaryCyrillic: 'сколько стоит рабочая виза в эмираты в этом году '.repeat(70).slice(0, 3000),
};

/** Interleaved measuring rounds of the typed-turn ratio (odd, so the median is one round). */
const ROUNDS = 31;

const timePerCall = (calls: number, fn: (i: number) => void): number => {
  const start = performance.now();
  for (let i = 0; i < calls; i++) fn(i);
  return ((performance.now() - start) / calls) * 1000; // µs
};

/** The matching the understanding module replaced: normalise, then whole words against a keyword set. */
function exactMatcher(words: readonly string[]): (text: string) => boolean {
  const set = new Set(words.map((w) => w.toLowerCase()));
  return (text) => {
    const n = text
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
    if (set.has(n)) return true;
    for (const token of n.split(' ')) if (set.has(token)) return true;
    return false;
  };
}

/** Runs the typed-text benchmark; returns its figures. */
export function benchUnderstanding(paths: { flowsDir: string; localesDir: string }, calls = 5000) {
  const { content } = loadContent(paths);
  if (!content) throw new Error('content did not load');
  let t = performance.now();
  const { engine } = buildEngine(content, { language: 'en' });
  engine.warm();
  const buildMs = performance.now() - t;
  const base = { conversation: 'bench', channel: 'test' as const };
  const menu: Session = engine.step(undefined, { ...base, event: { type: 'start', payload: 'md' } }, 0).session!;
  const turn = (text: string) => engine.step(menu, { ...base, event: { type: 'text', text } } as Inbound, 0);
  const exact = exactMatcher(['sos', 'help', 'help me', 'danger', 'emergency', 'police', 'urgent', 'menu', 'language', 'forget', 'yes', 'no']);
  // Warm up every path, then measure the three terms in interleaved rounds on the same messages: a
  // burst of load elsewhere on the machine then falls on all three terms of a round alike, and the
  // median round says what the turn costs (measured one after the other, the terms drifted by 10 %).
  for (let i = 0; i < 2000; i++) turn(TYPED[i % TYPED.length]!);
  const per = TYPED.length * Math.max(10, Math.round(calls / ROUNDS / TYPED.length));
  const rounds: { turn: number; read: number; exact: number }[] = [];
  for (let r = 0; r < ROUNDS; r++)
    rounds.push({
      turn: timePerCall(per, (i) => turn(TYPED[i % TYPED.length]!)),
      read: timePerCall(per, (i) => engine.read(TYPED[i % TYPED.length]!, 'en')),
      exact: timePerCall(per, (i) => exact(TYPED[i % TYPED.length]!)),
    });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ratios = rounds.map((r) => r.turn / (r.turn - r.read + r.exact)).sort((a, b) => a - b);
  const typedTurnUs = median(rounds.map((r) => r.turn));
  const readUs = median(rounds.map((r) => r.read));
  const exactUs = median(rounds.map((r) => r.exact));
  const worst: Record<string, number> = {};
  for (const [name, text] of Object.entries(ADVERSARIAL)) {
    turn(text);
    worst[name] = Number((timePerCall(10, () => turn(text)) / 1000).toFixed(2));
  }
  return {
    indexBuildMs: Math.round(buildMs),
    typedTurnUs: Number(typedTurnUs.toFixed(1)),
    readUs: Number(readUs.toFixed(1)),
    exactMatchUs: Number(exactUs.toFixed(2)),
    typedTurnVsExact: Number(median(ratios).toFixed(3)),
    typedTurnVsExactQuartiles: [Number(ratios[Math.floor(ROUNDS / 4)]!.toFixed(3)), Number(ratios[Math.floor((3 * ROUNDS) / 4)]!.toFixed(3))],
    worstTurnMs: Math.max(...Object.values(worst)),
    adversarialTurnMs: worst,
  };
}

// `node bin/run-ts.js bench/understanding-bench.ts` prints this benchmark's figures alone.
if (process.argv[1] === import.meta.filename) {
  const root = resolve(import.meta.dirname, '..');
  console.log(JSON.stringify(benchUnderstanding({ flowsDir: join(root, 'flows'), localesDir: join(root, 'locales') }), null, 2));
}
