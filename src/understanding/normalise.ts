/**
 * Splits text into tokens and normalises each by its script: lower case, Latin accents removed,
 * Arabic letter variants unified, native digits made ASCII, repeated letters folded. Every token
 * keeps its offsets in the original text so that matched words can be shown as typed. Linear.
 */

/** The writing system of a token (the first letter decides). */
export type Script = 'latin' | 'cyrillic' | 'arabic' | 'devanagari' | 'bengali' | 'khmer' | 'myanmar' | 'other' | 'digits';

/** One word of the input. */
export interface Token {
  /** Offsets in the original text: text.slice(start, end) is the word as typed. */
  start: number;
  end: number;
  script: Script;
  /** Normalised, repeated letters kept (what stemmers see). */
  norm: string;
  /** Normalised with repeated letters folded (what the indexes hold). */
  folded: string;
  /** Cyrillic only: the folded Latin transliteration ("помогите" -> "pomogite"). */
  latin?: string;
  /** Every letter was a capital and there were at least two ("MD", "UAE"). */
  upper: boolean;
}

/** Tokens plus the steps spent. */
export interface Tokenized {
  tokens: Token[];
  work: number;
  /** Some letter in the text was lower case (so capitals are meaningful: "MD" is a code, not shouting). */
  hasLower: boolean;
}

/** Longest word normalised character by character; longer runs are cut into pieces of this size. */
export const maxTokenLength = 64;

function scriptOf(c: number): Script | undefined {
  if (c < 0x80) {
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) return 'latin';
    if (c >= 0x30 && c <= 0x39) return 'digits';
    return undefined;
  }
  if ((c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) || (c >= 0x1e00 && c <= 0x1eff)) return 'latin';
  if (c >= 0x0400 && c <= 0x052f) return 'cyrillic';
  if ((c >= 0x0600 && c <= 0x06ff) || (c >= 0x0750 && c <= 0x077f) || (c >= 0xfb50 && c <= 0xfdff) || (c >= 0xfe70 && c <= 0xfefc)) {
    if ((c >= 0x0660 && c <= 0x0669) || (c >= 0x06f0 && c <= 0x06f9)) return 'digits';
    if (c === 0x060c || c === 0x061b || c === 0x061f || c === 0x06d4) return undefined; // Arabic comma, semicolon, question mark, full stop
    return 'arabic';
  }
  if (c >= 0x0900 && c <= 0x097f) return c === 0x0964 || c === 0x0965 ? undefined : c >= 0x0966 && c <= 0x096f ? 'digits' : 'devanagari';
  if (c >= 0x0980 && c <= 0x09ff) return c >= 0x09e6 && c <= 0x09ef ? 'digits' : 'bengali';
  if ((c >= 0x1780 && c <= 0x17ff) || (c >= 0x19e0 && c <= 0x19ff)) {
    if (c >= 0x17d4 && c <= 0x17da) return undefined; // Khmer punctuation
    return c >= 0x17e0 && c <= 0x17e9 ? 'digits' : 'khmer';
  }
  if (c >= 0x1000 && c <= 0x109f) {
    if (c === 0x104a || c === 0x104b) return undefined; // Burmese punctuation
    return c >= 0x1040 && c <= 0x1049 ? 'digits' : 'myanmar';
  }
  return undefined;
}

const letterScript = (c: number) => {
  const s = scriptOf(c);
  return s === 'latin' || s === 'cyrillic';
};
const wordChar = /[\p{L}\p{M}\p{N}]/u;
const joiner = /[\u00ad\u200b-\u200d\u2060\ufeff]/; // soft hyphen, zero-width space / (non-)joiner, word joiner, BOM
const apostrophes = new Set([0x27, 0x2019, 0x2bc, 0x60, 0xb4]);

/** Splits and normalises; runs in time linear in the text's length. */
export function tokenize(text: string): Tokenized {
  const tokens: Token[] = [];
  let work = 0;
  let hasLower = false;
  let singleLetters = 0;
  let start = -1;
  let script: Script | undefined;
  // Where a word ends it is pushed (written out at each place: a function made per call costs more than a word).
  for (let i = 0; i < text.length; i++) {
    work++;
    let c = text.charCodeAt(i);
    let width = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      c = text.codePointAt(i)!;
      width = 2;
    }
    let s = scriptOf(c);
    if (s === undefined && c >= 0x80) {
      const ch = String.fromCodePoint(c);
      if (joiner.test(ch) && start >= 0) continue; // invisible inside a word: keep the word whole
      if (wordChar.test(ch)) s = 'other';
    }
    if (s === undefined && apostrophes.has(c) && start >= 0 && i + 1 < text.length && letterScript(text.charCodeAt(i + 1))) continue; // can't, don't, б'ють
    if (c === 0x40 && script === 'latin' && start >= 0 && i + 1 < text.length && scriptOf(text.charCodeAt(i + 1)) === 'latin') continue; // m@d@d: read as "a" (normaliseWord)
    if (s === undefined) {
      if (start >= 0) singleLetters += pushToken(tokens, text, start, i, script ?? 'other');
      start = -1;
      script = undefined;
    } else {
      if (start < 0) start = i;
      if ((script === undefined || script === 'digits') && s !== 'digits') script = s;
      else if (script === undefined) script = s;
      if (!hasLower && s !== 'digits' && (c < 0x80 ? c >= 0x61 : c < 0x10000 && text[i] !== text[i]!.toUpperCase())) hasLower = true;
      if (i + width - start >= maxTokenLength) {
        singleLetters += pushToken(tokens, text, start, i + width, script ?? 'other');
        start = -1;
        script = undefined;
      }
    }
    i += width - 1;
  }
  if (start >= 0) singleLetters += pushToken(tokens, text, start, text.length, script ?? 'other');
  if (singleLetters >= 3) work += joinSpelledOut(text, tokens);
  return { tokens, work, hasLower };
}

