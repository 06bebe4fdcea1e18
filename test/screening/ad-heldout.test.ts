// Held-out check of the job-ad analyser: ads written after the patterns were tuned on
// test/fixtures/job-ads and before the pattern files were read, so these figures say how the
// analyser does on ads it has not seen. Keep the two corpora apart.
//
// Measured (an ad counts as flagged when its level is not "low"):
// - batch 1 (ids *-h-*), 116 ads, with the patterns as they were: recall 50/58 (86%), false
//   alarms 1/58 (2%); misses in es, fr, hi, km (2), sr, uk; the alarm a negated fee in km.
//   Counting the red-flag phrases each ad was written with, only 93/181 were found.
// - the pattern families were then widened on batch 1 (passport handed to / kept by a
//   coordinator, disguised fees, contract on arrival, secrecy, scam-compound jobs...).
// - batch 2 (ids *-h2-*), 52 ads written after that change and run once before any other:
//   recall 4/26 (15%), false alarms 0/26. New wording of the same signs was mostly missed.
// - after widening the families batch 2 exposed (passports collected, going out only with a
//   supervisor, an amount "for the permit", deductions, secrecy towards parents): 84/84 and 0/84.
// Both batches have now shaped the patterns, so they are no longer truly unseen: the next
// honest figure needs a new batch written after this change, measured before tuning on it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { analyseAd } from '../../src/screening/index.js';
import { loadAds, loadIndicators, loadPatternFiles, root } from './screening-data.js';

const indicators = loadIndicators();
const patterns = loadPatternFiles().map((p) => p.data);

const adList = z.array(
  z
    .object({
      id: z.string().min(1),
      lang: z.string().min(2),
      label: z.enum(['risky', 'legitimate']),
      text: z.string().min(20),
    })
    .strict(),
);

const dir = join(root, 'test', 'fixtures', 'job-ads-eval', 'regression-2026-12-01');
const heldOut = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .flatMap((f) => {
    const result = adList.safeParse(parse(readFileSync(join(dir, f), 'utf8')));
    if (!result.success) throw new Error(`${f}:\n${z.prettifyError(result.error)}`);
    return result.data;
  });

/** Languages with full pattern sets get at least 6 + 6 ads; the basic sets at least 3 + 3. */
const STRONG = ['en', 'uk', 'ru', 'ro', 'es', 'pt-BR', 'fr'];
const OTHER = ['sr', 'hi', 'tl', 'km', 'ar'];

interface Row {
  lang: string;
  risky: number;
  caught: number;
  legit: number;
  alarms: number;
}

/** Runs every held-out ad through the analyser the way the bot does (language detected, not given). */
function measure() {
  const rows = new Map<string, Row>();
  const missed: string[] = [];
  const alarms: string[] = [];
  for (const ad of heldOut) {
    const result = analyseAd(ad.text, patterns, indicators);
    const flagged = result.level !== 'low';
    let row = rows.get(ad.lang);
    if (!row) rows.set(ad.lang, (row = { lang: ad.lang, risky: 0, caught: 0, legit: 0, alarms: 0 }));
    const found = result.flags.map((f) => f.indicator).join(', ') || 'nothing';
    if (ad.label === 'risky') {
      row.risky++;
      if (flagged) row.caught++;
      else missed.push(`${ad.id} [${result.language}] (${found})`);
    } else {
      row.legit++;
      if (flagged) {
        row.alarms++;
        alarms.push(`${ad.id} [${result.language}] ${result.level}: ${result.flags.map((f) => `${f.indicator}="${f.text}"`).join(', ')}`);
      }
    }
  }
  const list = [...rows.values()].sort((a, b) => a.lang.localeCompare(b.lang));
  const total = list.reduce(
    (t, r) => ({ ...t, risky: t.risky + r.risky, caught: t.caught + r.caught, legit: t.legit + r.legit, alarms: t.alarms + r.alarms }),
    { lang: 'ALL', risky: 0, caught: 0, legit: 0, alarms: 0 },
  );
  return { rows: list, total, missed, alarms };
}

const pct = (n: number, d: number) => (d === 0 ? '-' : `${((100 * n) / d).toFixed(0)}%`);
const line = (r: Row) =>
  `${r.lang.padEnd(7)} ${`${r.caught}/${r.risky}`.padEnd(6)} ${pct(r.caught, r.risky).padEnd(6)} ${`${r.alarms}/${r.legit}`.padEnd(6)} ${pct(r.alarms, r.legit)}`;

