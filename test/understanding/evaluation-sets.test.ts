/**
 * Regression check on evaluation sets the rules were tuned on (their first-run figures are in the
 * issue notes): the figures may not fall below these floors. Not a measure of quality on new text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { shippedEngine } from '../helpers/content.js';
import { evaluateSet, type EvalSet, type Tally } from '../helpers/understanding-eval.js';

const root = join(import.meta.dirname, '../fixtures/understanding-eval');
const built = shippedEngine();
const rate = (tallies: Tally[]) => {
  const hits = tallies.reduce((a, t) => a + t.hits, 0);
  const total = tallies.reduce((a, t) => a + t.total, 0);
  return hits / total;
};

for (const set of readdirSync(root).filter((d) => d.startsWith('regression-'))) {
  describe(`evaluation set ${set} (regression)`, () => {
    const reports = readdirSync(join(root, set))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => evaluateSet(built, parse(readFileSync(join(root, set, f), 'utf8')) as EvalSet));

    it('recognises emergencies (pooled, and in every language)', () => {
      expect(rate(reports.map((r) => r.emergency))).toBeGreaterThanOrEqual(0.9);
      for (const r of reports) expect({ language: r.language, rate: r.emergency.hits / r.emergency.total }).toEqual({ language: r.language, rate: expect.toSatisfy((x: number) => x >= 0.75) });
    });

    it('answers few ordinary messages as emergencies', () => {
      expect(rate(reports.map((r) => r.falseAlarms))).toBeLessThanOrEqual(0.15);
    });

    it('reads typed countries and answers', () => {
      expect(rate(reports.map((r) => r.countries))).toBeGreaterThanOrEqual(0.9);
      expect(rate(reports.map((r) => r.countriesSet))).toBeGreaterThanOrEqual(0.9);
      expect(rate(reports.map((r) => r.answers))).toBeGreaterThanOrEqual(0.85);
    });
  });
}
