/**
 * Builds one index over every language's word lists, then reads messages with it: concepts,
 * emergency, intent, answer, places and a language guess, in one pass linear in the input.
 */
import { AhoCorasick } from './aho-corasick.js';
import { createExampleJudge, EXAMPLES_ID, type ExampleModel } from './emergency-examples.js';
import { fold, tokenize, transliterate, type Token } from './normalise.js';
import {
  answerIds,
  intentIds,
  type AnswerId,
  type ConceptId,
  type EmergencyRule,
  type IntentId,
  type RulesFile,
  type StemmerLanguage,
  type WordListFile,
} from './schema.js';
import { stemmerFor, type Stem } from './stemmers.js';

/** Country names for place matching, prepared by the loader (package data, Intl.DisplayNames). */
export interface CountryNames {
  /** ISO 3166-1 alpha-2, e.g. AE. */
  code: string;
  /** ISO 3166-1 alpha-3, e.g. ARE (matched only when typed in capitals). */
  alpha3: string;
  /** Names and aliases by language. */
  names: Record<string, string[]>;
}

/** What one message says, as far as word lists can tell. */
export interface Reading {
  /** Concepts found, with the words as the user typed them and the language whose list matched. */
  concepts: { id: string; words: string[]; language: string }[];
  /**
   * Set when an emergency rule holds, or else when the message is like the emergency examples (rule
   * `like_emergency_examples`, also reported as a concept); firstPerson tells "they took MY passport" from a pasted ad.
   */
  emergency?: { rule: string; firstPerson: boolean; words: string[] };
  /**
   * A weak rule that held (rules.yaml `weak`) but was overruled: the example classifier is sure the
   * message is ordinary ("is it legal for the company to keep passports?"). Not an emergency then.
   */
  overruled?: { rule: string; score: number };
  /** The whole short message (4 tokens or fewer) is this command. */
  intent?: IntentId;
  /** The message answers a yes / no question: all of it, or it starts so ("no i didnt pay anything"). */
  answer?: AnswerId;
  /** Places named anywhere, as ISO alpha-2 codes. */
  places: { country: string; words: string[] }[];
  /** How many tokens the message had. */
  tokens: number;
  /** Best guess of the message's language among all files (by matched words and script). */
  language?: string;
  /** Steps done (characters and tokens visited, index probes), for linear-time tests. */
  work: number;
}

/** Reads typed text. Built once by createUnderstanding. */
export interface Understanding {
  /** `language` is the session's language: it wins ties for intents and answers. */
  read(text: string, language: string): Reading;
}

/** What an entry stands for, in which language; `li` numbers the language (languageIndex). */
type Target = (
  | { kind: 'concept'; id: ConceptId; lang: string }
  | { kind: 'intent'; id: IntentId; lang: string }
  | { kind: 'answer'; id: AnswerId; lang: string }
  | { kind: 'place'; id: string; lang: string; listed?: boolean }
) & {
  li: number;
  /** Set once built: a function-word concept (functionConcepts), a concept a negation cancels (cancellable). */
  functionWord?: boolean;
  cancellable?: boolean;
};

interface StemElement {
  el: number;
  lang: StemmerLanguage;
  /** The stemmer's number (a token keeps the stems it made in an array by this number). */
  si: number;
  /** The script the stemmer reads. */
  script: string;
  /** The trie key was the Latin transliteration of a Cyrillic stem. */
  viaLatin: boolean;
}

/**
 * A node of the trie of stems and prefixes, by UTF-16 code unit. Most nodes have one child or two:
 * their keys are scanned (cheaper than a map lookup); a node of many children has a map too. Every
 * node has every field (one shape for the walk).
 */
interface TrieNode {
  keys: number[];
  kids: TrieNode[];
  map: Map<number, TrieNode> | undefined;
  prefixes: number[] | undefined;
  stems: StemElement[] | undefined;
}
/** Children scanned rather than looked up in a map. */
const maxScannedChildren = 8;

/** The trie as built: a map of children per node, made compact (TrieNode) once complete. */
interface BuildNode {
  next: Map<number, BuildNode>;
  prefixes?: number[];
  stems?: StemElement[];
}

function compactTrie(built: BuildNode): TrieNode {
  const node: TrieNode = { keys: [...built.next.keys()], kids: [], map: undefined, prefixes: built.prefixes, stems: built.stems };
  for (const child of built.next.values()) node.kids.push(compactTrie(child));
  if (node.keys.length > maxScannedChildren) node.map = new Map(node.keys.map((key, k) => [key, node.kids[k]!]));
  return node;
}

/** The child of `node` by code unit `c`. */
function childOf(node: TrieNode, c: number): TrieNode | undefined {
  if (node.map) return node.map.get(c);
  const keys = node.keys;
  for (let k = 0; k < keys.length; k++) if (keys[k] === c) return node.kids[k];
  return undefined;
}

interface Entry {
  elements: number[];
  targets: Target[];
}

/** The entries that start with one element: all (in order), the one-element ones, and the second elements of the others. */
interface EntryGroup {
  all: Entry[];
  singles: Entry[];
  seconds: Set<number>;
}

interface Occurrence {
  /** Token range [from, to]. */
  from: number;
  to: number;
  targets: Target[];
  /** For matches inside unspaced scripts: original text range. */
  range?: [number, number];
  /** Stream range, for adjacency inside unspaced scripts. */
  stream?: [number, number];
  /** Inside unspaced scripts: the match ends where a typed word ends (at a space or the end). */
  wordEnd?: boolean;
}

/** A short reply ("pagei sim 800 reais") may hold its answer word anywhere; a longer one must start with it. */
const maxShortAnswerTokens = 6;
/** A message that asks something back is not an answer. */
const questionMark = /[?\uff1f\u061f]/;
/** Punctuation between two words that ends a clause. */
const pause = /[,.;:!?\n\u060c\u061b\u061f\u0964\u0965\u104a\u104b\u17d4\u17d5\u3002\uff0c]/;
/**
 * Laughing emoji (😂 🤣 😆 😅 😹): the writer jokes ("my wife locked me in till I fix the bathroom 😂"). Read
 * as an `everyday` word unless a `never_overruled` set is present (a plea, SOS, the police...), and the
 * examples raise no emergency when one is present. No emergency message of
 * the evaluation rounds a–i holds one; 77 of their ordinary messages do.
 */
const laughter = /[\u{1F602}\u{1F923}\u{1F606}\u{1F605}\u{1F639}]/u;
/**
 * Emoji that stand for a sign of trouble, in messages written half in emoji ("😭📵🔒🛂 kuwait", "sahuji 👊👊
 * rahadani 🛂 lagyo 🚪🔒"): SOS, a lock, a fist, passport control, no phone. Read as words of those concepts.
 * Rounds a–j: 🔒 is in 27 emergency messages and no ordinary one; 🆘, 👊, 🛂 and 📵 in 14 emergencies, no ordinary one.
 */
const emojiSigns: [ConceptId, RegExp][] = [
  ['sos', /\u{1F198}/u],
  ['confinement', /[\u{1F512}\u{1F510}]/u],
  ['violence', /\u{1F44A}/u],
  ['document', /\u{1F6C2}/u],
  ['watched', /\u{1F4F5}/u],
];
/**
 * Praying hands with a crying or frightened face (🙏 with 😭 😰 😨 😱) is a plea ("🚚🚚 kothay nie jay 😭 🙏🙏");
 * 🙏 alone is also thanks, and a crying face alone is homesickness or a joke.
 */
