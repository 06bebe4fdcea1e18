/**
 * Runs folders of job ads through the job-ad analyser exactly as `lantern analyse-ad --json` does
 * (shipped content, language detected unless --lang-given) and prints per language and pooled:
 * risky flagged (≥ caution), risky ≥ high, legitimate ≥ high, with 95 % Wilson intervals.
 *
 *   node bin/run-ts.js scripts/eval-ads.ts <folder>... [--misses] [--json] [--lang-given]
 *
 * A folder holds `<lang>.yaml` lists of {id, lang, label: risky|legitimate, text}. Figures on a set
 * the concepts were tuned on (test/fixtures/job-ads-eval/regression-*) are a regression check, not a result.
 */
import { resolve } from 'node:path';
import { loadShipped } from '../test/helpers/content.js';
import { evaluateAds, formatAdReport, loadAdSet } from '../test/helpers/ad-eval.js';
import { analyseAd } from '../src/screening/index.js';

const args = process.argv.slice(2);
const dirs = args.filter((a) => !a.startsWith('--'));
if (dirs.length === 0 || args.includes('--help')) {
  console.log('usage: node bin/run-ts.js scripts/eval-ads.ts <folder>... [--misses] [--json] [--lang-given]');
  process.exit(dirs.length === 0 ? 2 : 0);
}
const langGiven = args.includes('--lang-given');
const { content } = loadShipped();
for (const dir of dirs) {
  const ads = loadAdSet(dir);
  const report = evaluateAds(ads, (ad) => analyseAd(ad.text, content.adConcepts, content.indicators, langGiven ? { lang: ad.lang } : {}));
  if (args.includes('--json')) console.log(JSON.stringify({ set: resolve(dir), report: { rows: report.rows, pooled: report.pooled } }));
  else console.log(formatAdReport(resolve(dir), report, args.includes('--misses')));
}