/** Scripts whose one-letter tokens may be a word spelled out letter by letter. */
const spelledScripts = new Set<Script>(['latin', 'cyrillic', 'arabic']);
const isSingleLetter = (t: Token) => spelledScripts.has(t.script) && t.norm.length === 1;

/**
 * A word spelled out letter by letter so that filters (or someone reading over a shoulder) miss it:
 * "س ا ع د و ن ي", "c.ứ.u", "h e l p". Three or more one-letter tokens of one script, each
 * separated from the next by the same one or two characters of space or punctuation, become one
 * token (of at most maxTokenLength letters, like any word); a different gap ends the word
 * ("س ا ع د و ن ي   ق ف ل و ا" is two words). One pass.
 */
function joinSpelledOut(text: string, tokens: Token[]): number {
  let out = 0;
  let work = 0;
  for (let i = 0; i < tokens.length;) {
    const first = tokens[i]!;
    let j = i + 1;
    if (isSingleLetter(first)) {
      const gap = j < tokens.length ? text.slice(first.end, tokens[j]!.start) : '';
      if (gap.length >= 1 && gap.length <= 2 && !/[\p{L}\p{N}]/u.test(gap))
        while (
          j < tokens.length &&
          j - i < maxTokenLength &&
          isSingleLetter(tokens[j]!) &&
          tokens[j]!.script === first.script &&
          text.slice(tokens[j - 1]!.end, tokens[j]!.start) === gap
        )
          j++;
    }
    work += j - i;
    if (j - i >= 3) {
      let norm = '';
      let raw = '';
      for (let k = i; k < j; k++) {
        norm += tokens[k]!.norm;
        raw += text.slice(tokens[k]!.start, tokens[k]!.end);
      }
      const upper = raw === raw.toUpperCase() && raw !== raw.toLowerCase();
      const joined: Token = { start: first.start, end: tokens[j - 1]!.end, script: first.script, norm, folded: fold(norm), upper };
      if (first.script === 'cyrillic') joined.latin = fold(transliterate(norm));
      tokens[out++] = joined;
    } else for (let k = i; k < j; k++) tokens[out++] = tokens[k]!;
    i = j;
  }
  tokens.length = out;
  return work;
}

/** Adds the word text[start, end) unless it normalises to nothing; 1 when it is one letter long. */
function pushToken(tokens: Token[], text: string, start: number, end: number, script: Script): number {
  const token = makeToken(text, start, end, script);
  if (!token) return 0;
  tokens.push(token);
  return token.norm.length === 1 ? 1 : 0;
}

function makeToken(text: string, start: number, end: number, script: Script): Token | undefined {
  const raw = text.slice(start, end);
  const lower = raw.toLowerCase();
  const norm = normaliseLower(lower, script);
  if (!norm) return undefined;
  // Abugidas write real double letters (मदद): only alphabets fold stretched words ("helppp").
  const folded = script === 'latin' || script === 'cyrillic' || script === 'arabic' || script === 'other' ? fold(norm) : norm;
  // A word with no capital (most) is not all capitals: no upper-case copy made to tell.
  const upper = raw.length >= 2 && raw !== lower && allCapitals(raw);
  const token: Token = { start, end, script, norm, folded, upper };
  if (script === 'cyrillic') token.latin = fold(transliterate(norm));
  return token;
}

/** No letter changes in upper case and some letter changes in lower case ("MD", "UAE", not "12"). */
function allCapitals(raw: string): boolean {
  let capital = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 0x80) return raw === raw.toUpperCase() && raw !== raw.toLowerCase();
    if (c >= 0x61 && c <= 0x7a) return false;
    if (c >= 0x41 && c <= 0x5a) capital = true;
  }
  return capital;
}