const pleading = /\u{1F64F}/u;
/** Any of those emoji (one scan of a message without them). */
const pictograph = /[\u{1F198}\u{1F4F5}\u{1F44A}\u{1F510}\u{1F512}\u{1F64F}\u{1F6C2}]/u;
const distress = /[\u{1F62D}\u{1F630}\u{1F628}\u{1F631}]/u;
/** An emoji typed alone as an answer: a shrug (🤷, 🤷‍♀️) is "not sure", thumbs up (👍, also ✅) "yes", thumbs down (👎, also ❌) "no". */
const emojiAnswers: [AnswerId, RegExp][] = [
  ['unsure', /\u{1F937}/u],
  ['yes', /[\u{1F44D}\u2705]/u],
  ['no', /[\u{1F44E}\u274C]/u],
];
/** The answer an emoji-only message gives, when it shows one kind only (👍👎 together say nothing). */
function emojiAnswer(text: string): AnswerId | undefined {
  let found: AnswerId | undefined;
  for (const [id, pattern] of emojiAnswers) {
    if (!pattern.test(text)) continue;
    if (found) return undefined;
    found = id;
  }
  return found;
}
/** Tokens of 6+ letters may differ by one edit from a listed word. */
const minTypoLength = 6;
/** Sounds of thinking that may open a reply, folded (repeated letters once: "mmm" is "m"). */
const fillers = new Set(['m', 'hm', 'um', 'uh', 'eh', 'ah', 'erm', 'em', 'mm', 'ну', 'нуу', 'хм', 'эм', 'ем', 'ам', 'ehm', 'uhm', 'umm', 'hmm']);
const arabicScript = /[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]/;
const maxTypoLength = 24;
/** Letters a Latin-typed word may add to the transliterated stem of a Cyrillic entry. */
const latinSuffixAllowance = (stemLength: number) => (stemLength >= 6 ? 4 : stemLength >= 4 ? 3 : 1);
/** Concepts a negation word just before them cancels ("we never take passports"). */
const cancellable = new Set<ConceptId>(['taken', 'violence', 'threat', 'confinement', 'danger', 'fear', 'trafficked', 'debt', 'watched', 'leave', 'unpaid']);
/** Two-letter codes that are ordinary capitalised words in messages ("IT job", "my ID", "CV"). */
const ambiguousCodes = new Set([
  'IT',
  'ID',
  'AM',
  'NO',
  'AS',
  'AT',
  'BE',
  'BY',
  'DO',
  'IN',
  'IS',
  'ME',
  'MY',
  'TO',
  'TV',
  'CV',
  'SO',
  'PM',
  'GO',
  'OK',
  'HI',
  'AI',
  'PE',
  'ST',
  'SE',
  'MS',
  'MA',
  'LA',
  'NE',
  'AD',
  'CA',
]);
/** Concepts made of short function words that mean other things in other languages. */
const functionConcepts = new Set<ConceptId>(['self', 'negation', 'question', 'hypothetical', 'now', 'everyday', 'age']);
/** Scripts written without spaces between words (a comparison, not a set lookup: asked of every token). */
const spaceless = (script: string) => script === 'khmer' || script === 'myanmar';
const stemmerScripts: Record<StemmerLanguage, string> = {
  en: 'latin',
  es: 'latin',
  fr: 'latin',
  pt: 'latin',
  ro: 'latin',
  tl: 'latin',
  ru: 'cyrillic',
  uk: 'cyrillic',
  sr: 'cyrillic',
  hi: 'devanagari',
  ar: 'arabic',
};
/** The stemmed languages, numbered. */
const stemmerNumbers = Object.keys(stemmerScripts) as StemmerLanguage[];

/**
 * One stemmer call per word and language, remembered (bounded): a word seen once is usually seen
 * again. Languages by their number in stemmerNumbers (an array index, not a map lookup per call).
 */
function stemMemo(): (si: number, word: string) => string {
  const stemmers: (Stem | undefined)[] = [];
  // Reads probe only the few stemmers whose stems prefix the token.
  // One memo per language, keyed by the word itself (no key string made per lookup).
  const memos: Map<string, string>[] = stemmerNumbers.map(() => new Map());
  let memoSize = 0;
  return (si, word) => {
    const memo = memos[si]!;
    const known = memo.get(word);
    if (known !== undefined) return known;
    const result = (stemmers[si] ??= stemmerFor(stemmerNumbers[si]!))(word);
    if (memoSize >= 50_000) {
      for (const m of memos) m.clear();
      memoSize = 0;
    }
    memo.set(word, result);
    memoSize++;
    return result;
  };
}

/**
 * The index every message is read with, as plain data (maps, arrays, objects; no functions), so
 * the content cache can keep it: building it stems every listed word and country name (about
 * half a second), reading it back from the cache takes a fraction of that.
 */
export interface UnderstandingIndex {
  exact: Map<string, number[]>;
  trie: TrieNode;
  typoForms: Map<string, { form: string; el: number }[]>;
  /** By element id (ids are dense: an array, not a map, is indexed once per matched element of every read). */
  byFirst: (EntryGroup | undefined)[];
  /** Patterns of the unspaced scripts (Khmer, Burmese) and what each stands for. */
  patterns: string[];
  patternTargets: Target[][];
  languageNames: string[];
  languages: string[];
  capitalised: Map<string, string>;
  codes: Map<string, string>;
  ordinaryWords: Set<string>;
}

