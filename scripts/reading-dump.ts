/**
 * Dumps what `read()` makes of every message of the evaluation sets, so that a change meant to make
 * reading cheaper can be shown to change no reading (the whole Reading, `work` included).
 *
 *   node bin/run-ts.js scripts/reading-dump.ts --out tmp/readings-before.jsonl [folder...]
 *   node bin/run-ts.js scripts/reading-dump.ts --compare tmp/readings-before.jsonl [folder...]
 *
 * Every message of every `<lang>.yaml` (emergency, ordinary, countries, answers) of each folder
 * (default: every folder under test/fixtures/understanding-eval/) is read twice, in its own language
 * and in 'en'. `--compare` reads them again and says how many readings differ, naming each by
 * folder, file, list, index and language and the fields that differ, never by its text: the sets
 * include fresh ones nobody may tune on.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import type { EvalSet } from '../test/helpers/understanding-eval.js';
import { shippedEngine, root } from '../test/helpers/content.js';

const usage = 'usage: node bin/run-ts.js scripts/reading-dump.ts (--out <file> | --compare <file>) [set folder...]';
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const out = option('--out');
const compare = option('--compare');
if (args.includes('--help') || (!out && !compare)) {
  console.log(
    `${usage}\n\nDumps read(text, lang) for every message of the evaluation sets (own language and 'en') as JSON lines,\nor compares a new dump with one written before (differences are named by place, never by text).`,
  );
  process.exit(args.includes('--help') ? 0 : 2);
}
const evalDir = join(root, 'test/fixtures/understanding-eval');
const named = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--out' && args[i - 1] !== '--compare');
const folders = named.length
  ? named.map((d) => resolve(d))
  : readdirSync(evalDir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(evalDir, e.name))
      .sort();

const { engine } = shippedEngine();
const lines: string[] = [];
for (const folder of folders) {
  for (const file of readdirSync(folder)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const set = parse(readFileSync(join(folder, file), 'utf8')) as EvalSet;
    for (const list of ['emergency', 'ordinary', 'countries', 'answers'] as const)
      (set[list] ?? []).forEach((item, i) => {
        for (const lang of [...new Set([set.language, 'en'])]) {
          const place = `${relative(root, folder)}/${file} ${list}[${i}] ${lang}`;
          lines.push(JSON.stringify({ place, reading: engine.read(item.text, lang) }));
        }
      });
  }
}

if (out) {
  writeFileSync(out, `${lines.join('\n')}\n`);
  console.log(`${lines.length} readings written to ${out}`);
} else {
  const before = new Map<string, Record<string, unknown>>();
  for (const line of readFileSync(compare!, 'utf8').split('\n').filter(Boolean)) {
    const { place, reading } = JSON.parse(line) as { place: string; reading: Record<string, unknown> };
    before.set(place, reading);
  }
  let differ = 0;
  let missing = 0;
  for (const line of lines) {
    const { place, reading } = JSON.parse(line) as { place: string; reading: Record<string, unknown> };
    const old = before.get(place);
    before.delete(place);
    if (!old) {
      missing++;
      continue;
    }
    if (JSON.stringify(old) === JSON.stringify(reading)) continue;
    differ++;
    const fields = [...new Set([...Object.keys(old), ...Object.keys(reading)])].filter((k) => JSON.stringify(old[k]) !== JSON.stringify(reading[k]));
    if (differ <= 20) console.log(`differs: ${place} (${fields.join(', ')})`);
  }
  console.log(`${lines.length} readings compared: ${differ} differ, ${missing} new, ${before.size} no longer read`);
  process.exit(differ || missing || before.size ? 1 : 0);
}
