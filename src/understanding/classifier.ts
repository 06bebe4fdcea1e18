/**
 * A small linear text classifier: "is this message an emergency?" learned from example messages
 * (flows/understanding/examples; emergency-examples.ts decides when its score counts). Features are
 * language-independent: character n-grams of each normalised word (with word-boundary marks;
 * Cyrillic words also through their Latin spelling), whole words, word pairs and a length bucket,
 * hashed into a fixed table of weights. Synchronous, no I/O, linear in the input: a read hashes
 * each character a bounded number of times and adds one weight per feature.
 */
import { maxTokenLength, tokenize, type Token } from './normalise.js';

/** How the classifier is built. */
export interface ClassifierOptions {
  /** `lr`: logistic regression (AdaGrad); `nb`: naive-Bayes log-count ratios. */
  model: 'lr' | 'nb';
  /** Shortest and longest character n-gram inside a word (the word is wrapped in `<` `>`). */
  ngrams: readonly [number, number];
  /** The weight table has 2^bits buckets. */
  bits: number;
  /** lr: passes over the examples. */
  epochs: number;
  /** lr: AdaGrad step size. */
  learningRate: number;
  /** lr: L2 penalty per update. */
  l2: number;
  /** nb: additive smoothing of the counts. */
  smoothing: number;
  /** Seed of the example order (lr), so a build is reproducible. */
  seed: number;
  /** Also each pair of words one word apart ("took _ passport"), so a word in between does not hide a pair. */
  pairsAcross?: boolean;
}

/** Defaults used when an option is not given. */
export const defaultClassifierOptions: ClassifierOptions = {
  model: 'lr',
  ngrams: [2, 4],
  bits: 18,
  epochs: 12,
  learningRate: 0.3,
  l2: 1e-6,
  smoothing: 0.5,
  seed: 1,
};

/** One training message. */
export interface LabelledText {
  text: string;
  emergency: boolean;
}

/** A feature that fired, with the weight it added to the score (before the sigmoid). */
export interface FiredFeature {
  feature: string;
  contribution: number;
}

/** A trained classifier. */
export interface TextClassifier {
  readonly options: ClassifierOptions;
  /** Probability-like score in (0, 1); the caller compares it with a threshold. */
  score(text: string): number;
  /** The same for text already tokenised (the understanding module tokenises once); `count` gets the features read. */
  scoreTokens(tokens: readonly Token[], count?: (features: number) => void): number;
  /** Indexes of the tokens whose features pushed the score up most, strongest first (at most `top`). */
  strongestTokens(tokens: readonly Token[], top: number): number[];
  /** The score and the features that pushed it up most (and down most). */
  explain(text: string, top?: number): { score: number; up: FiredFeature[]; down: FiredFeature[] };
  /** Plain data (non-zero weights), enough to rebuild it with `classifierFromData`. */
  toData(): ClassifierData;
}

/** A classifier as plain data: typed arrays, which v8 serialisation (the content cache) keeps compactly. */
export interface ClassifierData {
  options: ClassifierOptions;
  bias: number;
  /** Bucket indexes of the non-zero weights. */
  buckets: Int32Array;
  /** Their weights, in the same order. */
  weights: Float32Array;
}

// Feature kinds hash from different seeds, so "ab" the n-gram and "ab" the word differ.
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SEED_NGRAM = fnvStep(FNV_OFFSET, 1);
const SEED_WORD = fnvStep(FNV_OFFSET, 2);
const SEED_PAIR = fnvStep(FNV_OFFSET, 3);
const SEED_LENGTH = fnvStep(FNV_OFFSET, 4);
const SEED_PAIR_ACROSS = fnvStep(FNV_OFFSET, 5);
const WORD_START = 0x3c; // '<'
const WORD_END = 0x3e; // '>'

function fnvStep(h: number, c: number): number {
  return Math.imul(h ^ c, FNV_PRIME);
}

function fnvString(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = fnvStep(h, s.charCodeAt(i));
  return h;
}

/** Token counts 1, 2, 3–5, 6–10, 11–20, 21–40, more. */
function lengthBucket(tokens: number): number {
  return tokens <= 2 ? tokens : tokens <= 5 ? 3 : tokens <= 10 ? 4 : tokens <= 20 ? 5 : tokens <= 40 ? 6 : 7;
}

/**
 * Bucket indexes of one message's features, written into a buffer reused between reads (reads
 * are synchronous), so a read allocates nothing per feature.
 */
let buffer = new Int32Array(4096);
/** One word wrapped in `<` `>`, as character codes (a Cyrillic word's Latin spelling can be 3x longer). */
const wordCodes = new Uint16Array(3 * maxTokenLength + 2);

/** Bucket of a hash: the high bits mixed into the low ones first. */
const bucketOf = (h: number, mask: number) => (h ^ (h >>> 15)) & mask;