/** Builds the index from the loaded word lists, rules and country names. */
export function buildUnderstandingIndex(files: readonly WordListFile[], rules: RulesFile, countries: readonly CountryNames[] = []): UnderstandingIndex {
  const stem = stemMemo();

  // --- elements: one-token patterns, shared by every entry that uses them ---
  const elementIds = new Map<string, number>();
  const exact = new Map<string, number[]>();
  const trie: BuildNode = { next: new Map() };
  const typoForms = new Map<string, { form: string; el: number }[]>();
  const typoSeen = new Set<string>();
  const addTo = <K>(map: Map<K, number[]>, key: K, el: number) => {
    const list = map.get(key);
    if (!list) map.set(key, [el]);
    else if (!list.includes(el)) list.push(el);
  };
  const trieNode = (key: string) => {
    let node = trie;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      let next = node.next.get(c);
      if (!next) node.next.set(c, (next = { next: new Map() }));
      node = next;
    }
    return node;
  };
  const addTypo = (form: string, el: number) => {
    if (form.length < minTypoLength - 1 || form.length > maxTypoLength || /\d/.test(form) || typoSeen.has(`${form}\u0000${el}`)) return;
    typoSeen.add(`${form}\u0000${el}`);
    // One object shared by every variant's list: the cached index then keeps it once.
    const candidate = { form, el };
    for (const variant of [form, ...deletions(form)]) {
      const list = typoForms.get(variant);
      if (list) list.push(candidate);
      else typoForms.set(variant, [candidate]);
    }
  };
  const element = (key: string, setup: (el: number) => void) => {
    let el = elementIds.get(key);
    if (el === undefined) {
      el = elementIds.size;
      elementIds.set(key, el);
      setup(el);
    }
    return el;
  };

  /** The element for one token of an entry. */
  const elementFor = (token: Token, prefix: boolean, lang: StemmerLanguage | undefined, typos: boolean, space = ''): number => {
    const forms = token.latin ? [token.folded, token.latin] : [token.folded];
    if (prefix) {
      return element(`p:${token.folded}`, (el) => {
        for (const form of forms) ((trieNode(form).prefixes ??= []) as number[]).push(el);
      });
    }
    if (!lang || token.script === 'digits' || stemmerScripts[lang] !== token.script) {
      const el = element(`x:${token.folded}`, (el) => {
        for (const form of forms) addTo(exact, form, el);
      });
      if (typos) for (const form of forms) addTypo(form, el);
      return el;
    }
    const stemmed = fold(stem(stemmerNumbers.indexOf(lang), token.norm));
    // Place names get elements of their own: "Suisse" stems to "suis", which must not make French
    // "je suis" (an exact word of the `self` list, same stem element) read as Switzerland.
    const el = element(`s:${space}${lang}:${stemmed}`, (el) => {
      (trieNode(stemmed).stems ??= []).push({ el, lang, si: stemmerNumbers.indexOf(lang), script: stemmerScripts[lang], viaLatin: false });
      const latin = /[\u0400-\u052f]/.test(stemmed) ? fold(transliterate(stemmed)) : undefined;
      if (latin) (trieNode(latin).stems ??= []).push({ el, lang, si: stemmerNumbers.indexOf(lang), script: stemmerScripts[lang], viaLatin: true });
    });
    for (const form of forms) {
      addTo(exact, form, el);
      if (typos) addTypo(form, el);
    }
    return el;
  };

  // --- entries ---
  const entries = new Map<string, Entry>();
  const spacelessPatterns = new Map<string, Target[]>();
  // Equal targets are one object (the cached index then keeps each once).
  const targets = new Map<string, Target>();
  const addEntry = (text: string, given: Target, lang: StemmerLanguage | undefined, typos = true) => {
    const same = `${given.kind}\u0000${given.id}\u0000${given.lang}`;
    let target = targets.get(same);
    if (!target) targets.set(same, (target = given));
    // Each whitespace-separated word may end in `*`; a word may still be several tokens ("абу-даби").
    const tokens: Token[] = [];
    const starred: boolean[] = [];
    for (const word of text.trim().split(/\s+/)) {
      const star = word.endsWith('*');
      const parts = tokenize(star ? word.slice(0, -1) : word).tokens;
      parts.forEach((part, i) => {
        tokens.push(part);
        starred.push(star && i === parts.length - 1);
      });
    }
    if (tokens.length === 0) return;
    if (tokens.some((t) => spaceless(t.script))) {
      const pattern = tokens.map((t) => t.folded).join('');
      const list = spacelessPatterns.get(pattern);
      if (list) list.push(target);
      else spacelessPatterns.set(pattern, [target]);
      return;
    }
    const elements = tokens.map((token, i) => elementFor(token, starred[i]!, lang, typos, target.kind === 'place' ? 'place:' : ''));
    const key = elements.join(',');
    const entry = entries.get(key);
    // One place target per country is enough ("Dubai" is spelt so in twenty languages).
    if (entry && target.kind === 'place' && entry.targets.some((t) => t.kind === 'place' && t.id === target.id)) return;
    if (entry) entry.targets.push(target);
    else entries.set(key, { elements, targets: [target] });
  };

  // Every language a target names, numbered: reads count and compare languages by number.
  const languageIndex = new Map<string, number>();
  const languageNames: string[] = [];
  const langId = (lang: string) => {
    let id = languageIndex.get(lang);
    if (id === undefined) {
      languageIndex.set(lang, (id = languageNames.length));
      languageNames.push(lang);
    }
    return id;
  };
  const languages: string[] = [];
  const capitalised = new Map<string, string>();
  for (const file of files) {
    languages.push(file.language);
    const lang = file.stemmer;
    for (const [id, list] of Object.entries(file.concepts))
      for (const text of list) addEntry(text, { kind: 'concept', id: id as ConceptId, lang: file.language, li: langId(file.language) }, lang);
    // Commands only in the languages we chat in; answers and places in every language.
    if (file.chat)
      for (const id of intentIds)
        for (const text of file.intents?.[id] ?? []) addEntry(text, { kind: 'intent', id, lang: file.language, li: langId(file.language) }, lang);
    for (const id of answerIds)
      for (const text of file.answers?.[id] ?? []) addEntry(text, { kind: 'answer', id, lang: file.language, li: langId(file.language) }, lang);
    for (const [code, list] of Object.entries(file.places ?? {}))
      for (const text of list) {
        // An abbreviation listed with capitals counts only typed so: French "EAU" is the Emirates, "eau"
        // water; Serbian "BiH" is Bosnia, "bih" (would) a verb.
        if (/^[A-Za-z]{2,5}$/.test(text) && /[A-Z].*[A-Z]/.test(text)) capitalised.set(text, code);
        // An Arabic-script name forgives no typo: one letter changes an Arabic word's meaning (الدوام,
        // working hours, is one letter from الدمام, Dammam; البحري, maritime, from البحرين, Bahrain).
        else addEntry(text, { kind: 'place', id: code, lang: file.language, li: langId(file.language), listed: true }, lang, !arabicScript.test(text));
      }
  }
  const codes = new Map<string, string>();
  for (const country of countries) {
    codes.set(country.alpha3, country.code);
    if (!ambiguousCodes.has(country.code)) codes.set(country.code, country.code);
    for (const [lang, names] of Object.entries(country.names)) {
      const stemLang = (stemmerScripts as Record<string, string>)[lang] ? (lang as StemmerLanguage) : undefined;
      for (const name of names) {
        const tokens = tokenize(name).tokens;
        // A short name loses meaning without its accents (Vietnamese "Mỹ" would read as English "my").
        if (tokens.length === 0 || tokens.length > 6 || (tokens.length === 1 && [...tokens[0]!.folded].length < 4)) continue;
        const target: Target = { kind: 'place', id: country.code, lang, li: langId(lang) };
        // Typos are forgiven in English names only: the typo index over every language's names
        // cost most of the build (thousands of names), and misspellings mostly hit the English ones.
        const typos = lang === 'en';
        addEntry(tokens.map((t) => name.slice(t.start, t.end)).join(' '), target, stemLang, typos);
        if (tokens.length > 1 && !tokens.some((t) => spaceless(t.script))) addEntry(tokens.map((t) => t.norm).join(''), target, undefined, typos); // "Hongkong"
      }
    }
  }
  const ordinaryWords = new Set((rules.ordinary_words ?? []).flatMap((w) => tokenize(w).tokens.map((t) => t.folded)));

  // A word listed twice in a file ("passport", "passports" share a stem) adds its target twice in a
  // row; the second adds nothing to a reading, so each entry keeps one of each run. Only neighbours
  // are dropped, so whichever of equal targets a reader takes (the first, the last) is the same.
  const withoutRepeats = (targets: Target[]) =>
    targets.filter((t, i) => i === 0 || t.kind !== targets[i - 1]!.kind || t.id !== targets[i - 1]!.id || t.lang !== targets[i - 1]!.lang);
  for (const entry of entries.values()) entry.targets = withoutRepeats(entry.targets);
  for (const [pattern, targets] of spacelessPatterns) spacelessPatterns.set(pattern, withoutRepeats(targets));
  for (const targets of [...[...entries.values()].map((e) => e.targets), ...spacelessPatterns.values()])
    for (const t of targets) {
      t.functionWord = t.kind === 'concept' && functionConcepts.has(t.id);
      t.cancellable = t.kind === 'concept' && cancellable.has(t.id);
    }
  // Entries by their first element; single-element entries are looked up directly.
  // A common first word ("my", "not") starts many phrases: when the next token matches none of their
  // second words, only the one-word entries need a look (in the same order).
  const byFirst: (EntryGroup | undefined)[] = Array.from({ length: elementIds.size }, () => undefined);
  for (const entry of entries.values()) {
    let group = byFirst[entry.elements[0]!];
    if (!group) byFirst[entry.elements[0]!] = group = { all: [], singles: [], seconds: new Set() };
    group.all.push(entry);
    if (entry.elements.length === 1) group.singles.push(entry);
    else group.seconds.add(entry.elements[1]!);
  }
  return {
    exact,
    trie: compactTrie(trie),
    typoForms,
    byFirst,
    patterns: [...spacelessPatterns.keys()],
    patternTargets: [...spacelessPatterns.values()],
    languageNames,
    languages,
    capitalised,
    codes,
    ordinaryWords,
  };
}

/**
 * Builds the understanding from the loaded word lists, rules, country names and the classifier
 * trained on the example messages; `index` when the content cache kept one built from the same files.
 */
