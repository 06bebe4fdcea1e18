/**
 * Emergencies by example: a classifier trained on flows/understanding/examples (classifier.ts) and
 * the gate that says when its score counts. It only adds an emergency where the rules found none,
 * and never for a short message or one that reads as an answer, a command or a place on its own:
 * "No" to a screening question, "Main menu" or "Dubai" must stay what they are.
 */
import { classifierFromData, trainClassifier, type ClassifierData, type ClassifierOptions, type LabelledText } from './classifier.js';
import { tokenize, type Token } from './normalise.js';
import type { ExampleFile, WordListFile } from './schema.js';

/** The concept id (and emergency rule id) a reading reports when the examples decided. */
export const EXAMPLES_ID = 'like_emergency_examples';

/** How the classifier is built and when its score counts. */
export interface ExampleSettings {
  classifier: Partial<ClassifierOptions>;
  /** Also learn from the word lists' phrases (pleas and trouble phrases as emergencies, everyday phrases as ordinary). */
  wordLists: boolean;
  /** Messages of fewer words than this are never judged by example (see messageWords). */
  minWords: number;
  /** Score from which a message counts as an emergency. */
  threshold: number;
  /**
   * The ordinary veto: a weak rule hit (rules.yaml `weak`, no `never_overruled` set) is overruled when the
   * message has at least `minWords` words, passes the same gate, and scores below `below`; below
   * `belowSelf` when a rule that holds needs the writer themself (`self` in its `all`).
   */
  veto: { minWords: number; below: number; belowSelf: number };
}

/**
 * Chosen by leave-one-round-out cross-validation over evaluation rounds a, b, c and d, for the
 * rules OR this, by a rule fixed before the run (scripts/experiments/classifier-gate.ts; figures
 * in scripts/experiments/README.md): pooled held-out emergency 0.99, false alarms 0.08.
 */
export const exampleSettings: ExampleSettings = {
  classifier: { model: 'nb', ngrams: [2, 4] },
  wordLists: false,
  minWords: 4,
  threshold: 0.93,
  // Chosen by leave-one-round-out over rounds b-f read by the rules of their first run (scripts/experiments/veto.ts
  // --plea-never --self-below, README "Ordinary veto"): held-out false alarms 0.20 -> 0.16, emergencies 2948 -> 2947 of 3205.
  veto: { minWords: 6, below: 0.3, belowSelf: 0.05 },
};

/** A message of this many tokens or fewer that names a place is a place answer ("I'm in Dubai now"), as the engine reads it. */
const BARE_PLACE_TOKENS = 5;
/** Letters per word in scripts written without spaces (Khmer, Burmese), to count their words. */
const LETTERS_PER_WORD = 2;

/**
 * How many words a message has. Numbers are not words: a phone number or a date typed alone
 * ("+971 50 123 4567") is never judged by example. Khmer and Burmese are written without spaces between words, so
 * their runs count one word per two letters that are neither stacked under another (Khmer coeng,
 * Burmese virama) nor silenced (Burmese asat): "ជួយខ្ញុំផង" (help me please) has ជ យ ខ ផ ង, 3 words.
 */
export function messageWords(tokens: readonly Token[]): number {
  let words = 0;
  for (const token of tokens) {
    if (token.script === 'digits') continue;
    if (token.script !== 'khmer' && token.script !== 'myanmar') {
      words++;
      continue;
    }
    let letters = 0;
    const s = token.norm;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const previous = i > 0 ? s.charCodeAt(i - 1) : 0;
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (token.script === 'khmer') {
        if (c >= 0x1780 && c <= 0x17b3 && previous !== 0x17d2) letters++; // not after the coeng (a stacked consonant)
      } else if (c >= 0x1000 && c <= 0x102a && previous !== 0x1039 && next !== 0x103a) letters++; // not stacked, not silenced by asat
    }
    words += Math.max(1, Math.ceil(letters / LETTERS_PER_WORD));
  }
  return words;
}

/** What the gate looks at in a reading. */
export interface GateInput {
  tokens: number;
  intent?: string;
  answer?: string;
  places: readonly unknown[];
}

/** Whether the classifier may judge this message at all. */
export function gateAllows(tokens: readonly Token[], reading: GateInput, minWords: number): boolean {
  if (reading.intent || reading.answer) return false;
  if (reading.places.length > 0 && reading.tokens <= BARE_PLACE_TOKENS) return false;
  return messageWords(tokens) >= minWords;
}

