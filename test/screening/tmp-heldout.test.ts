import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import { parse } from 'yaml';
import { analyseAd } from '../../src/screening/index.js';
import { loadIndicators, loadPatternFiles } from './screening-data.js';
it('heldout', () => {
  const ind = loadIndicators(); const pats = loadPatternFiles().map((p) => p.data);
  for (const ad of parse(readFileSync('/tmp/heldout/ads.yaml', 'utf8')) as { id: string; label: string; text: string }[]) {
    const r = analyseAd(ad.text, pats, ind);
    console.log(ad.id, ad.label, r.level, r.language, r.flags.map((f) => `${f.indicator}="${f.text}"`).join(' | '));
  }
});