export function createUnderstanding(
  files: readonly WordListFile[],
  rules: RulesFile,
  countries: readonly CountryNames[] = [],
  examples?: ExampleModel,
  index: UnderstandingIndex = buildUnderstandingIndex(files, rules, countries),
): Understanding {
  const stem = stemMemo();
  const { exact, trie, typoForms, byFirst, patterns, patternTargets, languageNames, languages, capitalised, codes, ordinaryWords } = index;
  const automaton = new AhoCorasick(patterns);
  const scratch = {
    scores: new Int32Array(languageNames.length),
    marked: new Uint8Array(languageNames.length * 64),
    scored: [] as number[],
    width: 0,
    flags: new Uint8Array(64),
    guess: { langs: [] as string[], scores: [] as number[] },
  };
  // The languages a guess may name: those with a file, and those a script tells.
  const knownLanguages = new Set([...languages, ...Object.values(scriptLanguages).flat()]);
  // Emergencies by example (emergency-examples.ts): asked only when the rules found none.
  const byExample = examples && createExampleJudge(examples);
  const neverOverruled = rules.never_overruled ?? [];

  // --- reading ---
  /** Adds the elements `token` matches to `found` (each once); returns the work done. */
  function elementsOf(token: Token, found: number[]): number {
    let work = 0;
    // A Cyrillic token is looked up as written; its Latin spelling serves only Serbian stems (the
    // Serbian stemmer answers in Latin). Otherwise "не" would read as Romanian "ne" (us).
    work++;
    const exactly = exact.get(token.folded);
    if (exactly) for (const el of exactly) addNew(found, el);
    if (token.script === 'digits') return work;
    const ordinary = ordinaryWords.has(token.folded);
    let stemCache: (string | undefined)[] | undefined;
    for (let f = 0; f < (token.latin ? 2 : 1); f++) {
      const form = f === 0 ? token.folded : token.latin!;
      const latinOfCyrillic = form !== token.folded;
      let node: TrieNode | undefined = trie;
      for (let i = 0; i < form.length && node; i++) {
        node = childOf(node, form.charCodeAt(i));
        work++;
        if (!node) break;
        if (node.prefixes && !latinOfCyrillic && !ordinary) for (const el of node.prefixes) addNew(found, el);
        if (node.stems && i + 1 < form.length && !ordinary) {
          for (const s of node.stems) {
            if (found.includes(s.el) || (latinOfCyrillic && (s.lang !== 'sr' || s.viaLatin))) continue;
            if (s.viaLatin && token.script === 'latin') {
              if (i + 1 >= 4 && form.length - (i + 1) <= latinSuffixAllowance(i + 1)) addNew(found, s.el);
              continue;
            }
            if (s.script !== token.script && !(s.lang === 'sr' && token.script === 'latin')) continue;
            let st = (stemCache ??= new Array<string | undefined>(stemmerNumbers.length))[s.si];
            if (st === undefined) {
              st = fold(stem(s.si, token.norm));
              stemCache[s.si] = st;
              work += token.norm.length;
            }
            // st equals the first i + 1 letters of the form (compared in place, no copy made).
            if ((st.length === i + 1 && form.startsWith(st)) || (s.viaLatin && isPrefixOf(fold(transliterate(st)), form, i + 1))) addNew(found, s.el);
          }
        }
      }
    }
    if (found.length === 0 && token.folded.length >= minTypoLength && token.folded.length <= maxTypoLength && !ordinary && !/\d/.test(token.folded)) {
      const form = token.folded;
      for (const variant of [form, ...deletions(form)]) {
        work++;
        for (const candidate of typoForms.get(variant) ?? [])
          if (!found.includes(candidate.el) && withinOneEdit(form, candidate.form)) addNew(found, candidate.el);
      }
    }
    return work;
  }

  function read(text: string, session: string): Reading {
    const { tokens, work: tokenWork, hasLower } = tokenize(text);
    let work = tokenWork;
    // (No function is made per read or per token here: reading is the hot path.)
    const matched: number[][] = [];
    let unspaced = false;
    for (const token of tokens) {
      const found: number[] = [];
      matched.push(found);
      if (spaceless(token.script)) {
        unspaced = true;
        continue;
      }
      work += elementsOf(token, found);
      // Arabic writes "and" and the prepositions against the next word (وبيضربنا, "and he beats us";
      // بالرياض, "in Riyadh"): read it without them too.
      if (token.script === 'arabic' && token.norm.length >= 3) {
        const bare = withoutArabicClitics(token.norm);
        if (bare !== undefined) {
          const without: number[] = [];
          work += elementsOf({ ...token, norm: bare, folded: fold(bare) }, without);
          for (const el of without) addNew(found, el);
        }
      }
    }
    const occurrences: Occurrence[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const next = matched[i + 1];
      for (const el of matched[i]!) {
        const group = byFirst[el];
        if (!group) continue;
        let phrases = false;
        if (next && group.seconds.size > 0) for (let k = 0; k < next.length && !phrases; k++) phrases = group.seconds.has(next[k]!);
        for (const entry of phrases ? group.all : group.singles) {
          work++;
          const n = entry.elements.length;
          if (i + n > tokens.length) continue;
          let ok = true;
          for (let k = 1; k < n && ok; k++) ok = matched[i + k]!.includes(entry.elements[k]!);
          if (ok) occurrences.push({ from: i, to: i + n - 1, targets: entry.targets });
        }
      }
    }
    // Unspaced scripts: one stream of their tokens, searched with Aho–Corasick.
    let stream = '';
    const tokenOf: number[] = []; // the token of each stream code unit
    if (automaton.size && unspaced) {
      const origin: number[] = []; // original offset of each stream code unit
      tokens.forEach((token, i) => {
        if (!spaceless(token.script)) {
          stream += '\u0000';
          origin.push(token.start);
          tokenOf.push(i);
          return;
        }
        const exactOffsets = token.folded.length === token.end - token.start && token.folded === text.slice(token.start, token.end);
        for (let k = 0; k < token.folded.length; k++) {
          origin.push(exactOffsets ? token.start + k : token.start);
          tokenOf.push(i);
        }
        stream += token.folded;
      });
      work += automaton.search(stream, (m) => {
        const last = tokenOf[m.end - 1]!;
        const end =
          origin[m.end - 1]! === tokens[last]!.start && tokens[last]!.folded.length !== tokens[last]!.end - tokens[last]!.start
            ? tokens[last]!.end
            : origin[m.end - 1]! + 1;
        occurrences.push({
          from: tokenOf[m.start]!,
          to: last,
          targets: patternTargets[m.pattern]!,
          range: [origin[m.start]!, Math.max(end, origin[m.start]! + 1)],
          stream: [m.start, m.end],
          wordEnd: m.end === tokenOf.length || tokenOf[m.end] !== last,
        });
      });
    }

    // Each language scores the tokens its lists matched, each token once (a mark per language and
    // token; languages score in the order they were first seen, which breaks ties).
    // Scratch arrays kept between reads (a typed array costs more to make than to clear): what the
    // last read marked is cleared first, so that a read cut short leaves nothing behind.
    const { scores } = scratch;
    for (const li of scratch.scored) {
      scores[li] = 0;
      scratch.marked.fill(0, li * scratch.width, (li + 1) * scratch.width);
    }
    const scored: number[] = (scratch.scored = []);
    scratch.width = tokens.length;
    if (scratch.marked.length < languageNames.length * tokens.length) scratch.marked = new Uint8Array(languageNames.length * tokens.length * 2);
    const marked = scratch.marked;
    for (const o of occurrences) {
      for (const t of o.targets) {
        // A function word alone says little of the language ("to", "ne", "ya" are everywhere); a phrase
        // of them says much ("sijil kelakuan baik", "macam mana").
        if (t.functionWord && (o.stream || o.to === o.from)) continue;
        // Place names are shared by every language ("Dubai", "Malaysia" in the English list): they say
        // nothing about the message's language, and counting them let English outvote "apakah bahaya".
        if (t.kind === 'place') continue;
        // Answers and commands are whole short messages: in a longer one, "ne" (Russian "не", no) or
        // "la" (Arabic no) inside Romanian text says nothing about its language.
        if ((t.kind === 'answer' || t.kind === 'intent') && tokens.length > 4) continue;
        if (scores[t.li] === 0) scored.push(t.li);
        const row = t.li * tokens.length;
        for (let k = o.from; k <= o.to; k++) {
          if (marked[row + k]) continue;
          marked[row + k] = 1;
          scores[t.li] = scores[t.li]! + 1;
        }
      }
    }
    const guess = scratch.guess;
    guess.langs.length = 0;
    guess.scores.length = 0;
    for (const li of scored) {
      guess.langs.push(languageNames[li]!);
      guess.scores.push(scores[li]!);
    }
    const language = guessLanguage(tokens, guess, knownLanguages, session);
    // English function words count in any message people mix English into, but a lone one does not in
    // a message plainly in another language: Vietnamese "nó" (he) is "no" without its accent.
    const englishWords = language === undefined || language === 'en' || !languages.includes(language) || language === session;
    const speech: Speech = { session, language, englishWords, variantPrefix: language === undefined ? undefined : `${language}-` };

    // Negation: a negation word just before a concept cancels it, unless the negation is part of a concept ("won't let").
    // The same pass gathers what later steps need: an everyday phrase of several words is read as a
    // whole ("my feet are killing me" holds no threat, "police clearance" no call for the police), and a
    // question or "if" word inside a longer phrase of a sign asks nothing ("ma ba3ref wen ana", I do not
    // know where I am, is danger; its "wen" no question).
    // One byte of flags per token (negationEnd, absorbedToken, pronounToken), kept between reads and
    // cleared for this one; the stream's negation ends in a set made only when a negation is there.
    if (scratch.flags.length < tokens.length) scratch.flags = new Uint8Array(tokens.length * 2);
    const flags = scratch.flags.fill(0, 0, tokens.length);
    let negationStreamEnds: Set<number> | undefined;
    const ordinarySpans: Occurrence[] = [];
    const signPhrases: Occurrence[] = [];
    let answers = 0;
    let ages = 0;
    for (const o of occurrences) {
      const long = o.stream ? o.stream[1] - o.stream[0] > 1 : o.to > o.from;
      for (const t of o.targets) {
        if (t.kind === 'answer') answers++;
        if (t.kind !== 'concept' || !active(t, o, speech)) continue;
        if (t.id === 'age') ages++;
        if (long && t.id === 'everyday') {
          if (ordinarySpans[ordinarySpans.length - 1] !== o) ordinarySpans.push(o);
        } else if (long && !t.functionWord && signPhrases[signPhrases.length - 1] !== o) signPhrases.push(o);
        if (t.id === 'negation') {
          if (o.stream) (negationStreamEnds ??= new Set()).add(o.stream[1]);
          else flags[o.to] = flags[o.to]! | negationEnd;
        } else if (t.id === 'self' && !o.stream && o.from === o.to) {
          flags[o.from] = flags[o.from]! | pronounToken;
        } else if (t.id !== 'self' && t.id !== 'question' && t.id !== 'hypothetical' && (o.to > o.from || t.id === 'cannot')) {
          for (let k = o.from; k <= o.to; k++) flags[k] = flags[k]! | absorbedToken;
        }
      }
    }
    // "не в опасности": the phrase "в опасности" is negated, so the word "опасности" inside it is too.
    const negation: Negations = { flags, streamEnds: negationStreamEnds };
    let negatedSpans: Map<ConceptId, Occurrence[]> | undefined;
    for (const o of occurrences) {
      if (!negatedBefore(o, negation, tokens, tokenOf, text)) continue;
      for (const t of o.targets) if (t.kind === 'concept' && t.cancellable) (negatedSpans ??= new Map()).set(t.id, [...(negatedSpans.get(t.id) ?? []), o]);
    }

    const ordinary = ordinarySpans.length > 0 ? new Spans(ordinarySpans, tokens.length, stream.length) : undefined;
    const signs = signPhrases.length > 0 ? new Spans(signPhrases, tokens.length, stream.length) : undefined;
    work += ordinarySpans.length + signPhrases.length;

    // Concepts, one record per id. Function words (I, not, if, how...) count only in the session
    // language, the message's language or English: "to" is Portuguese "I am", "ne" Romanian "us".
    const conceptWords = new Map<string, ConceptRecord>();
    for (const o of occurrences) {
      // Asked once per occurrence, and only of one with a concept that counts (most hold none).
      let words: string | undefined;
      let inOrdinary: boolean | undefined;
      let asked: boolean | undefined;
      for (const t of o.targets) {
        if (t.kind !== 'concept' || (t.cancellable && cancelled(negatedSpans, o, t.id)) || !active(t, o, speech)) continue;
        if ((inOrdinary ??= ordinary !== undefined && ordinary.covers(o, false)) && t.id !== 'everyday') continue;
        if ((t.id === 'question' || t.id === 'hypothetical') && (asked ??= signs !== undefined && signs.covers(o, true))) continue;
        let rec = conceptWords.get(t.id);
        if (!rec) conceptWords.set(t.id, (rec = { words: [], langs: [], langIds: [] }));
        words ??= wordsOf(o, text, tokens);
        if (!rec.words.includes(words)) rec.words.push(words);
        if (!rec.langIds.includes(t.li)) {
          rec.langIds.push(t.li);
          rec.langs.push(t.lang);
        }
      }
    }
    // A child's age ("aged 14", "12 saal ka", "عمري 14", "អាយុ១៤ឆ្នាំ"): an `age` word right next to a
    // number under 18 makes the `minor` concept, as a word such as "child" does.
    // The first few ages are enough to show.
    let agesShown = 0;
    for (let i = 0; ages > 0 && agesShown < 3 && i < occurrences.length; i++) {
      const o = occurrences[i]!;
      let age: Target | undefined;
      for (const t of o.targets) if (t.kind === 'concept' && t.id === 'age' && active(t, o, speech)) age = t;
      if (age === undefined) continue;
      const number = o.stream ? youngInStream(tokens, stream, tokenOf, o.stream) : (youngToken(tokens, o.from - 1) ?? youngToken(tokens, o.to + 1));
      if (number === undefined) continue;
      work++;
      agesShown++;
      let rec = conceptWords.get('minor');
      if (!rec) conceptWords.set('minor', (rec = { words: [], langs: [], langIds: [] }));
      const words = `${wordsOf(o, text, tokens)} ${number}`;
      if (!rec.words.includes(words)) rec.words.push(words);
      if (!rec.langIds.includes(age.li)) {
        rec.langIds.push(age.li);
        rec.langs.push(age.lang);
      }
    }
    const pictographs = pictograph.test(text);
    for (let k = 0; pictographs && k < emojiSigns.length; k++) {
      const [id, pattern] = emojiSigns[k]!;
      const sign = pattern.exec(text)?.[0];
      if (sign === undefined) continue;
      const rec = conceptWords.get(id);
      if (rec) rec.words.push(sign);
      else conceptWords.set(id, { words: [sign], langs: [session], langIds: [] });
    }
    const pleads = pictographs ? pleading.exec(text)?.[0] : undefined;
    const afraid = pleads === undefined ? undefined : distress.exec(text)?.[0];
    if (pleads !== undefined && afraid !== undefined) {
      const rec = conceptWords.get('help_plea');
      if (rec) rec.words.push(`${afraid}${pleads}`);
      else conceptWords.set('help_plea', { words: [`${afraid}${pleads}`], langs: [session], langIds: [] });
    }
    const laughing = laughter.exec(text)?.[0];
    // Only where the examples could overrule a weak hit: a laugh does not cancel a plea, SOS or the police.
    if (laughing !== undefined && !conceptWords.has('everyday') && !neverOverruled.some((set) => set.every((id) => conceptWords.has(id))))
      conceptWords.set('everyday', { words: [laughing], langs: [session], langIds: [] });
    const concepts: Reading['concepts'] = [];
    for (const [id, rec] of conceptWords) concepts.push({ id, words: rec.words, language: prefer(rec.langs, speech) });
    const present = new Set(conceptWords.keys());

    const reading: Reading = { concepts, places: places(occurrences, tokens, text, hasLower), tokens: tokens.length, work };
    if (language) reading.language = language;
    const hit = emergencyOf(rules.emergency, neverOverruled, present, conceptWords);
    const addWork = (n: number) => {
      work += n;
    };
    if (tokens.length > 0 && tokens.length <= 4) {
      const intent = wholeMessage<IntentId>('intent', tokens, occurrences, session);
      if (intent) reading.intent = intent;
    }
    const answer =
      answers > 0
        ? ((tokens.length <= 4 ? wholeMessage<AnswerId>('answer', tokens, occurrences, session) : undefined) ??
          answerWithMoreWords(text, tokens, occurrences, session, language))
        : tokens.length === 0
          ? emojiAnswer(text)
          : undefined;
    if (answer) reading.answer = answer;
    // The ordinary veto: only a weak hit, only when the examples are sure the message is ordinary.
    // Set only after the veto, so a reading never changes shape (no delete).
    const overruled = hit?.weak && byExample ? byExample.overrules(tokens, reading, hit.selfRule, addWork) : undefined;
    if (hit && overruled !== undefined) reading.overruled = { rule: hit.emergency.rule, score: overruled };
    else if (hit) reading.emergency = hit.emergency;
    const judged = !hit && byExample && laughing === undefined ? byExample.judge(text, tokens, reading, addWork) : undefined;
    if (judged) {
      reading.emergency = { rule: EXAMPLES_ID, firstPerson: present.has('self'), words: judged.words };
      concepts.push({ id: EXAMPLES_ID, words: judged.words, language: language ?? session });
    }
    reading.work = work;
    return reading;
  }

  /** Places named in the message, longest first, each token in one place at most. */
  function places(occurrences: readonly Occurrence[], tokens: readonly Token[], text: string, hasLower: boolean): Reading['places'] {
    // `shared`: a name the `places:` lists give to two countries (عمان: Amman, Jordan, or Oman); `by`:
    // the occurrence that named it. Otherwise the first country of a name wins.
    const found: PlaceFound[] = [];
    for (let by = 0; by < occurrences.length; by++) {
      const o = occurrences[by]!;
      let listed = 0;
      for (const t of o.targets) if (t.kind === 'place' && t.listed) listed++;
      for (const t of o.targets)
        if (t.kind === 'place')
          found.push({ from: o.from, to: o.to, country: t.id, words: wordsOf(o, text, tokens), by, shared: listed > 1 && t.listed === true });
    }
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      if (token.script !== 'latin') continue;
      const first = text.charCodeAt(token.start);
      const listed = first >= 0x41 && first <= 0x5a && capitalised.size > 0 ? capitalised.get(text.slice(token.start, token.end)) : undefined;
      if (listed && (hasLower || tokens.length === 1))
        found.push({ from: i, to: i, country: listed, words: text.slice(token.start, token.end), by: -1, shared: false });
      if (!token.upper || (!hasLower && tokens.length > 1)) continue;
      const country = codes.get(token.norm.toUpperCase());
      if (country) found.push({ from: i, to: i, country, words: text.slice(token.start, token.end), by: -1, shared: false });
    }
    // Most messages name no place: nothing to sort or share out.
    if (found.length === 0) return [];
    found.sort(longestFirst);
    const taken = new Map<number, number>(); // token -> the occurrence that took it
    const kept: PlaceFound[] = [];
    for (const f of found) {
      let free = true;
      for (let k = f.from; k <= f.to && free; k++) free = !taken.has(k) || (f.shared && taken.get(k) === f.by) || (f.from === f.to && keptAlready(kept, f));
      if (!free) continue;
      for (let k = f.from; k <= f.to; k++) taken.set(k, f.by);
      kept.push(f);
    }
    // Each country once, in the order first kept, with every spelling of it.
    const out: Reading['places'] = [];
    for (const f of kept) {
      // ...unless the message names one of them elsewhere ("عمان الاردن"): then it is that one.
      if (!namedElsewhere(kept, f.country, f) && anotherNamedElsewhere(kept, f)) continue;
      let place: Reading['places'][number] | undefined;
      for (const p of out) if (p.country === f.country) place = p;
      if (!place) out.push((place = { country: f.country, words: [] }));
      if (!place.words.includes(f.words)) place.words.push(f.words);
    }
    return out;
  }

  return { read };
}

