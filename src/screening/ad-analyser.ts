/**
 * The job-ad analyser: finds red-flag concepts that stand together in pasted ad text (any order,
 * within a sentence), maps them to indicators, and rates the ad with the ad level table.
 * Linear in the ad's length: see read-ad.ts; the signals look back a bounded number of words.
 */
import { adLevelFor } from './ad-level.js';
import type { CompiledAdConcepts, CompiledSignal } from './compile-ad-concepts.js';
import { detectLanguage } from './detect-language.js';
import type { Indicator, RedFlagCategory, RedFlagIndicator } from './indicator-schema.js';
import { readAd, type AdReading, type Occurrence } from './read-ad.js';
import type { RiskLevel } from './risk-level.js';

/** One red flag: `text` is exactly `ad.slice(start, end)` (UTF-16 offsets, as JavaScript strings count), first to last matched word. */
export interface AdFlag {
  indicator: string;
  category: RedFlagCategory;
  text: string;
  start: number;
  end: number;
}

/** What `lantern analyse-ad --json` prints. */
export interface AdAnalysis {
  level: RiskLevel;
  language: string;
  flags: AdFlag[];
}

/** How far before the first matched word a negation still cancels ("we do not ask for any fee"). */
const NEGATION_REACH = 3;
/** How far after the last matched word a negation still cancels ("the fee is not required"). */
const NEGATION_AFTER = 2;
/** How far (in words) around a match a canceller still reaches, however short the signal's window. */
const UNLESS_REACH = 12;
/** How far (in words) after a negation a denied list still runs ("no fee, deposit, visa cost or commission"). */
const LIST_REACH = 10;
/** Most words of one item of a denied list: a longer clause is a new statement, not the list going on. */
const LIST_ITEM = 4;
/** Flags shown per indicator at most (the level counts each indicator once). */
const MAX_FLAGS_PER_INDICATOR = 3;

/**
 * The language file for a tag: the same tag (any case), else the same base language ("pt",
 * "pt-PT" -> pt-BR; "sr-Latn" -> sr); undefined when none fits.
 */
export function resolveAdLanguage(tag: string, languages: readonly string[]): string | undefined {
  const lower = tag.trim().toLowerCase().replaceAll('_', '-');
  const base = lower.split('-')[0];
  return languages.find((l) => l.toLowerCase() === lower) ?? languages.find((l) => l.toLowerCase().split('-')[0] === base);
}

/** Matches one signal over the reading; calls `found` for each match that no negation, canceller or present concept undoes. */
function matchSignal(signal: CompiledSignal, reading: AdReading, found: (start: number, end: number) => boolean): number {
  let work = 0;
  if (signal.absent.some((c) => reading.present.has(c))) return 1;
  if (!signal.all.every((c) => reading.present.has(c))) return 1;
  const last: (Occurrence | undefined)[] = signal.all.map(() => undefined);
  for (let k = 0; k < reading.items; k++) {
    let touched = false;
    for (const o of reading.byLast[k]!) {
      work++;
      signal.all.forEach((c, j) => {
        if (c === o.concept) {
          last[j] = o;
          touched = true;
        }
      });
    }
    if (!touched || last.some((o) => o === undefined)) continue;
    const matched = last as Occurrence[];
    // One word that is two concepts ("bayad" is both fee and pay) is not two concepts standing together.
    if (matched.length > 1 && matched.every((o) => o.start === matched[0]!.start && o.end === matched[0]!.end)) continue;
    const first = Math.min(...matched.map((o) => o.first));
    if (signal.scope === 'sentence' && (reading.sentence[first] !== reading.sentence[k] || k - first >= signal.within)) continue;
    work += signal.within + NEGATION_REACH;
    // What a warning post lists after "say no if they ask you to:" is what it warns against (an absence still counts: it is about the whole post).
    if (signal.absent.length === 0 && first > reading.warnedFrom) continue;
    if (signal.negatable && (negated(reading, matched, first, k) || deniedList(reading, signal, matched))) continue;
    if (signal.unless.length && cancelled(signal, reading, first, k)) continue;
    const start = Math.min(...matched.map((o) => o.start));
    const end = Math.max(...matched.map((o) => o.end));
    if (!found(start, end)) break;
    last.fill(undefined);
  }
  return work;
}

