/** Builds pattern regexes so that `\b` means a word edge in every alphabet, not only in ASCII. */

// In JavaScript `\b` only knows [A-Za-z0-9_], even with the u flag, so "\bвиза\b" never
// matches. Letters, combining marks (Devanagari, Khmer) and digits all count as word characters here.
const WORD = String.raw`[\p{L}\p{M}\p{N}_]`;
const START = `(?<!${WORD})`;
const END = `(?!${WORD})`;
const EDGE = `(?:(?<=${WORD})${END}|${START}(?=${WORD}))`;
const NOT_EDGE = `(?:(?<=${WORD})(?=${WORD})|${START}${END})`;

type Atom = 'open' | 'space' | 'word' | 'unknown';

/**
 * Compiles a pattern source with the `i` and `u` flags (plus `extraFlags`), rewriting `\b` / `\B`
 * outside character classes. A `\b` after the start, `(`, `|` or a space only needs to look back,
 * and one after a letter or a group only needs to look ahead: these cheap forms matter because the
 * full two-sided form makes V8 compile each case-insensitive Unicode regex several times slower.
 * `edges: 'exact'` always writes the full form (tests check that both find the same matches).
 */
export function toUnicodeRegExp(source: string, extraFlags: string, edges: 'fast' | 'exact' = 'fast'): RegExp {
  let out = '';
  let prev: Atom = 'open';
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] ?? '';
    if (ch === '\\') {
      const next = source[i + 1] ?? '';
      i++;
      if (next === 'b') {
        out += edges === 'exact' ? EDGE : prev === 'open' || prev === 'space' ? START : prev === 'word' ? END : EDGE;
        continue;
      }
      if (next === 'B') {
        out += NOT_EDGE;
        continue;
      }
      out += ch + next;
      prev = next === 's' ? 'space' : /[pPdDwWuxk]/.test(next) || /[\p{L}\p{N}]/u.test(next) ? 'word' : 'unknown';
      continue;
    }
    if (ch === '[') {
      // Copy a whole class; a negated class may match either side of an edge.
      const start = i;
      i++;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      const cls = source.slice(start, i + 1);
      out += cls;
      prev = cls.startsWith('[^') ? 'unknown' : 'word';
      continue;
    }
    if (ch === '{') {
      // A quantifier such as {0,60}: it repeats the previous atom, so the atom kind stays.
      const close = source.indexOf('}', i);
      if (close > i) {
        out += source.slice(i, close + 1);
        i = close;
        continue;
      }
    }
    out += ch;
    if (ch === '(' || ch === '|') prev = 'open';
    else if (ch === ')') prev = 'word';
    else if (ch === ' ') prev = 'space';
    else if (/[\p{L}\p{M}\p{N}_]/u.test(ch)) prev = 'word';
    else if (!'*+?'.includes(ch)) prev = 'unknown';
  }
  return new RegExp(out, `iu${extraFlags}`);
}
