/** Measures understanding read(): a typical message and adversarial 3,000-character inputs. Not a test. */
import { join, resolve } from 'node:path';
import { loadUnderstanding } from '../src/flows/load-understanding.js';
import { createUnderstanding } from '../src/understanding/index.js';

const root = resolve(import.meta.dirname, '..');
let t = performance.now();
const { value } = loadUnderstanding(join(root, 'flows'), root, new Map());
const loadMs = performance.now() - t;
t = performance.now();
const u = createUnderstanding(value!.files, value!.rules, value!.countries());
const buildMs = performance.now() - t;

const typical = ['they took my passport and wont let me', 'hello I want to check a job offer', 'помогите мне пожалуйста они забрали паспорт', 'is it dangerous to work in Dubai now'];
for (let i = 0; i < 2000; i++) u.read(typical[i % 4]!, 'en');
const calls = 10_000;
t = performance.now();
for (let i = 0; i < calls; i++) u.read(typical[i % 4]!, 'en');
const typicalUs = ((performance.now() - t) / calls) * 1000;

const adversarial: Record<string, string> = {
  longCyrillicWord: 'помогите'.repeat(375),
  digits: '1'.repeat(1500),
  spaces: ' '.repeat(3000),
  repeatedWords: 'help me passport '.repeat(176),
  mixedScripts: 'pomogi помоги مساعدة बचाओ ជួយ ကူညီ 112 '.repeat(75),
};
const worstMs: Record<string, number> = {};
for (const [name, text] of Object.entries(adversarial)) {
  u.read(text, 'en');
  t = performance.now();
  for (let i = 0; i < 20; i++) u.read(text, 'en');
  worstMs[name] = (performance.now() - t) / 20;
}
const figures = { loadMs: Math.round(loadMs), buildMs: Math.round(buildMs), typicalReadUs: Number(typicalUs.toFixed(2)), ...Object.fromEntries(Object.entries(worstMs).map(([k, v]) => [`${k}Ms`, Number(v.toFixed(3))])) };
for (const [k, v] of Object.entries(figures)) process.stdout.write(`${k.padEnd(22)} ${v}\n`);
process.stdout.write(`BENCH ${JSON.stringify(figures)}\n`);