/** Character n-grams of `<word>`, digits read as 0 (a number's shape, not its value); returns the new count. */
function addNgrams(word: string, min: number, max: number, mask: number, out: Int32Array, n: number, names?: string[]): number {
  const length = word.length + 2;
  const c = length <= wordCodes.length ? wordCodes : new Uint16Array(length);
  c[0] = WORD_START;
  c[length - 1] = WORD_END;
  for (let i = 0; i < word.length; i++) {
    const x = word.charCodeAt(i);
    c[i + 1] = x >= 0x30 && x <= 0x39 ? 0x30 : x;
  }
  for (let i = 0; i < length; i++) {
    let h = SEED_NGRAM;
    const end = Math.min(length, i + max);
    for (let j = i; j < end; j++) {
      h = Math.imul(h ^ c[j]!, FNV_PRIME);
      if (j - i + 1 < min) continue;
      out[n++] = bucketOf(h, mask);
      if (names) names.push(String.fromCharCode(...c.subarray(i, j + 1)));
    }
  }
  return n;
}

/**
 * Writes every feature of a tokenised message into `buffer` and returns how many; with `names`,
 * also each feature's readable name, and with `owners` the index of the token it came from (for
 * explaining). Linear: each character starts at most `max` n-grams, and each word is hashed a
 * bounded number of times.
 */
function collect(tokens: readonly Token[], options: ClassifierOptions, names?: string[], owners?: number[]): number {
  const [min, max] = options.ngrams;
  const mask = (1 << options.bits) - 1;
  const span = max - min + 1;
  let bound = 2 + tokens.length;
  for (const t of tokens) bound += (t.folded.length + 2) * span + (t.latin ? (t.latin.length + 2) * span : 0) + 2;
  if (bound > buffer.length) buffer = new Int32Array(Math.max(bound, 2 * buffer.length));
  const out = buffer;
  let n = 0;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    const word = token.folded;
    const first = n;
    n = addNgrams(word, min, max, mask, out, n, names);
    if (token.latin && token.latin !== word) n = addNgrams(token.latin, min, max, mask, out, n, names);
    out[n++] = bucketOf(fnvString(SEED_WORD, word), mask);
    if (names) names.push(`word:${word}`);
    if (t > 0) {
      const previous = tokens[t - 1]!.folded;
      out[n++] = bucketOf(fnvString(fnvStep(fnvString(SEED_PAIR, previous), 0x20), word), mask);
      if (names) names.push(`pair:${previous} ${word}`);
    }
    if (owners) for (let k = first; k < n; k++) owners[k] = t;
  }
  out[n++] = bucketOf(fnvStep(SEED_LENGTH, lengthBucket(tokens.length)), mask);
  if (names) names.push(`length:${lengthBucket(tokens.length)}`);
  return options.pairsAcross ? addPairsAcross(tokens, mask, out, n, names, owners) : n;
}

/** Pairs of words one word apart (option `pairsAcross`), after the other features; its own loop keeps `collect` as fast without it. */
function addPairsAcross(tokens: readonly Token[], mask: number, out: Int32Array, n: number, names?: string[], owners?: number[]): number {
  for (let t = 2; t < tokens.length; t++) {
    const before = tokens[t - 2]!.folded;
    const word = tokens[t]!.folded;
    if (owners) owners[n] = t;
    out[n++] = bucketOf(fnvString(fnvStep(fnvString(SEED_PAIR_ACROSS, before), 0x20), word), mask);
    if (names) names.push(`across:${before} _ ${word}`);
  }
  return n;
}

/** A message's features as bucket indexes, and the value of each (1 / sqrt(count)). */
interface Encoded {
  buckets: Int32Array;
  value: number;
}

function encode(tokens: readonly Token[], options: ClassifierOptions): Encoded {
  const n = collect(tokens, options);
  return { buckets: buffer.slice(0, n), value: 1 / Math.sqrt(n) };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** A small seeded generator (mulberry32), for a reproducible example order. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function trainLogistic(data: Encoded[], labels: boolean[], options: ClassifierOptions, weights: Float32Array): number {
  const squares = new Float32Array(weights.length);
  let bias = 0;
  let biasSquares = 0;
  const positives = labels.filter(Boolean).length;
  const negatives = labels.length - positives;
  // Each class weighs as much as the other, whatever their sizes.
  const weightOf = (y: boolean) => labels.length / (2 * Math.max(1, y ? positives : negatives));
  const order = data.map((_, i) => i);
  const next = random(options.seed);
  const { learningRate, l2 } = options;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const k of order) {
      const { buckets, value } = data[k]!;
      const y = labels[k]!;
      let z = bias;
      for (let f = 0; f < buckets.length; f++) z += weights[buckets[f]!]! * value;
      const g = (sigmoid(z) - (y ? 1 : 0)) * weightOf(y);
      for (let f = 0; f < buckets.length; f++) {
        const b = buckets[f]!;
        const gi = g * value + l2 * weights[b]!;
        squares[b] = squares[b]! + gi * gi;
        weights[b] = weights[b]! - (learningRate * gi) / Math.sqrt(squares[b]! + 1e-8);
      }
      biasSquares += g * g;
      bias -= (learningRate * g) / Math.sqrt(biasSquares + 1e-8);
    }
  }
  return bias;
}