/**
 * A place named in a message: tokens [from, to], `by` the occurrence that named it (-1: a code or a
 * capitalised name), `shared` a name the `places:` lists give to two countries.
 */
interface PlaceFound {
  from: number;
  to: number;
  country: string;
  words: string;
  by: number;
  shared: boolean;
}

/** Longer places first, then the earlier. */
const longestFirst = (a: PlaceFound, b: PlaceFound) => b.to - b.from - (a.to - a.from) || a.from - b.from;

/** A place of the same country and words is kept already. */
function keptAlready(kept: readonly PlaceFound[], f: PlaceFound): boolean {
  for (const g of kept) if (g.country === f.country && g.words === f.words) return true;
  return false;
}

/** The message names `country` outside f's tokens. */
function namedElsewhere(kept: readonly PlaceFound[], country: string, f: PlaceFound): boolean {
  for (const h of kept) if (h.country === country && (h.to < f.from || h.from > f.to)) return true;
  return false;
}

/** Another country shares f's words and is named elsewhere in the message. */
function anotherNamedElsewhere(kept: readonly PlaceFound[], f: PlaceFound): boolean {
  for (const g of kept) if (g.shared && g.from === f.from && g.to === f.to && namedElsewhere(kept, g.country, f)) return true;
  return false;
}

