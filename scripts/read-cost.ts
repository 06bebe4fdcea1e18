/**
 * What `read()` costs now against an older commit's, interleaved in one process, so that load
 * elsewhere on the machine falls on both alike.
 *
 *   node bin/run-ts.js scripts/read-cost.ts [--against <commit>] [--rounds 31] [--batch 3000]
 *
 * src/understanding/ of `<commit>` (default HEAD) is copied out with `git archive` into tmp/, and
 * each module builds its own index from the shipped content. Both read the bench's six typed
 * messages (bench/understanding-bench.ts) in alternating batches; printed: CPU µs per read, 10th
 * percentile and median of the batches, for the old and the new module and their ratio.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadShipped, root } from '../test/helpers/content.js';
import * as current from '../src/understanding/index.js';
import { TYPED } from '../bench/understanding-bench.js';

const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log('usage: node bin/run-ts.js scripts/read-cost.ts [--against <commit>] [--rounds 31] [--batch 3000]');
  process.exit(0);
}
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const against = option('--against', 'HEAD');
const rounds = Number(option('--rounds', '31'));
const batch = Number(option('--batch', '3000'));

const commit = execFileSync('git', ['rev-parse', '--short', against], { cwd: root, encoding: 'utf8' }).trim();
const dir = join(root, 'tmp', `read-cost-${commit}`);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
execFileSync('sh', ['-c', `git archive ${commit} src/understanding | tar -x -C '${dir}'`], { cwd: root });
const old = (await import(pathToFileURL(join(dir, 'src/understanding/index.ts')).href)) as typeof current;

const { files, rules, countries, exampleModel } = loadShipped().content.understanding;
const readers = {
  old: old.createUnderstanding(files, rules, countries, exampleModel),
  new: current.createUnderstanding(files, rules, countries, exampleModel),
};
for (const text of TYPED)
  if (JSON.stringify(readers.old.read(text, 'en')) !== JSON.stringify(readers.new.read(text, 'en')))
    console.log(`note: the two read a bench message differently`);

// CPU time of the process rather than the clock: on a loaded machine a batch is often taken off the
// core, which the clock counts and the CPU time does not.
const timeBatch = (u: current.Understanding): number => {
  const start = process.cpuUsage();
  for (let i = 0; i < batch; i++) u.read(TYPED[i % TYPED.length]!, 'en');
  const { user, system } = process.cpuUsage(start);
  return (user + system) / batch;
};
for (let i = 0; i < 3; i++) for (const u of Object.values(readers)) timeBatch(u);
const times: Record<'old' | 'new', number[]> = { old: [], new: [] };
for (let r = 0; r < rounds; r++) {
  // Alternate which goes first, so neither always follows the other's garbage.
  const order = r % 2 ? (['new', 'old'] as const) : (['old', 'new'] as const);
  for (const name of order) times[name].push(timeBatch(readers[name]));
}
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * q)]!;
const row = (name: 'old' | 'new') => `${quantile(times[name], 0.1).toFixed(2)} µs (p10), ${quantile(times[name], 0.5).toFixed(2)} µs (median)`;
console.log(`read() of the bench's six typed messages, ${rounds} alternating batches of ${batch}:`);
console.log(`  old (${commit}): ${row('old')}`);
console.log(`  new (work tree): ${row('new')}`);
console.log(
  `  new / old: ${(quantile(times.new, 0.1) / quantile(times.old, 0.1)).toFixed(3)} (p10), ${(quantile(times.new, 0.5) / quantile(times.old, 0.5)).toFixed(3)} (median)`,
);
