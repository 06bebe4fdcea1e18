/** Evaluation of typed-text understanding on a set of messages, the way `lantern chat --json --fresh` runs them. */
import type { BuiltEngine, Inbound } from '../../src/engine/index.js';
import { jsonTurn } from '../../src/cli/chat-json.js';

/** One language's evaluation set (test/fixtures/understanding-eval/README.md). */
export interface EvalSet {
  language: string;
  round?: string;
  emergency?: { text: string; note?: string }[];
  ordinary?: { text: string; note?: string }[];
  countries?: { text: string; country: string }[];
  answers?: { text: string; answer: 'yes' | 'no' | 'unsure' | boolean }[];
}

/** Hits out of a total, with the items that went wrong. */
export interface Tally {
  hits: number;
  total: number;
  misses: string[];
}

/** Figures for one language. */
export interface LanguageReport {
  language: string;
  /** Emergency messages answered as emergencies. */
  emergency: Tally;
  /** Ordinary messages answered as emergencies (lower is better). */
  falseAlarms: Tally;
  /** Typed place names read as the right country (whatever the hotline directory holds). */
  countries: Tally;
  /** Of those whose country is in the hotline directory: answering "which country are you in?" set it. */
  countriesSet: Tally;
  /** Typed yes / no / not sure answers to a screening question, read right. */
  answers: Tally;
}

const tally = (): Tally => ({ hits: 0, total: 0, misses: [] });
const base = (language: string): Omit<Inbound, 'event'> => ({ conversation: 'eval', channel: 'test', languageHint: language });

/** Runs one set: every message in a fresh conversation, as `chat --json --fresh` does. */
export function evaluateSet(built: BuiltEngine, set: EvalSet): LanguageReport {
  const { engine, translator } = built;
  // Languages we do not chat in yet: the conversation runs in the default language.
  const language = translator.negotiate(set.language) ?? 'en';
  const fresh = (text: string) => {
    const started = engine.step(undefined, { ...base(language), event: { type: 'start' } }, 0);
    const result = engine.step(started.session ?? undefined, { ...base(language), event: { type: 'text', text } }, 0);
    return jsonTurn(1, text, result);
  };
  const report: LanguageReport = {
    language: set.language,
    emergency: tally(),
    falseAlarms: tally(),
    countries: tally(),
    countriesSet: tally(),
    answers: tally(),
  };
  for (const item of set.emergency ?? []) {
    const turn = fresh(item.text);
    count(report.emergency, turn.intent === 'emergency', `${item.text}  → ${turn.intent}`);
  }
  for (const item of set.ordinary ?? []) {
    const turn = fresh(item.text);
    count(report.falseAlarms, turn.intent === 'emergency', `${item.text}  [${turn.concepts.map((c) => c.id).join(',')}]`, true);
  }
  for (const item of set.countries ?? []) {
    const read = engine.read(item.text, language).places.map((p) => p.country);
    count(report.countries, read.length > 0 && read.every((c) => c === item.country), `${item.text}  → ${read.join(',') || 'none'} (want ${item.country})`);
    if (!built.directory.country(item.country)) continue;
    const asked = engine.begin(base(language), 'country', 0);
    const result = engine.step(asked.session ?? undefined, { ...base(language), event: { type: 'text', text: item.text } }, 0);
    const got = result.session?.ctx.country;
    count(report.countriesSet, got === item.country, `${item.text}  → ${got ?? 'none'} (want ${item.country})`);
  }
  for (const item of set.answers ?? []) {
    const want = item.answer === true ? 'yes' : item.answer === false ? 'no' : item.answer;
    const asked = engine.begin(base(language), 'screening', 0);
    const result = engine.step(asked.session ?? undefined, { ...base(language), event: { type: 'text', text: item.text } }, 0);
    // The answer recorded by this turn (the first question's), if any.
    const before = asked.session?.ctx.answers ?? {};
    const got = Object.entries(result.session?.ctx.answers ?? {}).find(([id]) => !(id in before))?.[1];
    count(report.answers, got === want, `${item.text}  → ${got ?? 'none'} (want ${want})`);
  }
  return report;
}

function count(t: Tally, hit: boolean, detail: string, missWhenHit = false): void {
  t.total += 1;
  if (hit) t.hits += 1;
  if (hit === missWhenHit) t.misses.push(detail);
}

/** 95 % Wilson score interval of a proportion. */
export function wilson(hits: number, total: number): [number, number] {
  if (total === 0) return [0, 0];
  const z = 1.96;
  const p = hits / total;
  const d = 1 + (z * z) / total;
  const centre = (p + (z * z) / (2 * total)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / total + (z * z) / (4 * total * total))) / d;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

const figure = (t: Tally) => (t.total === 0 ? '—' : `${(t.hits / t.total).toFixed(2)} (${t.hits}/${t.total})`);
const pooled = (ts: Tally[]) => ts.reduce((a, t) => ({ hits: a.hits + t.hits, total: a.total + t.total, misses: [] }), tally());
const withInterval = (t: Tally) => {
  const [lo, hi] = wilson(t.hits, t.total);
  return `${figure(t)} [${lo.toFixed(2)}–${hi.toFixed(2)}]`;
};

/** A readable table: one row per language, then the pooled figures with their 95 % intervals. */
export function formatReport(name: string, reports: LanguageReport[], misses: boolean): string {
  const lines = [
    `set: ${name}`,
    '| language | emergency recognised | ordinary as emergency | places read right | country set (in directory) | answers |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of reports)
    lines.push(
      `| ${r.language} | ${figure(r.emergency)} | ${figure(r.falseAlarms)} | ${figure(r.countries)} | ${figure(r.countriesSet)} | ${figure(r.answers)} |`,
    );
  const all = (k: keyof Omit<LanguageReport, 'language'>) => withInterval(pooled(reports.map((r) => r[k])));
  lines.push(`| **pooled** | ${all('emergency')} | ${all('falseAlarms')} | ${all('countries')} | ${all('countriesSet')} | ${all('answers')} |`);
  if (misses) {
    for (const r of reports) {
      for (const k of ['emergency', 'falseAlarms', 'countries', 'countriesSet', 'answers'] as const) {
        for (const m of r[k].misses) lines.push(`  ${r.language} ${k}: ${m}`);
      }
    }
  }
  return lines.join('\n');
}
