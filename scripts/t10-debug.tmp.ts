import { loadShipped } from '../test/helpers/content.js';
import { readAd } from '../src/screening/read-ad.js';
import { analyseAd } from '../src/screening/index.js';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
const { content } = loadShipped();
const c = content.adConcepts;
const [id, ...only] = process.argv.slice(2);
const lang = id!.replace(/-e-.*/, '');
const ads = parse(readFileSync(`test/fixtures/job-ads-eval/regression-2026-12-03e/${lang}.yaml`, 'utf8')) as { id: string; text: string }[];
const ad = ads.find((a) => a.id === id)!;
const res = analyseAd(ad.text, c, content.indicators);
const set = c.languages.find((l) => l.language === res.language);
const r = readAd(ad.text, c, set);
const out: string[] = [];
for (let k = 0; k < r.items; k++) for (const o of r.byLast[k]!) { const name = c.concepts[o.concept]!; if (only.length && !only.includes(name)) continue; out.push(`${name}«${ad.text.slice(o.start, o.end)}»s${r.sentence[o.first]}`); }
console.log(res.language, res.level, JSON.stringify(res.flags.map((f) => f.indicator + ':' + f.text)));
console.log(out.filter((x) => !x.startsWith('number«') && !x.startsWith('small_number')).join('  '));