/** Latin letters that look like Cyrillic ones, read as those inside a Cyrillic word. */
const latinLookalikes: Record<string, string> = { a: 'а', c: 'с', e: 'е', i: 'і', o: 'о', p: 'р', x: 'х', y: 'у', j: 'ј' };
const latinSpecial: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'dj', ð: 'd', þ: 'th', ı: 'i' };
const nativeDigit = /[\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\u09e6-\u09ef\u17e0-\u17e9\u1040-\u1049]/g;
const digitBases = [0x0660, 0x06f0, 0x0966, 0x09e6, 0x17e0, 0x1040];
const asciiWord = /^[a-z0-9]*$/;
// Words that normalisation leaves as they are (checked over every pair of these letters): lower-case
// Cyrillic without ё, ѐ, ѝ; Arabic letters without the alef forms, ta marbuta, alef maqsura and tatweel.
const plainCyrillic = /^[\u0430-\u044f\u0452-\u045c\u045e\u045f]+$/;
const plainArabic = /^[\u0621\u0624\u0626-\u0628\u062a-\u063a\u0641-\u0648\u064a]+$/;
const removable = /[\u00ad\u200b-\u200d\u2060\ufeff'\u2019\u02bc`\u00b4]/g;
const atSigns = /@/g;
const nonAscii = /[^\x00-\x7f]/;

/** Normalises one word written in `script` (repeated letters are kept: see fold). */
export function normaliseWord(raw: string, script: Script): string {
  return normaliseLower(raw.toLowerCase(), script);
}

/** normaliseWord of a word already in lower case. */
function normaliseLower(lower: string, script: Script): string {
  let s = lower;
  if (asciiWord.test(s)) return s;
  if (script === 'cyrillic' ? plainCyrillic.test(s) : script === 'arabic' && plainArabic.test(s)) return s;
  s = s.replace(removable, '');
  if (s.includes('@')) s = s.replace(atSigns, 'a'); // m@d@d (tokenize keeps @ only between Latin letters)
  if (nonAscii.test(s)) s = s.replace(nativeDigit, (d) => String(d.charCodeAt(0) - digitBases.find((b) => d.charCodeAt(0) >= b && d.charCodeAt(0) <= b + 9)!));
  else return s;
  switch (script) {
    case 'latin':
    case 'digits':
    case 'other':
      return s
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .replace(/[ßæœøłđðþı]/g, (c) => latinSpecial[c]!);
    case 'cyrillic':
      // Keyboards without і/ї make people type Latin look-alikes inside Cyrillic words ("нiколи", "Чехiя").
      return s
        .normalize('NFC')
        .replace(/[\u0300\u0301]/g, '')
        .replace(/ё/g, 'е')
        .replace(/ѐ/g, 'е')
        .replace(/ѝ/g, 'и')
        .replace(/[aceiopxyj]/g, (c) => latinLookalikes[c]!);
    case 'arabic':
      return s
        .normalize('NFKC')
        .replace(/[\u064b-\u065f\u0670\u0640\u06d6-\u06ed]/g, '') // harakat, superscript alef, tatweel, Quranic marks
        .replace(/[أإآٱ]/g, 'ا')
        .replace(/ة/g, 'ه')
        .replace(/[ىی]/g, 'ي')
        .replace(/ک/g, 'ك');
    default:
      return s.normalize('NFC');
  }
}

/** Folds runs of the same letter into one ("helppp" -> "help"); digits are kept ("112", "999"). */
export function fold(s: string): string {
  let repeats = false;
  for (let i = 1; i < s.length && !repeats; i++) repeats = s.charCodeAt(i) === s.charCodeAt(i - 1);
  if (!repeats) return s;
  let out = '';
  let prev = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === prev && !(c >= 0x30 && c <= 0x39)) continue;
    out += s[i];
    prev = c;
  }
  return out;
}

const cyrillicToLatin: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  ґ: 'g',
  д: 'd',
  е: 'e',
  є: 'ye',
  ж: 'zh',
  з: 'z',
  и: 'i',
  і: 'i',
  ї: 'yi',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'h',
  ц: 'c',
  ч: 'ch',
  ш: 'sh',
  щ: 'sch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  ђ: 'dj',
  ј: 'j',
  љ: 'lj',
  њ: 'nj',
  ћ: 'c',
  џ: 'dz',
  ў: 'u',
};

/** The informal Latin spelling people type for Cyrillic ("допоможіть" -> "dopomozhit", "упомоћ" -> "upomoc"). */
export function transliterate(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const latin = c >= 0x400 && c < 0x500 ? latinOfCyrillic[c - 0x400] : undefined;
    out += latin ?? s[i];
  }
  return out;
}

/** cyrillicToLatin by code point from U+0400 (every key lies below U+0500). */
const latinOfCyrillic: (string | undefined)[] = Array.from({ length: 0x100 }, (_, k) => cyrillicToLatin[String.fromCharCode(0x400 + k)]);
