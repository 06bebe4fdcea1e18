/**
 * Reads an ad into concept occurrences, in time linear in its length: the understanding module's
 * tokens (offsets kept), currency signs and `@` as items of their own, sentence and clause numbers
 * from the gaps between items, the words of the common file and of one language file, and the
 * concepts computed from the text itself (numbers, money, phone numbers, e-mail, websites).
 * No regular expression ever runs over the ad.
 */
import { tokenize, type Script } from '../understanding/index.js';
import { stemOf } from './ad-stems.js';
import type { CompiledAdConcepts, CompiledWordSet } from './compile-ad-concepts.js';

/** A word of the ad, or a sign such as € or @. */
interface Item {
  start: number;
  end: number;
  script: Script | 'sign';
  norm: string;
  folded: string;
}

/** One concept found: items [first, last] and the characters [start, end) of the original text. */
export interface Occurrence {
  concept: number;
  first: number;
  last: number;
  start: number;
  end: number;
}

/** What the signals are matched on. */
export interface AdReading {
  items: number;
  sentence: Int32Array;
  clause: Int32Array;
  /** Occurrences by the item they end on. */
  byLast: Occurrence[][];
  /** The number of the `negation` concept. */
  negationConcept: number;
  /** The number of the `list_join` concept ("or", "ni", "nor"): what makes a denied list a list. */
  listJoinConcept: number;
  /** The number of the `negation_after` concept: a negation that follows what it denies (Hindi "नहीं", Hinglish "nahi"). */
  negationAfterConcept: number;
  /** The first item of the first `warning` phrase ("say no if they ask you to:"), or the number of items when there is none. */
  warnedFrom: number;
  /** Concepts found anywhere in the ad. */
  present: Set<number>;
  /** Steps taken (for the linear-work test). */
  work: number;
}

const SIGNS = new Set(['$', '€', '£', '₹', '₽', '₴', '₱', '៛', '¥', '₺', '₦', '฿', '@', '﷼']);
const SENTENCE_ENDS = new Set(['!', '?', ';', '\n', '।', '॥', '។', '៕', '؟', '\u2029']);
const CLAUSE_ENDS = new Set([',', ':', '(', ')', '–', '—', '،', '|', '/', '•', '"', '«', '»', '“', '”']);
/** Words that multiply the number before them ("3 mil reais", "4-5 тыс евро"): the money runs on to the currency after them. */
const MULTIPLIERS = new Set([
  'k',
  'mil',
  'mii',
  'mille',
  'thousand',
  'тыс',
  'тысяч',
  'тис',
  'тисяч',
  'hiljada',
  'hiljade',
  'lakh',
  'हजार',
  'الف',
  'ألف',
  'libo',
]);
const NUMBER_JOINS = new Set([' ', '.', ',', "'", '-', '/', '(', ')', '\u00a0']);
const TLDS = new Set(
  'com org net info biz eu ro md ua ru rs ph in kh br es fr pt de uk co io pl cz ae sa qa jobs gov edu ca au nz it nl be at ch se no dk fi ie hu bg gr tr sk si hr ba me mk al lt lv ee by kz'.split(
    ' ',
  ),
);
/** Serbian Cyrillic read the way Serbian Latin is normalised (š -> s, č -> c, ž -> z), so one list serves both alphabets. */
const SERBIAN_LATIN: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  ђ: 'dj',
  е: 'e',
  ж: 'z',
  з: 'z',
  и: 'i',
  ј: 'j',
  к: 'k',
  л: 'l',
  љ: 'lj',
  м: 'm',
  н: 'n',
  њ: 'nj',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  ћ: 'c',
  у: 'u',
  ф: 'f',
  х: 'h',
  ц: 'c',
  ч: 'c',
  џ: 'dz',
  ш: 's',
};

/**
 * The tokenizer reads `@` inside a word as the letter a ("p@ssport"), so "jobs@agency.com" is one
 * token. A token with `@` inside and a domain after it (a dot follows) is split at the sign, so the
 * e-mail address is read as one: the part before, the sign (added from the text), the part after.
 */
