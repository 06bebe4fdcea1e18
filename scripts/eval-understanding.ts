/**
 * Runs evaluation sets of typed messages through the engine, exactly as `lantern chat --json
 * --fresh` does, and prints per-language figures with 95 % Wilson intervals.
 *
 *   node bin/run-ts.js scripts/eval-understanding.ts test/fixtures/understanding-eval/regression [--misses] [--json]
 *
 * A set is a folder of `<lang>.yaml` files with `emergency`, `ordinary`, `countries` and `answers`
 * lists (see test/fixtures/understanding-eval/README.md). Figures on a set the rules were tuned on
 * are a regression check, not a result.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { evaluateSet, formatReport, type EvalSet } from '../test/helpers/understanding-eval.js';
import { shippedEngine } from '../test/helpers/content.js';

const args = process.argv.slice(2);
const dirs = args.filter((a) => !a.startsWith('--'));
if (dirs.length === 0 || args.includes('--help')) {
  console.log('usage: node bin/run-ts.js scripts/eval-understanding.ts <set folder>... [--misses] [--json]');
  process.exit(dirs.length === 0 ? 2 : 0);
}
const built = shippedEngine();
for (const dir of dirs) {
  const sets: EvalSet[] = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => parse(readFileSync(join(dir, f), 'utf8')) as EvalSet);
  const report = sets.map((set) => evaluateSet(built, set));
  if (args.includes('--json')) console.log(JSON.stringify({ set: resolve(dir), report }));
  else console.log(formatReport(resolve(dir), report, args.includes('--misses')));
}