/**
 * A negation word that is not part of a matched phrase ("no experience"): before a matched word in
 * that word's clause (at most NEGATION_REACH words before the first), or just after the last
 * (NEGATION_AFTER words) in the clause of one of them. A negation whose clause holds no matched word
 * after it denies something else: in "the fee need not be paid now: it is deducted from your wages"
 * the "not" belongs to "paid", not to the deduction.
 * Overlap is compared by characters, so that it works inside a Khmer run of words too.
 */
function negated(reading: AdReading, matched: readonly Occurrence[], first: number, k: number): boolean {
  const clauses = new Set(matched.map((o) => reading.clause[o.first]));
  for (let t = Math.max(0, first - NEGATION_REACH); t <= Math.min(reading.items - 1, k + NEGATION_AFTER); t++) {
    const clause = reading.clause[t]!;
    for (const o of reading.byLast[t]!) {
      if (o.concept !== reading.negationConcept) continue;
      if (matched.some((m) => o.start < m.end && m.start < o.end)) continue;
      const after = matched.every((m) => m.end <= o.start);
      if (after ? clauses.has(clause) : matched.some((m) => m.start >= o.end && reading.clause[m.first] === clause)) return true;
    }
  }
  return false;
}

/**
 * A negation carried along a denied list: "we ask no fee, deposit or 'training cost'", "sin cobro de
 * comisión, depósito ni gastos". The list starts in the negation's clause with a word of the signal
 * (what is denied is of the same kind), runs on through short clauses (LIST_ITEM words at most, up to
 * LIST_REACH words), and is a list: a `list_join` or a negation ("or", "ni", "nor") stands in it, at
 * most two words after its last matched word. Every matched word is in the list, or before the
 * negation in its clause ("we charge no commission, deposit or visa fee"); a word after the list
 * ("no experience needed, fee 500 EUR") is not denied. A `negation_after` word (Hindi, Hinglish) just
 * after a list joined by `list_join`, in the clause of its last item, denies the list before it.
 */
function deniedList(reading: AdReading, signal: CompiledSignal, matched: readonly Occurrence[]): boolean {
  const last = Math.max(...matched.map((o) => o.last));
  const sentence = reading.sentence[last]!;
  for (let t = Math.max(0, last - LIST_REACH); t <= last; t++) {
    for (const o of reading.byLast[t]!) {
      if (o.concept !== reading.negationConcept || reading.sentence[o.first] !== sentence) continue;
      const own = reading.clause[o.last]!;
      const before = (m: Occurrence) => m.last < o.first && reading.clause[m.first] === own;
      const listed = matched.filter((m) => m.first > o.last);
      if (listed.length === 0 || !matched.every((m) => before(m) || listed.includes(m))) continue;
      if (listIsDenied(reading, signal, o, listed)) return true;
    }
  }
  // Hindi and Hinglish deny after the list: "koi registration fee ya security deposit nahi", "फीस या डिपॉज़िट नहीं".
  const first = Math.min(...matched.map((o) => o.first));
  for (let t = last + 1; t < Math.min(reading.items, last + 1 + NEGATION_AFTER + 2); t++) {
    if (reading.sentence[t] !== sentence || reading.clause[t] !== reading.clause[last]) break;
    for (const o of reading.byLast[t]!) {
      if (o.concept !== reading.negationAfterConcept || o.first <= last) continue;
      for (let j = first + 1; j < o.first; j++) if (reading.byLast[j]!.some((x) => x.concept === reading.listJoinConcept)) return true;
    }
  }
  return false;
}

/** Whether the words after negation `o` up to the last of `listed` are a short list (see `deniedList`). */
function listIsDenied(reading: AdReading, signal: CompiledSignal, o: Occurrence, listed: readonly Occurrence[]): boolean {
  const end = Math.max(...listed.map((m) => m.last));
  if (end - o.last > LIST_REACH) return false;
  const own = reading.clause[o.last]!;
  let startsWithKind = false;
  let joined = false;
  let size = 0;
  let clause = own;
  for (let t = o.last + 1; t <= Math.min(reading.items - 1, end + 2); t++) {
    if (reading.clause[t] !== clause) {
      clause = reading.clause[t]!;
      size = 0;
    }
    size++;
    if (t <= end && size > LIST_ITEM) return false;
    for (const x of reading.byLast[t]!) {
      if (x.first <= o.last) continue;
      if (x.concept === reading.listJoinConcept || x.concept === reading.negationConcept) joined = true;
      if (reading.clause[t] === own && signal.all.includes(x.concept)) startsWithKind = true;
    }
  }
  return startsWithKind && joined;
}