function splitAtEmailSigns(text: string, tokens: readonly Item[]): { tokens: Item[]; work: number } {
  const out: Item[] = [];
  let work = tokens.length;
  for (const token of tokens) {
    const at = text.indexOf('@', token.start);
    const domainFollows =
      at > token.start &&
      at < token.end - 1 &&
      (text.slice(at + 1, token.end).includes('.') || (text[token.end] === '.' && /\p{L}/u.test(text[token.end + 1] ?? '')));
    if (!domainFollows) {
      out.push(token);
      continue;
    }
    for (const [from, to] of [
      [token.start, at],
      [at + 1, token.end],
    ] as const) {
      const part = tokenize(text.slice(from, to)).tokens;
      work += part.length;
      for (const piece of part) out.push({ ...piece, start: piece.start + from, end: piece.end + from });
    }
  }
  return { tokens: out, work };
}

/** Free mail services: an address there names no company ("jobs.poland@gmail.com"). */
const FREE_MAIL = new Set([
  'gmail',
  'googlemail',
  'yahoo',
  'ymail',
  'hotmail',
  'outlook',
  'live',
  'msn',
  'aol',
  'icloud',
  'mail',
  'yandex',
  'ukr',
  'proton',
  'protonmail',
  'gmx',
  'rediffmail',
  'inbox',
  'bk',
  'list',
  'rambler',
]);

/**
 * Whether "name.tld" ending at item `k` belongs to an e-mail address and names no website: a part
 * before the sign ("kuwait.transport.jobs@...", "deployment.ph@...") or a free mail service after it
 * ("...@gmail.com", "...@mail.ru"). A company's own domain after the sign ("hr@farm.ca") is its website.
 */
function inEmailAddress(items: readonly Item[], gap: Int32Array, k: number): boolean {
  if (k + 1 < items.length && items[k + 1]!.norm === '@' && gap[k + 1] === 0) return true;
  return k >= 2 && items[k - 2]!.norm === '@' && gap[k - 1] === 0 && FREE_MAIL.has(items[k - 1]!.folded);
}

/** Splits the ad into items: tokens and signs, in text order (one pass over each). */
function itemsOf(text: string): { items: Item[]; work: number } {
  const { tokens, work } = splitAtEmailSigns(text, tokenize(text).tokens);
  const items: Item[] = [];
  let t = 0;
  let steps = work;
  for (let i = 0; i < text.length; i++) {
    steps++;
    const ch = text[i]!;
    if (!SIGNS.has(ch)) continue;
    while (t < tokens.length && tokens[t]!.start < i) items.push(tokens[t++]!);
    items.push({ start: i, end: i + 1, script: 'sign', norm: ch, folded: ch });
  }
  while (t < tokens.length) items.push(tokens[t++]!);
  return { items, work: steps };
}

const APOSTROPHES = new Set(["'", '’', 'ʼ', '`', '´']);

/** French and Italian elision: "l'employeur" is also read as "employeur" (the apostrophe after 1 or 2 letters, or "qu'"). */
function elided(text: string, item: Item): string | undefined {
  if (item.script !== 'latin') return undefined;
  for (let i = item.start + 1; i <= item.start + 5 && i < item.end - 2; i++) {
    if (!APOSTROPHES.has(text[i]!)) continue;
    const before = i - item.start;
    if (before <= 2 || text.slice(item.start, i).toLowerCase().endsWith('qu')) return item.folded.slice(before);
    return undefined;
  }
  return undefined;
}

/** Word ids of one item in one word set; `memo` lives for one ad only. */
function wordIds(set: CompiledWordSet, item: Item, memo: Map<string, number[]>, text: string): { ids: number[]; steps: number } {
  if (item.script === 'sign' || item.script === 'digits') {
    return { ids: set.exact.get(item.folded) ?? [], steps: 1 };
  }
  let folded = item.folded;
  let norm = item.norm;
  if (set.language === 'sr' && item.script === 'cyrillic') {
    let latin = '';
    for (const ch of norm) latin += SERBIAN_LATIN[ch] ?? ch;
    norm = latin;
    folded = latin;
  }
  const bare = elided(text, item);
  const memoKey = bare === undefined ? folded : `${folded}'${bare}`;
  const hit = memo.get(memoKey);
  if (hit) return { ids: hit, steps: 1 };
  const ids: number[] = [];
  const add = (list: readonly number[] | undefined) => {
    if (list) for (const id of list) if (!ids.includes(id)) ids.push(id);
  };
  let steps = 1;
  const forms = [folded];
  // Arabic joins "and" (و), "with" (ب), "for" (ل) and "the" (ال) to the next word: والجواز is "and the passport".
  if (item.script === 'arabic') {
    for (const prefix of ['و', 'ال', 'وال', 'بال', 'لل', 'ب'])
      if (folded.startsWith(prefix) && folded.length - prefix.length >= 3) forms.push(folded.slice(prefix.length));
  }
  if (bare) forms.push(bare);
  for (const form of forms) {
    add(set.exact.get(form));
    if (set.stemmer) {
      add(set.stems.get(stemOf(set.stemmer, form === folded ? norm : form)));
      steps += form.length;
    }
    let at = 0;
    for (const ch of form) {
      const to = set.prefixes[at]!.next.get(ch);
      steps++;
      if (to === undefined) break;
      at = to;
      add(set.prefixes[at]!.ids);
    }
  }
  memo.set(memoKey, ids);
  return { ids, steps };
}

