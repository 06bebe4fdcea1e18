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
/** Floors per set, a little under the figures reached when the set was last tuned on. */
const FLOORS: Record<string, { emergency: number; perLanguage: number; falseAlarms: number; places: number; countriesSet: number; answers: number }> = {
  'regression-2026-12-02a': { emergency: 0.95, perLanguage: 0.85, falseAlarms: 0.06, places: 0.95, countriesSet: 0.93, answers: 0.93 },
  'regression-2026-12-02c': { emergency: 0.97, perLanguage: 0.88, falseAlarms: 0.04, places: 0.97, countriesSet: 0.97, answers: 0.95 },
  'regression-2026-12-02b': { emergency: 0.98, perLanguage: 0.93, falseAlarms: 0.03, places: 0.97, countriesSet: 0.97, answers: 0.86 },
  'regression-2026-12-02d': { emergency: 0.98, perLanguage: 0.93, falseAlarms: 0.02, places: 0.98, countriesSet: 0.98, answers: 0.97 },
  'regression-2026-12-02e': { emergency: 0.98, perLanguage: 0.93, falseAlarms: 0.02, places: 0.98, countriesSet: 0.98, answers: 0.97 },
  'regression-2026-12-03f': { emergency: 0.99, perLanguage: 0.97, falseAlarms: 0.03, places: 0.98, countriesSet: 0.98, answers: 0.94 },
  // First run 0.95 / 0.23 / 0.96 / 0.93 / 0.76 at 34a6b49; tuned on (branch tuneh) to 0.96 (every language >= 0.92) / 0.06 / 0.99 / 0.97 / 0.93.
  'regression-2026-12-03h': { emergency: 0.95, perLanguage: 0.9, falseAlarms: 0.07, places: 0.98, countriesSet: 0.96, answers: 0.92 },
  // First run 0.96 / 0.23 / 0.92 / 0.92 / 0.68 at 7b24685 (0.96 / 0.22 / 0.94 / 0.94 / 0.76 when branch tune9 began); tuned on
  // (branch tune9) to 0.96 (every language >= 0.89) / 0.07 / 1.00 / 1.00 / 0.97.
  'regression-2026-12-03i': { emergency: 0.95, perLanguage: 0.88, falseAlarms: 0.08, places: 0.98, countriesSet: 0.98, answers: 0.95 },
  // First run 0.93 / 0.11 / 0.89 / 0.86 / 0.79 at 5fbf49d; 0.93 (vi 0.78) / 0.10 / 0.91 / 0.88 / 0.95 when branch tune9k began;
  // tuned on (branch tune9k) to 1.00 (every language >= 0.97) / 0.03 / 1.00 / 0.97 / 0.97.
  'regression-2026-12-03j': { emergency: 0.99, perLanguage: 0.97, falseAlarms: 0.04, places: 0.99, countriesSet: 0.97, answers: 0.96 },
};
const built = shippedEngine();
const rate = (tallies: Tally[]) => {
  const hits = tallies.reduce((a, t) => a + t.hits, 0);
  const total = tallies.reduce((a, t) => a + t.total, 0);
  return hits / total;
};

for (const set of readdirSync(root).filter((d) => d.startsWith('regression-'))) {
  const floor = FLOORS[set] ?? { emergency: 0.9, perLanguage: 0.75, falseAlarms: 0.15, places: 0.9, countriesSet: 0.9, answers: 0.85 };
  describe(`evaluation set ${set} (regression)`, () => {
    const reports = readdirSync(join(root, set))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => evaluateSet(built, parse(readFileSync(join(root, set, f), 'utf8')) as EvalSet));

    it('recognises emergencies (pooled, and in every language)', () => {
      expect(rate(reports.map((r) => r.emergency))).toBeGreaterThanOrEqual(floor.emergency);
      for (const r of reports)
        expect({ language: r.language, rate: r.emergency.hits / r.emergency.total }).toEqual({
          language: r.language,
          rate: expect.toSatisfy((x: number) => x >= floor.perLanguage),
        });
    });

    it('answers few ordinary messages as emergencies', () => {
      expect(rate(reports.map((r) => r.falseAlarms))).toBeLessThanOrEqual(floor.falseAlarms);
    });

    it('reads typed countries and answers', () => {
      expect(rate(reports.map((r) => r.countries))).toBeGreaterThanOrEqual(floor.places);
      expect(rate(reports.map((r) => r.countriesSet))).toBeGreaterThanOrEqual(floor.countriesSet);
      expect(rate(reports.map((r) => r.answers))).toBeGreaterThanOrEqual(floor.answers);
    });
  });
}
