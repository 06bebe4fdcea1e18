/**
 * The safety condition of the third amendment (README, "Fewer false alarms on unseen text"): the chosen settings
 * (examples + rounds h, i, j; pairs across one word; raise 0.88; veto v < 0.5, vSelf < 0.2) with today's rules and
 * word lists, and which emergency messages of the regression sets (and 03j) they overrule, against the shipped model.
 *
 *   node bin/run-ts.js scripts/experiments/false-alarms-check.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadUnderstanding } from '../../src/content/index.js';
import { trainExampleModel, type ExampleSettings } from '../../src/understanding/emergency-examples.js';
import { createUnderstanding, type ExampleFile } from '../../src/understanding/index.js';
import { root } from '../../test/helpers/content.js';

if (process.argv.includes('--help')) {
  console.log(
    'usage: node bin/run-ts.js scripts/experiments/false-alarms-check.ts\nThe safety condition of the third amendment (scripts/experiments/README.md), on the regression rounds.',
  );
  process.exit(0);
}
const sets = join(root, 'test/fixtures/understanding-eval');
const folders = readdirSync(sets).filter((d) => d.startsWith('regression-') || d === 'fresh-2026-12-03j');
const extra: ExampleFile[] = folders
  .filter((d) => /03[hij]$/.test(d))
  .flatMap((d) =>
    readdirSync(join(sets, d))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => {
        const s = parse(readFileSync(join(sets, d, f), 'utf8')) as { language: string; emergency?: { text: string }[]; ordinary?: { text: string }[] };
        return { language: s.language, emergency: s.emergency ?? [], ordinary: s.ordinary ?? [] } as ExampleFile;
      }),
  );
const { value } = loadUnderstanding(join(root, 'flows'), root, new Map());
const v = value!;
const settings: ExampleSettings = {
  classifier: { model: 'nb', ngrams: [2, 4], pairsAcross: true },
  wordLists: false,
  minWords: 4,
  threshold: 0.88,
  veto: { minWords: 6, below: 0.5, belowSelf: 0.2 },
};
for (const [name, model] of [
  ['shipped', v.exampleModel],
  ['C*', trainExampleModel([...v.examples, ...extra], v.files, settings)],
] as const) {
  const u = createUnderstanding(v.files, v.rules, v.countries, model);
  const out: string[] = [];
  let em = 0;
  let hit = 0;
  let fa = 0;
  let ord = 0;
  for (const d of folders)
    for (const f of readdirSync(join(sets, d)).filter((x) => x.endsWith('.yaml'))) {
      const s = parse(readFileSync(join(sets, d, f), 'utf8')) as { language: string; emergency?: { text: string }[]; ordinary?: { text: string }[] };
      for (const m of s.emergency ?? []) {
        const r = u.read(m.text, s.language);
        em++;
        if (r.emergency) hit++;
        if (r.overruled) out.push(`  ${d}/${s.language} ${r.overruled.rule} ${r.overruled.score.toFixed(3)} ${JSON.stringify(m.text.slice(0, 90))}`);
      }
      for (const m of s.ordinary ?? []) {
        ord++;
        if (u.read(m.text, s.language).emergency) fa++;
      }
    }
  console.log(`${name}: read() verdicts (no engine) emergencies ${hit}/${em}, false alarms ${fa}/${ord}; emergencies overruled: ${out.length}`);
  for (const l of out) console.log(l);
}
