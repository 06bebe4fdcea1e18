/**
 * Compiles `flows/job-ad-concepts/` once, when content loads, into plain data (maps, arrays and
 * numbers, no functions or classes) so that the content cache can keep it: word and stem tables,
 * a trie of `prefix*` entries, phrases indexed by their first word, and a trie of entries matched
 * inside words for scripts written without spaces (Khmer, Burmese).
 */
import { tokenize } from '../understanding/index.js';
import type { StemmerLanguage } from '../understanding/index.js';
import type { AdCommonFile, AdConceptFile, AdLevelRule } from './ad-concept-schema.js';
import { COMPUTED_CONCEPTS } from './ad-concept-schema.js';
import { stemOf } from './ad-stems.js';

/** One node of a character trie: children by character, and what ends here. */
export interface TrieNode {
  next: Map<string, number>;
  /** Word ids (prefix trie) or concept ids (inside trie) that end at this node. */
  ids: number[];
}

/** The words of one file, ready to look tokens up in. */
export interface CompiledWordSet {
  language: string;
  /** Languages whose words are read too (`alsoRead`). */
  alsoRead: string[];
  stemmer?: StemmerLanguage;
  /** Folded word -> ids of the words it is. */
  exact: Map<string, number[]>;
  /** Stem -> ids of the words it is (files with a stemmer). */
  stems: Map<string, number[]>;
  /** `prefix*` words: node 0 is the root. */
  prefixes: TrieNode[];
  /** Each entry: its words in order and the concept it names. */
  entries: { words: number[]; concept: number }[];
  /** Word id -> the entries that start with it. */
  byFirst: Map<number, number[]>;
  /** Entries written in a script without spaces, matched inside a word: node 0 is the root, ids are concepts. */
  inside: TrieNode[];
  insideDepth: number;
}

/** One red-flag signal with its concepts as numbers. */
export interface CompiledSignal {
  indicator: string;
  all: number[];
  within: number;
  scope: 'sentence' | 'ad';
  unless: number[];
  negatable: boolean;
  absent: number[];
}

/** Everything the analyser needs, as plain data. */
export interface CompiledAdConcepts {
  /** Concept names; the index is the concept's number. */
  concepts: string[];
  common: CompiledWordSet;
  languages: CompiledWordSet[];
  /** The languages' `detect` profiles, for guessing an ad's language. */
  profiles: { language: string; detect: AdConceptFile['detect'] }[];
  signals: CompiledSignal[];
  levels: AdLevelRule[];
}

/** Concepts the code reads itself besides the computed ones. */
export const CODE_CONCEPTS = [
  'negation',
  'currency',
  'warning',
  'number_word',
  'age_word',
  'years',
  'from_age',
  'age_under',
  'list_join',
  'negation_after',
] as const;

const insideScripts = new Set(['khmer', 'myanmar']);

/** Compiles the files; ids that do not fit are the loader's to report (see `adConceptProblems`). */
export function compileAdConcepts(common: AdCommonFile, files: readonly AdConceptFile[]): CompiledAdConcepts {
  const concepts: string[] = [...COMPUTED_CONCEPTS, ...CODE_CONCEPTS];
  const conceptId = (name: string) => {
    let id = concepts.indexOf(name);
    if (id < 0) id = concepts.push(name) - 1;
    return id;
  };
  const wordSet = (language: string, stemmer: StemmerLanguage | undefined, lists: Record<string, string[]>, alsoRead: string[] = []): CompiledWordSet => {
    const set: CompiledWordSet = {
      language,
      alsoRead,
      ...(stemmer ? { stemmer } : {}),
      exact: new Map(),
      stems: new Map(),
      prefixes: [{ next: new Map(), ids: [] }],
      entries: [],
      byFirst: new Map(),
      inside: [{ next: new Map(), ids: [] }],
      insideDepth: 0,
    };
    const wordIds = new Map<string, number>();
    const add = (map: Map<string, number[]>, key: string, id: number) => {
      const list = map.get(key);
      if (!list) map.set(key, [id]);
      else if (!list.includes(id)) list.push(id);
    };
    const wordId = (part: string): number | undefined => {
      const star = part.endsWith('*');
      const tokens = tokenize(star ? part.slice(0, -1) : part).tokens;
      if (tokens.length === 0) return undefined;
      // A part that tokenizes into several words ("e-mail") is read as its last token with the rest dropped: keep parts single words.
      const token = tokens[tokens.length - 1]!;
      const key = `${star ? '*' : ''}${token.folded}`;
      let id = wordIds.get(key);
      if (id !== undefined) return id;
      id = wordIds.size;
      wordIds.set(key, id);
      if (star) {
        let at = 0;
        for (const ch of token.folded) {
          let to = set.prefixes[at]!.next.get(ch);
          if (to === undefined) {
            to = set.prefixes.push({ next: new Map(), ids: [] }) - 1;
            set.prefixes[at]!.next.set(ch, to);
          }
          at = to;
        }
        set.prefixes[at]!.ids.push(id);
      } else {
        add(set.exact, token.folded, id);
        if (stemmer) add(set.stems, stemOf(stemmer, token.norm), id);
      }
      return id;
    };
    for (const [name, entries] of Object.entries(lists)) {
      const concept = conceptId(name);
      for (const entry of entries) {
        const tokens = tokenize(entry.replaceAll('*', '')).tokens;
        if (tokens.length > 0 && tokens.every((t) => insideScripts.has(t.script))) {
          // Khmer and Burmese are written without spaces between words: look for the entry inside the text.
          const chars = [...tokens.map((t) => t.norm).join('')];
          let at = 0;
          for (const ch of chars) {
            let to = set.inside[at]!.next.get(ch);
            if (to === undefined) {
              to = set.inside.push({ next: new Map(), ids: [] }) - 1;
              set.inside[at]!.next.set(ch, to);
            }
            at = to;
          }
          if (!set.inside[at]!.ids.includes(concept)) set.inside[at]!.ids.push(concept);
          set.insideDepth = Math.max(set.insideDepth, chars.length);
          continue;
        }
        const words: number[] = [];
        for (const part of entry.trim().split(/\s+/)) {
          const star = part.endsWith('*');
          const pieces = tokenize(star ? part.slice(0, -1) : part).tokens;
          pieces.forEach((piece, i) => {
            const id = wordId(`${piece.norm}${star && i === pieces.length - 1 ? '*' : ''}`);
            if (id !== undefined) words.push(id);
          });
        }
        if (words.length === 0) continue;
        const index = set.entries.push({ words, concept }) - 1;
        const first = set.byFirst.get(words[0]!);
        if (first) first.push(index);
        else set.byFirst.set(words[0]!, [index]);
      }
    }
    return set;
  };

  const shared = wordSet('common', undefined, common.concepts);
  const languages = files.map((f) => wordSet(f.language, f.stemmer, f.concepts, f.alsoRead));
  const signals = common.signals.map((s) => ({
    indicator: s.indicator,
    all: s.all.map(conceptId),
    within: s.within,
    scope: s.scope,
    unless: (s.unless ?? []).map(conceptId),
    negatable: s.negatable,
    absent: (s.absent ?? []).map(conceptId),
  }));
  return {
    concepts,
    common: shared,
    languages,
    profiles: files.map((f) => ({ language: f.language, detect: f.detect })),
    signals,
    levels: common.levels,
  };
}