function trainNaiveBayes(data: Encoded[], labels: boolean[], options: ClassifierOptions, weights: Float32Array): number {
  // Counts of messages holding each feature (each counted once per message), per class.
  const pos = new Float32Array(weights.length);
  const neg = new Float32Array(weights.length);
  const seen = new Int32Array(weights.length).fill(-1);
  data.forEach(({ buckets }, k) => {
    const counts = labels[k] ? pos : neg;
    for (let f = 0; f < buckets.length; f++) {
      const b = buckets[f]!;
      if (seen[b] === k) continue;
      seen[b] = k;
      counts[b] = counts[b]! + 1;
    }
  });
  let posTotal = 0;
  let negTotal = 0;
  let used = 0;
  for (let b = 0; b < weights.length; b++) {
    posTotal += pos[b]!;
    negTotal += neg[b]!;
    if (pos[b]! + neg[b]! > 0) used++;
  }
  const a = options.smoothing;
  for (let b = 0; b < weights.length; b++) {
    if (pos[b]! + neg[b]! === 0) continue; // an unseen feature says nothing
    weights[b] = Math.log((pos[b]! + a) / (posTotal + a * used)) - Math.log((neg[b]! + a) / (negTotal + a * used));
  }
  // Centre the scores of the training messages on 0 so one threshold scale fits both models.
  const scores = data.map(({ buckets, value }) => {
    let z = 0;
    for (let f = 0; f < buckets.length; f++) z += weights[buckets[f]!]! * value;
    return z;
  });
  const mean = (y: boolean) => {
    const s = scores.filter((_, k) => labels[k] === y);
    return s.reduce((x, v) => x + v, 0) / Math.max(1, s.length);
  };
  return -(mean(true) + mean(false)) / 2;
}

function build(options: ClassifierOptions, weights: Float32Array, bias: number): TextClassifier {
  const scoreTokens = (tokens: readonly Token[], count?: (features: number) => void) => {
    const n = collect(tokens, options);
    count?.(n);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += weights[buffer[i]!]!;
    return sigmoid(bias + sum / Math.sqrt(n));
  };
  return {
    options,
    scoreTokens,
    strongestTokens(tokens, top) {
      const owners: number[] = [];
      const n = collect(tokens, options, undefined, owners);
      const byToken = new Float64Array(tokens.length);
      for (let i = 0; i < n; i++) if (owners[i] !== undefined) byToken[owners[i]!] = byToken[owners[i]!]! + weights[buffer[i]!]!;
      return [...byToken.keys()]
        .filter((t) => byToken[t]! > 0)
        .sort((x, y) => byToken[y]! - byToken[x]! || x - y)
        .slice(0, top);
    },
    score: (text) => scoreTokens(tokenize(text).tokens),
    explain(text, top = 8) {
      const tokens = tokenize(text).tokens;
      const names: string[] = [];
      const n = collect(tokens, options, names);
      const byName = new Map<string, number>();
      for (let i = 0; i < n; i++) byName.set(names[i]!, (byName.get(names[i]!) ?? 0) + weights[buffer[i]!]! / Math.sqrt(n));
      const fired = [...byName].map(([feature, contribution]) => ({ feature, contribution })).filter((f) => f.contribution !== 0);
      fired.sort((x, y) => y.contribution - x.contribution);
      return {
        score: scoreTokens(tokens),
        up: fired.slice(0, top).filter((f) => f.contribution > 0),
        down: fired
          .slice(-top)
          .reverse()
          .filter((f) => f.contribution < 0),
      };
    },
    toData() {
      let n = 0;
      for (let b = 0; b < weights.length; b++) if (weights[b] !== 0) n++;
      const buckets = new Int32Array(n);
      const values = new Float32Array(n);
      for (let b = 0, k = 0; b < weights.length; b++) {
        if (weights[b] === 0) continue;
        buckets[k] = b;
        values[k++] = weights[b]!;
      }
      return { options, bias, buckets, weights: values };
    },
  };
}

/** Trains a classifier on example messages (emergency = positive). Deterministic for given options. */
export function trainClassifier(examples: readonly LabelledText[], options: Partial<ClassifierOptions> = {}): TextClassifier {
  const o: ClassifierOptions = { ...defaultClassifierOptions, ...options };
  if (!examples.some((e) => e.emergency) || !examples.some((e) => !e.emergency))
    throw new Error('trainClassifier needs examples of both kinds: some emergencies and some ordinary messages.');
  const data = examples.map((e) => encode(tokenize(e.text).tokens, o));
  const labels = examples.map((e) => e.emergency);
  const weights = new Float32Array(1 << o.bits);
  const bias = o.model === 'lr' ? trainLogistic(data, labels, o, weights) : trainNaiveBayes(data, labels, o, weights);
  return build(o, weights, bias);
}

/** Rebuilds a classifier saved with `toData()`. */
export function classifierFromData(data: ClassifierData): TextClassifier {
  const weights = new Float32Array(1 << data.options.bits);
  for (let i = 0; i < data.buckets.length; i++) weights[data.buckets[i]!] = data.weights[i]!;
  return build(data.options, weights, data.bias);
}
