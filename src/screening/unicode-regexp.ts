/** Builds pattern regexes so that `\b` means a word edge in every alphabet, not only in ASCII. */

// In JavaScript `\b` only knows [A-Za-z0-9_], even with the u flag, so "\bвиза\b" never
// matches. Letters, combining marks (Devanagari, Khmer) and digits all count as word characters here.
const WORD = String.raw`[\p{L}\p{M}\p{N}_]`;
const EDGE = String.raw`(?:(?<=${WORD})(?!${WORD})|(?<!${WORD})(?=${WORD}))`;
const NOT_EDGE = String.raw`(?:(?<=${WORD})(?=${WORD})|(?<!${WORD})(?!${WORD}))`;

/** Compiles a pattern source with the `i` and `u` flags (plus `extraFlags`), rewriting `\b` / `\B` outside character classes. */
export function toUnicodeRegExp(source: string, extraFlags: string): RegExp {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      const next = source[i + 1] ?? '';
      if (!inClass && next === 'b') out += EDGE;
      else if (!inClass && next === 'B') out += NOT_EDGE;
      else out += ch + next;
      i++;
      continue;
    }
    if (ch === '[' && !inClass) inClass = true;
    else if (ch === ']' && inClass) inClass = false;
    out += ch;
  }
  return new RegExp(out, `iu${extraFlags}`);
}