/** The id whose entries cover every token, trying the session language, then English, then any. */
function wholeMessage<T extends string>(
  kind: 'intent' | 'answer',
  tokens: readonly Token[],
  occurrences: readonly Occurrence[],
  session: string,
): T | undefined {
  if (tokens.length <= 30 && !tokens.some((t) => spaceless(t.script))) return wholeSpacedMessage<T>(kind, tokens, occurrences, session);
  const coverage = new Map<string, Set<number>>(); // `${lang}\u0000${id}` -> covered tokens or stream units
  const spacelessUnits = new Map<number, number>();
  tokens.forEach((t, i) => spaceless(t.script) && spacelessUnits.set(i, t.folded.length));
  for (const o of occurrences) {
    for (const t of o.targets) {
      if (t.kind !== kind) continue;
      const key = `${t.lang}\u0000${t.id}`;
      let set = coverage.get(key);
      if (!set) coverage.set(key, (set = new Set()));
      if (o.stream) for (let k = o.stream[0]; k < o.stream[1]; k++) set.add(-1 - k);
      else for (let k = o.from; k <= o.to; k++) set.add(k);
    }
  }
  const streamUnits = [...spacelessUnits.values()].reduce((a, b) => a + b, 0);
  const complete: [string, T][] = [];
  for (const [key, set] of coverage) {
    let streamCovered = 0;
    for (const k of set) if (k < 0) streamCovered++;
    let full = streamCovered >= streamUnits;
    for (let i = 0; i < tokens.length && full; i++) if (!spacelessUnits.has(i) && !set.has(i)) full = false;
    if (full) complete.push(key.split('\u0000') as [string, T]);
  }
  for (const lang of [session, 'en']) {
    const hit = complete.find(([l]) => l === lang);
    if (hit) return hit[1];
  }
  return complete[0]?.[1];
}

/**
 * wholeMessage of a short message of spaced words only (most): each (language, id) keeps the tokens
 * it covers as bits of a number, in the order first met, and no key string, set or map is made.
 */
function wholeSpacedMessage<T extends string>(
  kind: 'intent' | 'answer',
  tokens: readonly Token[],
  occurrences: readonly Occurrence[],
  session: string,
): T | undefined {
  const langs: string[] = [];
  const ids: string[] = [];
  const covered: number[] = [];
  for (const o of occurrences) {
    for (const t of o.targets) {
      if (t.kind !== kind) continue;
      let k = 0;
      while (k < langs.length && !(langs[k] === t.lang && ids[k] === t.id)) k++;
      if (k === langs.length) {
        langs.push(t.lang);
        ids.push(t.id);
        covered.push(0);
      }
      for (let i = o.from; i <= o.to; i++) covered[k] = covered[k]! | (1 << i);
    }
  }
  const all = (1 << tokens.length) - 1;
  for (const lang of [session, 'en']) for (let k = 0; k < langs.length; k++) if (covered[k] === all && langs[k] === lang) return ids[k] as T;
  for (let k = 0; k < langs.length; k++) if (covered[k] === all) return ids[k] as T;
  return undefined;
}

/** One concept found: the words as typed and the languages whose lists matched (also by number). */
interface ConceptRecord {
  words: string[];
  langs: string[];
  langIds: number[];
}

/** A matched range as the user typed it. */
function wordsOf(o: Occurrence, text: string, tokens: readonly Token[]): string {
  return o.range ? text.slice(o.range[0], o.range[1]) : text.slice(tokens[o.from]!.start, tokens[o.to]!.end);
}

/** Whose words count in a message: the session's, the message's, and English unless the message is plainly in another language. */
interface Speech {
  session: string;
  language: string | undefined;
  englishWords: boolean;
  /** `${language}-`: a regional variant's lists count too ("pt-BR" in a message guessed "pt"). */
  variantPrefix: string | undefined;
}

/** Whether a target counts: function-word concepts only in the languages the message is spoken in. */
function active(t: Target, o: Occurrence, speech: Speech): boolean {
  const { session, language } = speech;
  return (
    t.kind !== 'concept' ||
    !t.functionWord ||
    (!o.stream && o.to > o.from && (t.id === 'everyday' || t.id === 'hypothetical')) ||
    t.lang === session ||
    t.lang === language ||
    (t.lang === 'en' && speech.englishWords) ||
    (speech.variantPrefix !== undefined && t.lang.startsWith(speech.variantPrefix))
  );
}