/** Shortest line (characters) taken for running text that was hard-wrapped (a list of short lines is not). */
const WRAPPED_LINE = 70;

/**
 * Whether the gap between two words is one line break inside a hard-wrapped sentence ("we will give
 * you the contract\nwhen you arrive"): a single newline, nothing but spaces around it, a long line
 * before it, and the next line starting with a small letter (any word, in scripts without capitals).
 * Such a break is read as a space; a list of short lines ("Salary 1400 EUR\nHousing") stays split.
 */
function isWrappedLine(text: string, from: number, to: number, lineStart: number, next: Item): boolean {
  let newlines = 0;
  for (let i = from; i < to; i++) {
    const ch = text[i]!;
    if (ch === '\n') newlines++;
    else if (ch !== ' ' && ch !== '\t' && ch !== '\r') return false;
  }
  if (newlines !== 1 || from - lineStart < WRAPPED_LINE) return false;
  const first = text[next.start]!;
  const lower = first.toLowerCase();
  if (lower !== first.toUpperCase()) return first === lower;
  return next.script !== 'digits' && next.script !== 'sign';
}

/** Lines that open a chat message ("[Agent Sam]: ..."): two or more make the ad a pasted chat. */
const CHAT_LINES = 2;

/** Whether the ad is a pasted chat: lines that start with a name in brackets and a colon. One pass. */
function isTranscript(text: string): boolean {
  let lines = 0;
  // 0: at the start of a line (spaces allowed), 1: inside "[name", 2: after "]", 3: rest of the line.
  let state = 0;
  for (const ch of text) {
    if (ch === '\n') state = 0;
    else if (state === 0 && ch !== ' ' && ch !== '\t') state = ch === '[' ? 1 : 3;
    else if (state === 1 && ch === ']') state = 2;
    else if (state === 2) {
      if (ch === ':' && ++lines >= CHAT_LINES) return true;
      state = 3;
    }
  }
  return false;
}

/** Youngest and oldest age read as a child's in an age given for a job (a person under 18 is a child). */
const MINOR_FROM = 12;
const MINOR_TO = 17;
/** Words between the two ends of an age range ("15 to 22", "de 16 a 25", "от 16 до 25"). */
const RANGE_WORDS = new Set('to a à al ate até до do la hanggang se से تا الى إلى and y et e și si і и i'.split(' '));
const RANGE_SIGNS = new Set([' ', '-', '–', '—', '\u00a0']);

/**
 * Marks ages under 18 asked for in a job ad as `minor_age`: "16+", "aged 16", "16 years old",
 * "16 and above", "from 16 years" ("à partir de 16 ans", "от 16 лет"), or a range that starts under
 * 18 and ends as an adult's ("girls 15-22", "16 to 25 years"). A number next to a currency is money,
 * never an age; "18+" and "over 21" are adults' ages, and "under 16" (`age_under`) a limit from above:
 * neither is marked. One pass over the items.
 */
