/** Job-ad evaluation sets: a folder of `<lang>.yaml` lists of {id, lang, label, text}, and the figures the issue asks for. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { wilson } from './understanding-eval.js';

const adSchema = z
  .object({
    id: z.string().min(1),
    lang: z.string().min(2),
    label: z.enum(['risky', 'legitimate']),
    text: z.string().min(1),
    // What the writer put in: for people reading the set, never for the analyser.
    signs: z.string().optional(),
    note: z.string().optional(),
  })
  .strict();

/** One ad of an evaluation set. */
export type EvalAd = z.infer<typeof adSchema>;

/** Every ad of every `<lang>.yaml` in `dir`, in file order; an invalid file throws with its name. */
export function loadAdSet(dir: string): EvalAd[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => {
      const result = z.array(adSchema).safeParse(parse(readFileSync(join(dir, f), 'utf8')));
      if (!result.success) throw new Error(`${join(dir, f)}:\n${z.prettifyError(result.error)}`);
      return result.data;
    });
}

interface Tally {
  hits: number;
  total: number;
}

/** Figures of one language (or pooled). */
export interface AdRow {
  lang: string;
  /** Risky ads rated caution or above. */
  riskyFlagged: Tally;
  /** Risky ads rated high or urgent. */
  riskyHigh: Tally;
  /** Legitimate ads rated high or urgent (lower is better). */
  legitHigh: Tally;
  /** Legitimate ads rated caution or above (for reading; no goal). */
  legitFlagged: Tally;
}

/** What an analyser said about one ad. */
export interface AdVerdict {
  level: 'low' | 'caution' | 'high' | 'urgent';
  language: string;
  flags: { indicator: string; text: string }[];
}

/** The report: rows per language, pooled, and what went wrong (for --misses). */
export interface AdReport {
  rows: AdRow[];
  pooled: AdRow;
  misses: string[];
}

const RANK = { low: 0, caution: 1, high: 2, urgent: 3 } as const;
const tally = (): Tally => ({ hits: 0, total: 0 });
const row = (lang: string): AdRow => ({ lang, riskyFlagged: tally(), riskyHigh: tally(), legitHigh: tally(), legitFlagged: tally() });
const count = (t: Tally, hit: boolean) => {
  t.total++;
  if (hit) t.hits++;
};

/** Runs every ad through `analyse` and counts. */
export function evaluateAds(ads: readonly EvalAd[], analyse: (ad: EvalAd) => AdVerdict): AdReport {
  const rows = new Map<string, AdRow>();
  const pooled = row('pooled');
  const misses: string[] = [];
  for (const ad of ads) {
    const result = analyse(ad);
    let r = rows.get(ad.lang);
    if (!r) rows.set(ad.lang, (r = row(ad.lang)));
    const rank = RANK[result.level];
    const found = result.flags.map((f) => `${f.indicator}=«${f.text.slice(0, 60)}»`).join(', ') || 'nothing';
    for (const target of [r, pooled]) {
      if (ad.label === 'risky') {
        count(target.riskyFlagged, rank >= 1);
        count(target.riskyHigh, rank >= 2);
      } else {
        count(target.legitHigh, rank >= 2);
        count(target.legitFlagged, rank >= 1);
      }
    }
    if (ad.label === 'risky' && rank < 2) misses.push(`${ad.id} risky → ${result.level} [${result.language}] ${found}`);
    if (ad.label === 'legitimate' && rank >= 1) misses.push(`${ad.id} legitimate → ${result.level} [${result.language}] ${found}`);
  }
  return { rows: [...rows.values()].sort((a, b) => a.lang.localeCompare(b.lang)), pooled, misses };
}

const figure = (t: Tally) => (t.total === 0 ? '—' : `${(t.hits / t.total).toFixed(2)} (${t.hits}/${t.total})`);
const withInterval = (t: Tally) => {
  const [lo, hi] = wilson(t.hits, t.total);
  return `${figure(t)} [${lo.toFixed(2)}–${hi.toFixed(2)}]`;
};

/** A readable table: one row per language, then the pooled figures with their 95 % Wilson intervals. */
export function formatAdReport(name: string, report: AdReport, misses: boolean): string {
  const lines = [
    `set: ${name}`,
    '| language | risky flagged (≥ caution) | risky ≥ high | legitimate ≥ high | legitimate ≥ caution |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const r of report.rows)
    lines.push(`| ${r.lang} | ${figure(r.riskyFlagged)} | ${figure(r.riskyHigh)} | ${figure(r.legitHigh)} | ${figure(r.legitFlagged)} |`);
  const p = report.pooled;
  lines.push(
    `| **pooled** | ${withInterval(p.riskyFlagged)} | ${withInterval(p.riskyHigh)} | ${withInterval(p.legitHigh)} | ${withInterval(p.legitFlagged)} |`,
  );
  lines.push('goals on unseen ads: risky flagged ≥ 0.95, risky ≥ high ≥ 0.80, legitimate ≥ high ≤ 0.10');
  if (misses) for (const m of report.misses) lines.push(`  ${m}`);
  return lines.join('\n');
}