/** Where negation words end, and the tokens inside concept phrases (a negation there is part of the phrase). */
interface Negations {
  /** By token: negationEnd, absorbedToken, pronounToken (bits). */
  flags: Uint8Array;
  /** Inside unspaced scripts: stream offsets where a negation ends (undefined: none). */
  streamEnds: Set<number> | undefined;
}
/** A negation word ends at this token. */
const negationEnd = 1;
/** The token is inside a concept phrase: a negation there is part of the phrase. */
const absorbedToken = 2;
/** The token is a one-word `self` concept ("me", "ma", "mi"): a negation reaches over one of them. */
const pronounToken = 4;

/**
 * A negation reaches over one pronoun of the writer between it and the sign ("nadie me amenaza",
 * "personne me menace", "nu mă amenință": no one threatens me); over nothing else.
 * A comma or full stop ends the negation's reach: "no one around, they give little water". In
 * Burmese the negation closes round its own verb (မ…ဘူး, မရှိ), so it never reaches into the next
 * spaced word ("နိုင်ငံသားလက်မှတ်မရှိ ရိုက်တယ်": no ID card, [they] beat [me]).
 */
function negatedBefore(o: Occurrence, negation: Negations, tokens: readonly Token[], tokenOf: readonly number[], text: string): boolean {
  return o.stream
    ? negation.streamEnds !== undefined &&
        negation.streamEnds.has(o.stream[0]) &&
        !(tokens[tokenOf[o.stream[0]]!]!.script === 'myanmar' && tokenOf[o.stream[0] - 1] !== tokenOf[o.stream[0]])
    : negatedAt(o.from - 1, o.from, negation, tokens, text) ||
        (o.from > 0 &&
          (negation.flags[o.from - 1]! & pronounToken) !== 0 &&
          !pause.test(text.slice(tokens[o.from - 1]!.end, tokens[o.from]!.start)) &&
          negatedAt(o.from - 2, o.from - 1, negation, tokens, text));
}

/** Whether a negation word ends at token `at`, right before token `next` with no pause between. */
function negatedAt(at: number, next: number, negation: Negations, tokens: readonly Token[], text: string): boolean {
  return at >= 0 && (negation.flags[at]! & (negationEnd | absorbedToken)) === negationEnd && !pause.test(text.slice(tokens[at]!.end, tokens[next]!.start));
}

/** Whether a negated phrase of concept `id` covers o. */
function cancelled(negatedSpans: Map<ConceptId, Occurrence[]> | undefined, o: Occurrence, id: ConceptId): boolean {
  const spans = negatedSpans?.get(id);
  if (!spans) return false;
  for (const n of spans)
    if (n.stream && o.stream ? n.stream[0] <= o.stream[0] && o.stream[1] <= n.stream[1] : !n.stream && !o.stream && n.from <= o.from && o.to <= n.to)
      return true;
  return false;
}

/** The language a concept is reported in: the session's, the message's, English, else the first that listed it. */
function prefer(langs: string[], { session, language }: Speech): string {
  return langs.includes(session) ? session : language && langs.includes(language) ? language : langs.includes('en') ? 'en' : langs[0]!;
}

/** Whether `prefix` is exactly the first `length` characters of `text`. */
function isPrefixOf(prefix: string, text: string, length: number): boolean {
  return prefix.length === length && text.startsWith(prefix);
}

/** Adds el to found unless it is there. */
function addNew(found: number[], el: number): void {
  if (!found.includes(el)) found.push(el);
}

/**
 * The first rule that holds names the emergency. `weak`: every rule that holds is weak and no
 * `never_overruled` set is present, so the example classifier may overrule it; `selfRule`: one of
 * them needs the writer themself (`self` in its `all`), so only a stricter score overrules it.
 */
function emergencyOf(
  rules: readonly EmergencyRule[],
  neverOverruled: readonly (readonly string[])[],
  present: Set<string>,
  conceptWords: Map<string, { words: string[] }>,
): { emergency: NonNullable<Reading['emergency']>; weak: boolean; selfRule: boolean } | undefined {
  const holds = (rule: EmergencyRule) =>
    (!rule.all || rule.all.every((id) => present.has(id))) &&
    (!rule.any || rule.any.some((id) => present.has(id))) &&
    !rule.unless?.some((id) => present.has(id));
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (!holds(rule)) continue;
    const ids = [...(rule.all ?? []), ...(rule.any ?? []).filter((id) => present.has(id))];
    const words = [...new Set(ids.flatMap((id) => conceptWords.get(id)?.words ?? []))];
    const emergency = { rule: rule.id, firstPerson: rule.first_person === true || present.has('self'), words };
    let weak = rule.weak === true && !neverOverruled.some((set) => set.every((id) => present.has(id)));
    let selfRule = rule.all?.includes('self') === true;
    for (let k = i + 1; weak && k < rules.length; k++) {
      const next = rules[k]!;
      if (!holds(next)) continue;
      if (next.weak !== true) weak = false;
      else if (next.all?.includes('self')) selfRule = true;
    }
    return { emergency, weak, selfRule };
  }
  return undefined;
}

const scriptLanguages: Record<string, string[]> = {
  khmer: ['km'],
  myanmar: ['my'],
  bengali: ['bn'],
  devanagari: ['hi', 'ne'],
  arabic: ['ar', 'ur'],
  cyrillic: ['ru', 'uk', 'sr'],
};

const ukrainianLetters = /[іїєґ]/;
const serbianLetters = /[ђћџљњј]/;
const russianLetters = /[ыэъ]/;
const urduLetters = /[ٹڈڑںےہ]/;
const [onlyUkrainian, onlySerbian, onlyRussian, onlyUrdu] = [['uk'], ['sr'], ['ru'], ['ur']];

/**
 * Matched words count most; the script decides between its languages and breaks ties. `score`: the
 * languages whose lists matched, in the order first seen, and their scores (added to here; few, so
 * two arrays searched in order rather than a map made per read).
 */
function guessLanguage(tokens: Token[], score: { langs: string[]; scores: number[] }, known: ReadonlySet<string>, session: string): string | undefined {
  const { langs, scores } = score;
  // Ties go to the session language, then English.
  const atSession = langs.indexOf(session);
  if (atSession >= 0) scores[atSession] = scores[atSession]! + 0.2;
  const atEnglish = langs.indexOf('en');
  if (atEnglish >= 0) scores[atEnglish] = scores[atEnglish]! + 0.1;
  for (const token of tokens) {
    const candidates = scriptLanguages[token.script];
    if (!candidates) continue;
    let pick = candidates;
    if (token.script === 'cyrillic') {
      if (ukrainianLetters.test(token.norm)) pick = onlyUkrainian;
      else if (serbianLetters.test(token.norm)) pick = onlySerbian;
      else if (russianLetters.test(token.norm)) pick = onlyRussian;
    } else if (token.script === 'arabic' && urduLetters.test(token.norm)) pick = onlyUrdu;
    for (const lang of pick) {
      const at = langs.indexOf(lang);
      if (at >= 0) scores[at] = scores[at]! + 0.5 / pick.length;
      else {
        langs.push(lang);
        scores.push(0.5 / pick.length);
      }
    }
  }
  let best: string | undefined;
  let bestScore = 0;
  for (let i = 0; i < langs.length; i++) {
    if (!known.has(langs[i]!)) continue;
    if (scores[i]! > bestScore) {
      best = langs[i];
      bestScore = scores[i]!;
    }
  }
  return best;
}

/**
 * A reply that says more than its answer: it starts with one ("yeah they took it the first day",
 * "not sure, the agent did everything", "لا والله"), or, when short, holds answer words of one kind
 * only ("pagei sim 800 reais"). Only the session's, the message's and English answer words count
 * (Arabic "la" is Spanish "the"), and a message asking something back is no answer.
 */