/** A canceller ("employer pays", "free of charge") in the same sentence, no farther than `within` (at least UNLESS_REACH) words from the match. */
function cancelled(signal: CompiledSignal, reading: AdReading, first: number, k: number): boolean {
  const reach = Math.max(signal.within, UNLESS_REACH);
  const from = Math.max(0, first - reach);
  const to = Math.min(reading.items - 1, k + reach);
  for (let t = from; t <= to; t++) {
    if (signal.scope === 'sentence' && reading.sentence[t] !== reading.sentence[k]) continue;
    for (const o of reading.byLast[t]!) if (signal.unless.includes(o.concept)) return true;
  }
  return false;
}

/**
 * Finds red flags in an ad. The language is the asked one (or its nearest: `resolveAdLanguage`),
 * else the detected one. `stats.work` receives the steps taken (tests check they grow linearly).
 */
export function analyseAd(
  text: string,
  compiled: CompiledAdConcepts,
  indicators: readonly Indicator[],
  options: { lang?: string; stats?: { work: number } } = {},
): AdAnalysis {
  const languages = compiled.languages.map((l) => l.language);
  const language = (options.lang ? resolveAdLanguage(options.lang, languages) : undefined) ?? detectLanguage(text, compiled.profiles);
  const set = compiled.languages.find((l) => l.language === language);
  const reading = readAd(text, compiled, set);
  let work = reading.work + text.length;
  const byId = new Map(indicators.map((i) => [i.id, i]));
  const found: (AdFlag & { strength: RedFlagIndicator['strength'] })[] = [];
  for (const signal of compiled.signals) {
    const indicator = byId.get(signal.indicator);
    if (!indicator || indicator.category === 'context') continue;
    work += matchSignal(signal, reading, (start, end) => {
      const same = found.filter((f) => f.indicator === indicator.id);
      if (same.length >= MAX_FLAGS_PER_INDICATOR) return false;
      if (!same.some((f) => start < f.end && f.start < end))
        found.push({ indicator: indicator.id, category: indicator.category, strength: indicator.strength, text: text.slice(start, end), start, end });
      return true;
    });
  }
  if (options.stats) options.stats.work = work;
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  return {
    level: adLevelFor(found, compiled.levels),
    language: set?.language ?? language,
    flags: found.map(({ indicator, category, text: phrase, start, end }) => ({ indicator, category, text: phrase, start, end })),
  };
}

/** Concepts that make a long message read like a job offer. */
const JOB_CONCEPTS = ['salary', 'money', 'contract', 'housing', 'no_experience', 'fee', 'papers', 'messenger', 'phone', 'company', 'high_pay', 'scam_job'];
/** Shortest message taken for a pasted ad (characters, and words). */
const MIN_AD_LENGTH = 80;
const MIN_AD_WORDS = 12;

/**
 * Whether a long message typed where the bot asked something else reads like a pasted job ad:
 * a red flag, or two kinds of job words (pay, contract, housing...). Linear, like `analyseAd`.
 */
export function looksLikeJobAd(text: string, compiled: CompiledAdConcepts, indicators: readonly Indicator[]): boolean {
  if (text.length < MIN_AD_LENGTH) return false;
  const language = detectLanguage(text, compiled.profiles);
  const reading = readAd(
    text,
    compiled,
    compiled.languages.find((l) => l.language === language),
  );
  if (reading.items < MIN_AD_WORDS) return false;
  const kinds = JOB_CONCEPTS.filter((name) => reading.present.has(compiled.concepts.indexOf(name))).length;
  return kinds >= 2 || analyseAd(text, compiled, indicators, { lang: language }).flags.length > 0;
}