describe('held-out corpus of invented job ads', () => {
  it('has enough ads in every language and shares no id with the tuning corpus', () => {
    for (const lang of STRONG) {
      expect(heldOut.filter((a) => a.lang === lang && a.label === 'risky').length, `${lang} risky`).toBeGreaterThanOrEqual(6);
      expect(heldOut.filter((a) => a.lang === lang && a.label === 'legitimate').length, `${lang} legitimate`).toBeGreaterThanOrEqual(6);
    }
    for (const lang of OTHER) {
      expect(heldOut.filter((a) => a.lang === lang && a.label === 'risky').length, `${lang} risky`).toBeGreaterThanOrEqual(3);
      expect(heldOut.filter((a) => a.lang === lang && a.label === 'legitimate').length, `${lang} legitimate`).toBeGreaterThanOrEqual(3);
    }
    const ids = heldOut.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    const tuning = new Set(loadAds().map((a) => a.id));
    expect(ids.filter((id) => tuning.has(id))).toEqual([]);
    const tuningTexts = new Set(loadAds().map((a) => a.text.trim()));
    expect(heldOut.filter((a) => tuningTexts.has(a.text.trim())).map((a) => a.id)).toEqual([]);
  });

  it('flags most risky held-out ads and few legitimate ones', () => {
    const { rows, total, missed, alarms } = measure();
    console.log(['held-out  recall        false alarms', ...rows.map(line), line(total)].join('\n'));
    if (missed.length) console.log(`missed: ${missed.join('; ')}`);
    if (alarms.length) console.log(`false alarms: ${alarms.join('; ')}`);
    // Measured 84/84 and 0/84; the margin leaves room for a few new ads, not for a real regression.
    expect(total.caught / total.risky).toBeGreaterThanOrEqual(0.95);
    expect(total.alarms / total.legit).toBeLessThanOrEqual(0.05);
  });

  // Lawful wording that shares words with the widened phrase families must not raise a flag.
  it.each([
    ['en', 'We check your passport at the interview and give it back straight away.'],
    ['en', 'Income tax and national insurance are deducted from your pay, as the law requires.'],
    ['en', 'Visa sponsorship for advanced nurses. The employer pays the visa fee.'],
    ['en', 'The company pays 500 EUR for your visa and work permit.'],
    ['en', 'Staff can go out with friends after work; team dinners with the manager once a month.'],
    ['en', 'Our driver will pick up all workers at the airport. Keep your passport with you.'],
    ['uk', 'Роботодавець платить 100 євро за візу. Паспорт залишається у вас.'],
    ['uk', 'Ми збираємо копії документів для оформлення візи, оригінали залишаються у вас.'],
    ['ru', 'Собираем документы для оформления визы: копии паспорта и диплома.'],
    ['ru', 'Налоги удерживаются из зарплаты по закону. Жильё 30 000 руб за место в месяц, можно жить отдельно.'],
    ['ro', 'Impozitele se rețin din salariu conform legii. Angajatorul plătește 200 euro pentru viză.'],
    ['es', 'La seguridad social se descuenta del sueldo según la ley. 1.500 € por el contrato de seis meses.'],
    ['es', 'Los trabajadores salen cuando quieren; los viernes salimos a cenar con el supervisor.'],
    ['pt-BR', 'O INSS é descontado do salário. Salário de R$ 2.000 para a vaga de auxiliar.'],
    ['fr', 'Les cotisations sont retenues sur votre salaire. Prime de 500 € pour le poste de nuit.'],
    ['sr', 'Poslodavac plaća vizu. Pasoš je uvek kod vas, skupljamo samo kopije dokumenata.'],
    ['ar', 'صاحب العمل يدفع رسوم التأشيرة ولا نأخذ جواز السفر. يمكنك الخروج متى شئت.'],
    ['km', 'ក្រុមហ៊ុនបង់ថ្លៃវីសាឱ្យអ្នក។ លិខិតឆ្លងដែននៅជាមួយអ្នក។'],
    ['tl', 'Hindi kukunin ng employer ang passport ninyo. Walang placement fee.'],
  ])('finds no red flag in lawful wording (%s): %s', (lang, text) => {
    expect(analyseAd(text, patterns, indicators, { lang }).flags).toEqual([]);
  });
});