function markMinorAges(
  text: string,
  items: readonly Item[],
  sentence: Int32Array,
  byLast: readonly Occurrence[][],
  add: (concept: number, first: number, last: number) => void,
  c: { ageWord: number; years: number; fromAge: number; under: number; young: number; money: number; minorAge: number },
): void {
  const n = items.length;
  const age = (item: Item | undefined) => (item && item.script === 'digits' && item.folded.length <= 2 ? Number(item.folded) : -1);
  /** Whether an occurrence of `concept` starts at item `index` (when `starts`) or ends there. */
  const at = (concept: number, index: number, starts: boolean): boolean => {
    if (index < 0 || index >= n || concept < 0) return false;
    if (!starts) return byLast[index]!.some((o) => o.concept === concept);
    for (let t = index; t < Math.min(n, index + 4); t++) if (byLast[t]!.some((o) => o.concept === concept && o.first === index)) return true;
    return false;
  };
  /** Whether `concept` touches items [from, to] of sentence `s`. */
  const near = (concept: number, from: number, to: number, s: number): boolean => {
    if (concept < 0) return false;
    for (let t = Math.max(0, from); t < Math.min(n, to + 4); t++)
      if (sentence[t] === s && byLast[t]!.some((o) => o.concept === concept && o.first <= to && o.last >= from)) return true;
    return false;
  };
  for (let k = 0; k < n; k++) {
    const value = age(items[k]);
    if (value < MINOR_FROM || value > MINOR_TO || near(c.money, k, k, sentence[k]!)) continue;
    // "Under 16" is a limit from above (a youth team, a children's class), not an age asked for.
    if (at(c.under, k - 1, false) || (at(c.years, k - 1, false) && at(c.under, k - 2, false))) continue;
    const s = sentence[k]!;
    // A range: the next number (after a dash or a word such as "to") is an adult's age.
    let end = -1;
    const between = (from: number, to: number) => [...text.slice(from, to)].every((ch) => RANGE_SIGNS.has(ch));
    if (k + 1 < n && age(items[k + 1]) >= 0 && sentence[k + 1] === s && between(items[k]!.end, items[k + 1]!.start)) end = k + 1;
    else if (k + 2 < n && age(items[k + 2]) >= 0 && sentence[k + 2] === s && RANGE_WORDS.has(items[k + 1]!.folded)) end = k + 2;
    const upper = end >= 0 ? age(items[end]) : -1;
    const range = upper >= 18 && upper <= 70 && (near(c.ageWord, k - 3, end + 1, s) || near(c.years, k - 3, end + 1, s) || near(c.young, k - 3, end + 1, s));
    const plus = text[items[k]!.end] === '+' && !/\d/.test(text[items[k]!.end + 1] ?? '');
    const agedBefore = (at(c.ageWord, k - 1, false) || at(c.ageWord, k - 2, false)) && sentence[k - 1] === s;
    const agedAfter = at(c.ageWord, k + 1, true) || (at(c.years, k + 1, true) && at(c.ageWord, k + 2, true));
    const fromYears = at(c.fromAge, k - 1, false) && at(c.years, k + 1, true);
    if (range) add(c.minorAge, k, end);
    else if (plus || agedBefore || agedAfter || fromYears) add(c.minorAge, k, k);
  }
}

