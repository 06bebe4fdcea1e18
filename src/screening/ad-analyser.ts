/** The job-ad analyser: finds red-flag phrases in pasted ad text and maps them to indicators. */
import { detectLanguage } from './detect-language.js';
import type { Indicator, RedFlagCategory, RedFlagIndicator } from './indicator-schema.js';
import type { PatternFile } from './pattern-schema.js';
import { levelFor } from './risk-level.js';
import type { RiskLevel } from './risk-level.js';
import { toUnicodeRegExp } from './unicode-regexp.js';

/** One red-flag phrase: `text` is exactly `ad.slice(start, end)` (UTF-16 offsets, as JavaScript strings count). */
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

interface CompiledPattern {
  indicator: RedFlagIndicator;
  match: RegExp[];
  unless: RegExp[];
}

/** How far around a match (within its sentence) an `unless` phrase may stand and still cancel it. */
const UNLESS_REACH = 150;

const compiled = new WeakMap<PatternFile, WeakMap<readonly Indicator[], CompiledPattern[]>>();

/** Compiles a pattern file once per (file, indicator list) pair; unknown indicator ids are an editing mistake worth stopping for. */
function compile(file: PatternFile, indicators: readonly Indicator[]): CompiledPattern[] {
  let byIndicators = compiled.get(file);
  const hit = byIndicators?.get(indicators);
  if (hit) return hit;
  const byId = new Map(indicators.map((i) => [i.id, i]));
  const result = file.patterns.map((pattern) => {
    const indicator = byId.get(pattern.indicator);
    if (!indicator || indicator.category === 'context') {
      throw new Error(
        `flows/job-ad-patterns/${file.language}.yaml: "${pattern.indicator}" is not a red-flag indicator in flows/indicators.yaml; fix the id or add the indicator there`,
      );
    }
    return {
      indicator,
      match: pattern.match.map((source) => toUnicodeRegExp(source, 'g')),
      unless: (pattern.unless ?? []).map((source) => toUnicodeRegExp(source, '')),
    };
  });
  if (!byIndicators) compiled.set(file, (byIndicators = new WeakMap()));
  byIndicators.set(indicators, result);
  return result;
}

/** Picks the pattern file: the asked language (or its base, "pt" finds "pt-BR"), else the detected one, else English. */
function choosePatterns(text: string, files: readonly PatternFile[], lang: string | undefined): PatternFile | undefined {
  const find = (tag: string) =>
    files.find((f) => f.language.toLowerCase() === tag.toLowerCase()) ?? files.find((f) => f.language.split('-')[0] === tag.split('-')[0]?.toLowerCase());
  return (lang ? find(lang) : undefined) ?? find(detectLanguage(text, files)) ?? find('en');
}

function isSentenceEnd(text: string, i: number): boolean {
  const ch = text[i] ?? '';
  if ('\n!?;।॥។៕؟'.includes(ch)) return true;
  // A full stop ends a sentence only before a space or the end, so "1.500 EUR" and "S.R.L" stay whole.
  return ch === '.' && (i + 1 >= text.length || /\s/u.test(text[i + 1] ?? ''));
}

/** The sentence around [start, end), cut to UNLESS_REACH characters each side. */
function sentenceAround(text: string, start: number, end: number): string {
  let from = start;
  while (from > 0 && start - from < UNLESS_REACH && !isSentenceEnd(text, from - 1)) from--;
  let to = end;
  while (to < text.length && to - end < UNLESS_REACH && !isSentenceEnd(text, to)) to++;
  return text.slice(from, to);
}

/**
 * Finds red-flag phrases in an ad. A match is dropped when one of its `unless` phrases stands in
 * the same sentence ("we never charge fees"). Overlapping matches of one indicator are kept once,
 * the longest. The level follows the same rules as a screening (`levelFor`).
 */
export function analyseAd(text: string, patterns: readonly PatternFile[], indicators: readonly Indicator[], options: { lang?: string } = {}): AdAnalysis {
  const file = choosePatterns(text, patterns, options.lang);
  if (!file) return { level: 'low', language: options.lang ?? detectLanguage(text, patterns), flags: [] };

  const found: (AdFlag & { strength: RedFlagIndicator['strength'] })[] = [];
  for (const pattern of compile(file, indicators)) {
    for (const re of pattern.match) {
      for (const m of text.matchAll(re)) {
        const start = m.index;
        const end = start + m[0].length;
        if (end === start) continue;
        const sentence = sentenceAround(text, start, end);
        if (pattern.unless.some((u) => u.test(sentence))) continue;
        found.push({ indicator: pattern.indicator.id, category: pattern.indicator.category, strength: pattern.indicator.strength, text: m[0], start, end });
      }
    }
  }

  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: typeof found = [];
  for (const flag of found) {
    const overlaps = kept.some((k) => k.indicator === flag.indicator && flag.start < k.end && k.start < flag.end);
    if (!overlaps) kept.push(flag);
  }

  return {
    level: levelFor(kept),
    language: file.language,
    flags: kept.map(({ indicator, category, text: phrase, start, end }) => ({ indicator, category, text: phrase, start, end })),
  };
}