/** Concepts whose phrases (two words or more, or any entry in an unspaced script) are emergencies as examples. */
const troubleConcepts = ['danger', 'confinement', 'trafficked', 'violence', 'threat'] as const;

/** The example messages, plus the word lists' phrases when `wordLists`: what the classifier learns from. */
export function trainingExamples(examples: readonly ExampleFile[], files: readonly WordListFile[], wordLists: boolean): LabelledText[] {
  const out: LabelledText[] = [];
  for (const file of examples) {
    for (const e of file.emergency ?? []) out.push({ text: e.text, emergency: true });
    for (const e of file.ordinary ?? []) out.push({ text: e.text, emergency: false });
  }
  if (!wordLists) return out;
  const clean = (entry: string) => entry.replace(/\*$/, '');
  // One listed word of trouble ("took", "hit") is no emergency by itself; a phrase ("took my passport") is.
  const phrase = (entry: string) => {
    const tokens = tokenize(entry).tokens;
    return tokens.length >= 2 || tokens.some((t) => t.script === 'khmer' || t.script === 'myanmar');
  };
  for (const file of files) {
    const c = file.concepts;
    for (const id of ['sos', 'help_plea'] as const) for (const e of c[id] ?? []) out.push({ text: clean(e), emergency: true });
    for (const id of troubleConcepts) for (const e of c[id] ?? []) if (phrase(e)) out.push({ text: clean(e), emergency: true });
    for (const e of c.everyday ?? []) out.push({ text: clean(e), emergency: false });
  }
  return out;
}

/** The trained classifier and its settings as plain data (typed arrays): the content cache keeps it, so a start need not train. */
export interface ExampleModel {
  settings: ExampleSettings;
  classifier: ClassifierData;
}

/**
 * Trains the classifier on the example messages (and the word lists' phrases when the settings say
 * so). Undefined without example messages of both kinds: the word lists alone train nothing.
 */
export function trainExampleModel(examples: readonly ExampleFile[], files: readonly WordListFile[], settings = exampleSettings): ExampleModel | undefined {
  if (!examples.some((f) => f.emergency?.length) || !examples.some((f) => f.ordinary?.length)) return undefined;
  const classifier = trainClassifier(trainingExamples(examples, files, settings.wordLists), settings.classifier);
  return { settings, classifier: classifier.toData() };
}

/** Judges one message the rules did not find an emergency in. */
export interface ExampleJudge {
  /**
   * The score and the words (as typed) that weighed most, when the gate lets the message through
   * and the score reaches the threshold; `count` gets the steps spent (features read).
   */
  judge(text: string, tokens: readonly Token[], reading: GateInput, count: (n: number) => void): { score: number; words: string[] } | undefined;
  /**
   * The score when the message is sure to be ordinary (the veto of a weak rule hit: gate, `veto.minWords`,
   * score < `veto.below`, or < `veto.belowSelf` when `self` is set: a rule that holds needs the writer themself).
   */
  overrules(tokens: readonly Token[], reading: GateInput, self: boolean, count: (n: number) => void): number | undefined;
}

/** The judge of a trained model. */
export function createExampleJudge(model: ExampleModel): ExampleJudge {
  const classifier = classifierFromData(model.classifier);
  const { minWords, threshold } = model.settings;
  // A model cached before the veto existed has no veto settings: it overrules nothing.
  const veto = model.settings.veto as ExampleSettings['veto'] | undefined;
  return {
    overrules(tokens, reading, self, count) {
      if (!veto || !gateAllows(tokens, reading, veto.minWords)) return undefined;
      const score = classifier.scoreTokens(tokens, count);
      return score < (self ? veto.belowSelf : veto.below) ? score : undefined;
    },
    judge(text, tokens, reading, count) {
      if (!gateAllows(tokens, reading, minWords)) return undefined;
      const score = classifier.scoreTokens(tokens, count);
      if (score < threshold) return undefined;
      // The three strongest distinct words, as typed.
      const seen = new Set<string>();
      const words: string[] = [];
      for (const t of classifier.strongestTokens(tokens, 12)) {
        if (words.length === 3 || seen.has(tokens[t]!.folded)) continue;
        seen.add(tokens[t]!.folded);
        words.push(text.slice(tokens[t]!.start, tokens[t]!.end));
      }
      return { score, words };
    },
  };
}