/** Reads the ad with the common words, one language's words and those of the languages it also reads (`alsoRead`). */
export function readAd(text: string, compiled: CompiledAdConcepts, language: CompiledWordSet | undefined): AdReading {
  const { items, work: itemWork } = itemsOf(text);
  let work = itemWork;
  const n = items.length;
  const sentence = new Int32Array(n);
  const clause = new Int32Array(n);
  const plusBefore = new Uint8Array(n);
  const gap = new Int32Array(n);
  let s = 0;
  let c = 0;
  let lineStart = 0;
  const transcript = isTranscript(text);
  for (let k = 1; k < n; k++) {
    const from = items[k - 1]!.end;
    const to = items[k]!.start;
    let ends = false;
    let cut = false;
    let spaced = false;
    const wrapped = isWrappedLine(text, from, to, lineStart, items[k]!);
    let asked = false;
    for (let i = from; i < to; i++) {
      work++;
      const ch = text[i]!;
      if (ch === ' ' || ch === '\u00a0') spaced = true;
      if (ch === '\n') {
        // In a chat, the answer on the next line belongs to the question ("who pays the visa?" / "deducted from your salary").
        if (asked) cut = true;
        else if (!wrapped) ends = true;
        lineStart = i + 1;
        asked = false;
      } else if ((ch === '?' || ch === '؟') && transcript) asked = true;
      else if (SENTENCE_ENDS.has(ch)) ends = true;
      // A full stop ends a sentence only before a space or a line break, so "1.500 EUR" and "S.R.L." stay whole.
      else if ((ch === '.' || ch === '。' || ch === '۔') && i + 1 < to && /\s/.test(text[i + 1]!)) ends = true;
      else if (CLAUSE_ENDS.has(ch) || (ch === '-' && i > from && text[i - 1] === ' ')) cut = true;
    }
    if (asked) ends = true;
    // Khmer writes words together and puts a space (not a zero-width one) between phrases, so a space
    // there ends a clause: a negation after it ("so that nobody runs away") belongs to the next phrase.
    if (items[k - 1]!.script === 'khmer' && items[k]!.script === 'khmer' && spaced) cut = true;
    if (to > from && text[to - 1] === '+') plusBefore[k] = 1;
    gap[k] = to - from;
    if (ends) s++;
    if (ends || cut) c++;
    sentence[k] = s;
    clause[k] = c;
  }
  if (n > 0 && items[0]!.start > 0 && text[items[0]!.start - 1] === '+') plusBefore[0] = 1;

  const byLast: Occurrence[][] = Array.from({ length: n }, () => []);
  const present = new Set<number>();
  const add = (concept: number, first: number, last: number, start = items[first]!.start, end = items[last]!.end) => {
    const here = byLast[last]!;
    if (here.some((o) => o.concept === concept && o.first === first && o.start === start)) return;
    here.push({ concept, first, last, start, end });
    present.add(concept);
  };
  const concept = (name: string) => compiled.concepts.indexOf(name);
  const NUMBER = concept('number');
  const SMALL = concept('small_number');
  const MONEY = concept('money');
  const PHONE = concept('phone');
  const EMAIL = concept('email');
  const WEBSITE = concept('website');
  const CURRENCY = concept('currency');
  const NEGATION = concept('negation');
  const WARNING = concept('warning');
  const NUMBER_WORD = concept('number_word');
  const FREE = concept('free');

  const also = language ? compiled.languages.filter((l) => language.alsoRead.includes(l.language)) : [];
  for (const set of language ? [compiled.common, language, ...also] : [compiled.common]) {
    const memo = new Map<string, number[]>();
    const ids: number[][] = new Array(n);
    for (let k = 0; k < n; k++) {
      const found = wordIds(set, items[k]!, memo, text);
      ids[k] = found.ids;
      work += found.steps;
    }
    for (let k = 0; k < n; k++) {
      for (const w of ids[k]!) {
        for (const e of set.byFirst.get(w) ?? []) {
          const entry = set.entries[e]!;
          let j = 1;
          for (; j < entry.words.length; j++) {
            work++;
            const next = k + j;
            if (next >= n || sentence[next] !== sentence[k] || !ids[next]!.includes(entry.words[j]!)) break;
          }
          if (j === entry.words.length) add(entry.concept, k, k + j - 1);
        }
      }
      const item = items[k]!;
      if (set.insideDepth > 0 && (item.script === 'khmer' || item.script === 'myanmar')) {
        // Entries inside a word: walk the trie from every position, never deeper than the longest entry.
        for (let p = item.start; p < item.end; p++) {
          let at = 0;
          for (let q = p; q < item.end && q - p < set.insideDepth; q++) {
            work++;
            const to = set.inside[at]!.next.get(text[q]!);
            if (to === undefined) break;
            at = to;
            for (const id of set.inside[at]!.ids) add(id, k, k, p, q + 1);
          }
        }
      }
    }
  }

  // Signs, e-mail addresses and websites.
  for (let k = 0; k < n; k++) {
    work++;
    const item = items[k]!;
    if (item.script === 'sign' && item.norm !== '@') add(CURRENCY, k, k);
    if (item.norm === '@' && k > 0 && k + 1 < n && gap[k] === 0 && gap[k + 1] === 0) add(EMAIL, k - 1, k + 1);
    if (item.folded === 'www' || item.folded === 'http' || item.folded === 'https') add(WEBSITE, k, k);
    if (
      k > 0 &&
      gap[k] === 1 &&
      text[item.start - 1] === '.' &&
      TLDS.has(item.folded) &&
      items[k - 1]!.folded.length >= 2 &&
      items[k - 1]!.script === 'latin' &&
      !inEmailAddress(items, gap, k)
    )
      add(WEBSITE, k - 1, k);
  }

  // Numbers: digit items joined by spaces, dots, commas or dashes are one number ("1.500", "+31 6 0000 0000").
  const currencyAt = new Uint8Array(n);
  for (let k = 0; k < n; k++) for (const o of byLast[k]!) if (o.concept === CURRENCY) for (let i = o.first; i <= o.last; i++) currencyAt[i] = 1;
  for (let k = 0; k < n; k++) {
    const item = items[k]!;
    if (item.script !== 'digits' && item.script !== 'latin') continue;
    // "800USD", "3500eur": digits with a currency written on.
    if (item.script === 'latin') {
      let d = 0;
      while (d < item.folded.length && item.folded.charCodeAt(d) >= 0x30 && item.folded.charCodeAt(d) <= 0x39) d++;
      work += d;
      if (d > 0 && d < item.folded.length) {
        const unit = compiled.common.exact.get(item.folded.slice(d));
        if (unit?.some((w) => compiled.common.entries.some((e) => e.words.length === 1 && e.words[0] === w && e.concept === CURRENCY))) {
          add(NUMBER, k, k);
          add(MONEY, k, k);
        }
      }
      continue;
    }
    let last = k;
    let digits = item.folded.length;
    let dashes = 0;
    let dotsOrCommas = 0;
    while (last + 1 < n && items[last + 1]!.script === 'digits' && gap[last + 1]! <= 2 && sentence[last + 1] === sentence[k]) {
      let joined = true;
      for (let i = items[last]!.end; i < items[last + 1]!.start; i++) {
        work++;
        const ch = text[i]!;
        if (!NUMBER_JOINS.has(ch)) joined = false;
        if (ch === '-') dashes++;
        if (ch === '.' || ch === ',') dotsOrCommas++;
      }
      if (!joined) break;
      last++;
      digits += items[last]!.folded.length;
    }
    add(NUMBER, k, last);
    const value = Number(item.folded);
    if (last === k && item.folded.length <= 2 && value >= 1 && value <= 30) add(SMALL, k, k);
    let unitAt = last + 1;
    if (unitAt < n && MULTIPLIERS.has(items[unitAt]!.folded) && gap[unitAt]! <= 2) unitAt++;
    // Romanian, Spanish and French put "de" between a number and its currency ("400 de euro", "2 millones de pesos").
    if (unitAt + 1 < n && items[unitAt]!.folded === 'de' && gap[unitAt]! <= 2 && currencyAt[unitAt + 1] === 1) unitAt++;
    const before = k > 0 && currencyAt[k - 1] === 1 && gap[k]! <= 2;
    const after = unitAt < n && currencyAt[unitAt] === 1 && gap[unitAt]! <= 2;
    const nearCurrency = before || after;
    // "Agency fee: 0 UAH" is no fee at all.
    const zero = last === k && item.folded === '0';
    if (nearCurrency && zero && FREE >= 0) add(FREE, before ? k - 1 : k, after ? unitAt : last);
    else if (nearCurrency) add(MONEY, before ? k - 1 : k, after ? unitAt : last);
    const range = dashes === 1 && last === k + 1;
    const thousands = dotsOrCommas > 0 && dashes === 0;
    if (!nearCurrency && ((plusBefore[k] === 1 && digits >= 8) || (digits >= 9 && !range && !thousands)))
      add(PHONE, k, last, plusBefore[k] === 1 ? item.start - 1 : item.start);
    k = last;
  }

  // Amounts in words ("two thousand dollars", "dos mil dólares"): a run of number words next to a currency is money.
  const numberWordAt = new Uint8Array(n);
  for (let k = 0; k < n; k++) for (const o of byLast[k]!) if (o.concept === NUMBER_WORD && o.first === k) numberWordAt[k] = 1;
  for (let k = 0; k < n; k++) {
    if (numberWordAt[k] !== 1 || currencyAt[k] === 1) continue;
    let last = k;
    while (last + 1 < n && numberWordAt[last + 1] === 1 && currencyAt[last + 1] !== 1 && sentence[last + 1] === sentence[k] && gap[last + 1]! <= 2) last++;
    let unitAt = last + 1;
    if (unitAt + 1 < n && items[unitAt]!.folded === 'de' && gap[unitAt]! <= 2 && currencyAt[unitAt + 1] === 1) unitAt++;
    const before = k > 0 && currencyAt[k - 1] === 1 && gap[k]! <= 2;
    const after = unitAt < n && currencyAt[unitAt] === 1 && gap[unitAt]! <= 2;
    if (before || after) {
      add(NUMBER, k, last);
      add(MONEY, before ? k - 1 : k, after ? unitAt : last);
    }
    work += last - k + 1;
    k = last;
  }

  markMinorAges(text, items, sentence, byLast, add, {
    ageWord: concept('age_word'),
    years: concept('years'),
    fromAge: concept('from_age'),
    under: concept('age_under'),
    young: concept('young_women'),
    money: MONEY,
    minorAge: concept('minor_age'),
  });
  work += n;

  let warnedFrom = n;
  for (let k = 0; k < n && warnedFrom === n; k++) for (const o of byLast[k]!) if (o.concept === WARNING) warnedFrom = Math.min(warnedFrom, o.first);

  return {
    items: n,
    sentence,
    clause,
    byLast,
    negationConcept: NEGATION,
    listJoinConcept: concept('list_join'),
    negationAfterConcept: concept('negation_after'),
    warnedFrom,
    present,
    work,
  };
}