function answerWithMoreWords(text: string, tokens: Token[], occurrences: Occurrence[], session: string, language: string | undefined): AnswerId | undefined {
  if (tokens.length === 0 || questionMark.test(text)) return undefined;
  // A reply may open with a sound of thinking ("mmm no se", "ну... мабуть ні"): the answer starts after it.
  let start = 0;
  while (start < tokens.length - 1 && fillers.has(tokens[start]!.folded)) start++;
  let lead: { o: Occurrence; id: AnswerId; session: boolean } | undefined;
  // A reply in a language we could not tell ("thaha chaina agent sanga hola", "co, ho lay tu ngay dau"):
  // a leading answer of any language counts when it is a phrase of two words or more, or one word
  // closed by a comma, and every language that lists it there agrees on its kind.
  let foreign: { o: Occurrence; id: AnswerId | undefined } | undefined;
  const answers: { o: Occurrence; id: AnswerId }[] = [];
  for (const o of occurrences) {
    for (const t of o.targets) {
      if (t.kind !== 'answer') continue;
      if (!(t.lang === session || t.lang === language || t.lang === 'en' || (language !== undefined && t.lang.startsWith(`${language}-`)))) {
        if (o.stream || o.from !== start) continue;
        if (o.to === o.from && !(o.to + 1 < tokens.length && pause.test(text.slice(tokens[o.to]!.end, tokens[o.to + 1]!.start)))) continue;
        if (!foreign || size(o) > size(foreign.o)) foreign = { o, id: t.id };
        else if (size(o) === size(foreign.o) && foreign.id !== t.id) foreign.id = undefined;
        continue;
      }
      answers.push({ o, id: t.id });
      if (!(o.stream ? o.stream[0] === 0 : o.from === start)) continue;
      const better = !lead || size(o) > size(lead.o) || (size(o) === size(lead.o) && t.lang === session && !lead.session);
      if (better) lead = { o, id: t.id, session: t.lang === session };
    }
  }
  // Khmer writes no space between words: a leading "yes" must end at a space (ចា is also the start
  // of ចាប់, catch), while a leading negation (អត់, មិន) begins no other word.
  // In a longer message, a leading word that opens a "cannot" phrase is no answer: "gak bisa nulis panjang,
  // mereka di sini" (cannot write much, they are here); a short reply still is ("неа отдали обратно").
  const long = tokens.length > maxShortAnswerTokens;
  if (lead && long && !lead.o.stream && opensSign(lead.o, occurrences)) return undefined;
  if (lead && (!lead.o.stream || lead.o.wordEnd || lead.id !== 'yes')) return lead.id;
  if (!lead && foreign?.id !== undefined && !(long && opensSign(foreign.o, occurrences))) return foreign.id;
  if (tokens.length > maxShortAnswerTokens) return undefined;
  // The answer words not inside a longer answer ("not sure" holds "not"); one letter ("s", "n") is too little.
  const kinds = new Set<AnswerId>();
  for (const a of answers) {
    if (a.o.stream || (a.o.from === a.o.to && [...tokens[a.o.from]!.folded].length < 2)) continue;
    if (answers.some((b) => b.o !== a.o && !b.o.stream && b.o.from <= a.o.from && a.o.to <= b.o.to)) continue;
    kinds.add(a.id);
  }
  return kinds.size === 1 ? [...kinds][0] : undefined;
}

/**
 * Whether a `cannot` phrase starts where `o` starts and goes on past it ("gak bisa": not + can). Only
 * `cannot`: "no pagué nada" (no, I paid nothing) opens an `unpaid` phrase and still answers no.
 */
function opensSign(o: Occurrence, occurrences: readonly Occurrence[]): boolean {
  return occurrences.some((c) => !c.stream && c.from === o.from && c.to > o.to && c.targets.some((t) => t.kind === 'concept' && t.id === 'cannot'));
}

/** An occurrence's length: tokens, or code units inside unspaced scripts. */
function size(o: Occurrence): number {
  return o.stream ? o.stream[1] - o.stream[0] : o.to - o.from + 1;
}

/**
 * Phrases as ranges, asked in constant time whether they cover an occurrence: for each position, the
 * furthest end of a phrase starting at or before it, and strictly before it. Built in time linear in
 * the message, so a long message of many phrases stays linear.
 */
class Spans {
  private readonly tokenAt: Int32Array;
  private readonly tokenBefore: Int32Array;
  private readonly streamAt: Int32Array | undefined;
  private readonly streamBefore: Int32Array | undefined;

  constructor(spans: readonly Occurrence[], tokenCount: number, streamLength: number) {
    this.tokenAt = new Int32Array(tokenCount).fill(-1);
    this.tokenBefore = new Int32Array(tokenCount).fill(-1);
    const streamed = spans.some((n) => n.stream);
    this.streamAt = streamed ? new Int32Array(streamLength).fill(-1) : undefined;
    this.streamBefore = streamed ? new Int32Array(streamLength).fill(-1) : undefined;
    for (const n of spans) {
      if (n.stream) this.streamAt![n.stream[0]] = Math.max(this.streamAt![n.stream[0]]!, n.stream[1]);
      else this.tokenAt[n.from] = Math.max(this.tokenAt[n.from]!, n.to);
    }
    prefixMax(this.tokenAt, this.tokenBefore);
    if (this.streamAt) prefixMax(this.streamAt, this.streamBefore!);
  }

  /** Whether a phrase covers o (a longer one, when `longer`: "not sure" covers "not", not itself). */
  covers(o: Occurrence, longer: boolean): boolean {
    const [at, before, from, to] = o.stream ? [this.streamAt, this.streamBefore, o.stream[0], o.stream[1]] : [this.tokenAt, this.tokenBefore, o.from, o.to];
    if (!at || !before) return false;
    return longer ? at[from]! > to || before[from]! >= to : at[from]! >= to;
  }
}

/** at[i] becomes the largest of at[0..i]; before[i] the largest of at[0..i-1]. */
function prefixMax(at: Int32Array, before: Int32Array): void {
  let best = -1;
  for (let i = 0; i < at.length; i++) {
    before[i] = best;
    best = Math.max(best, at[i]!);
    at[i] = best;
  }
}

/** The number typed as token i when it is a plausible child's age (1 to 17). */
function youngToken(tokens: readonly Token[], i: number): string | undefined {
  const token = tokens[i];
  return token && token.script === 'digits' && isYoung(token.folded) ? token.folded : undefined;
}

/** The same inside unspaced scripts, where the number may be written against the word (អាយុ១៤). */
function youngInStream(tokens: readonly Token[], stream: string, tokenOf: readonly number[], [start, end]: [number, number]): string | undefined {
  let after = end;
  while (after < stream.length && isDigit(stream.charCodeAt(after))) after++;
  if (after > end) return isYoung(stream.slice(end, after)) ? stream.slice(end, after) : undefined;
  let before = start;
  while (before > 0 && isDigit(stream.charCodeAt(before - 1))) before--;
  if (before < start) return isYoung(stream.slice(before, start)) ? stream.slice(before, start) : undefined;
  // A number typed apart ("អាយុ 14") is its own token, a placeholder in the stream.
  if (end < stream.length && stream[end] === '\u0000') return youngToken(tokens, tokenOf[end]!);
  if (start > 0 && stream[start - 1] === '\u0000') return youngToken(tokens, tokenOf[start - 1]!);
  return undefined;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
/** A number a child's age may be: 1 to 17, written without leading zeros. */
const isYoung = (digits: string) => /^(?:[1-9]|1[0-7])$/.test(digits);

/** Every string with one character removed. */
/**
 * An Arabic word without the one-letter words written against it: "and" or "so" (و, ف) and a
 * preposition before the article (ب, ك, ل + ال: بالرياض -> الرياض; ل + ال is written لل: للسعودية ->
 * السعودية). و alone is dropped before any word (وبيضربنا -> بيضربنا); ف only before the article, as
 * it starts many words (فلوس, money). Undefined when there is nothing to drop.
 */
function withoutArabicClitics(word: string): string | undefined {
  let i = word[0] === 'و' || (word[0] === 'ف' && word.length > 4) ? 1 : 0;
  const c = word[i];
  if ((c === 'ب' || c === 'ك' || c === 'ل') && word.startsWith('ال', i + 1) && word.length - i > 4) i++;
  else if (c === 'ل' && word[i + 1] === 'ل' && word.length - i > 4) return 'ا' + word.slice(i + 1);
  if (i === 0 || (word[0] === 'ف' && !word.startsWith('ال', i))) return undefined;
  return word.slice(i);
}

function deletions(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) out.push(s.slice(0, i) + s.slice(i + 1));
  return out;
}

/** One substitution, insertion, deletion or swap of neighbours at most. */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
