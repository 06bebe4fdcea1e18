import { it } from 'vitest';
import { toUnicodeRegExp } from '../../src/screening/unicode-regexp.js';
import { loadAds, loadPatternFiles } from './screening-data.js';
it('perf', () => {
  const pats = loadPatternFiles().map((p) => p.data); const ads = loadAds();
  const ad = ads.find((a) => a.id === 'en-risky-01')!;
  const en = pats.find((p) => p.language === 'en')!;
  const res: [number, string][] = [];
  for (const p of en.patterns) for (const src of [...p.match, ...(p.unless ?? [])]) {
    const re = toUnicodeRegExp(src, 'g');
    const s = performance.now(); for (let i = 0; i < 3; i++) [...ad.text.matchAll(re)]; res.push([performance.now() - s, src]);
  }
  console.log(res.sort((a, b) => b[0] - a[0]).slice(0, 6));
  const s = performance.now(); for (let i = 0; i < 100; i++) toUnicodeRegExp('\\bfoo\\b', '').test('x'.repeat(300)); console.log('simple', performance.now() - s);
});
