/**
 * What the classifier's scoring costs against another commit's, interleaved in one process (order alternating per
 * round, 41 rounds): the shipped model's data scored by both on the bench's six typed messages and a 3,000-character
 * message. Both are fresh copies in tmp/: the module the engine already used runs 10-15 % slower than a fresh
 * copy of the very same code (its call sites have seen other shapes), so comparing src/ with a copy misleads.
 *
 *   node bin/run-ts.js scripts/experiments/classifier-cost.ts <commit>
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ClassifierData, TextClassifier } from '../../src/understanding/classifier.js';
import { tokenize } from '../../src/understanding/normalise.js';
import { loadShipped } from '../../test/helpers/content.js';
import { root, scratch } from './shared.js';
import { TYPED } from '../../bench/understanding-bench.js';

const commit = process.argv[2];
if (!commit || commit.startsWith('-')) {
  console.log(
    "usage: node bin/run-ts.js scripts/experiments/classifier-cost.ts <commit>\nTimes the classifier of this tree against that commit's, interleaved in one process.",
  );
  process.exit(commit === '--help' ? 0 : 2);
}
const dir = join(scratch, 'cost');
mkdirSync(dir, { recursive: true });
const relink = (source: string) => source.replace("from './normalise.js'", `from '${pathToFileURL(join(root, 'src/understanding/normalise.ts')).href}'`);
writeFileSync(join(dir, 'this.ts'), relink(readFileSync(join(root, 'src/understanding/classifier.ts'), 'utf8')));
writeFileSync(join(dir, 'other.ts'), relink(execFileSync('git', ['show', `${commit}:src/understanding/classifier.ts`], { cwd: root, encoding: 'utf8' })));
type Module = { classifierFromData: (data: ClassifierData) => TextClassifier };
const mine = (await import(pathToFileURL(join(dir, 'this.ts')).href)) as Module;
const other = (await import(pathToFileURL(join(dir, 'other.ts')).href)) as Module;

const data = loadShipped().content.understanding.exampleModel!.classifier;
const both = { this: mine.classifierFromData(data), [commit]: other.classifierFromData(data) };
const short = TYPED.map((t) => tokenize(t).tokens);
const long = tokenize('my boss is strict but pays on time, is it normal? '.repeat(60).slice(0, 3000)).tokens;
const cpu = (fn: (i: number) => void, calls: number) => {
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i++) fn(i);
  const d = process.cpuUsage(start);
  return (d.user + d.system) / calls;
};
const runs: Record<string, number[]> = {};
for (let round = 0; round < 41; round++) {
  const names = Object.keys(both);
  for (const name of round % 2 === 0 ? names : names.reverse()) {
    const c = both[name]!;
    (runs[`${name}, six typed messages`] ??= []).push(cpu((i) => c.scoreTokens(short[i % 6]!), 12000));
    (runs[`${name}, 3,000 characters`] ??= []).push(cpu(() => c.scoreTokens(long), 60));
  }
}
const at = (xs: number[], f: number) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length * f)]!;
for (const [name, xs] of Object.entries(runs).sort())
  console.log(`${name}: 10th percentile ${at(xs, 0.1).toFixed(3)} µs, median ${at(xs, 0.5).toFixed(3)} µs CPU per message`);
