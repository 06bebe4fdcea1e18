/** Matching typed text against keywords and button labels, in any script. */

/** Lowercase, no accents, no punctuation, single spaces: "¡Ayúdame!" -> "ayudame". */
export function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, (marks, offset, whole) => (isLatinBefore(whole, offset) ? '' : marks))
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, ' ')
    .trim();
}

// Combining marks are dropped after Latin letters (accents) but kept in scripts where they
// are letters' vowels (Devanagari, Khmer, Arabic harakat stay harmless either way).
function isLatinBefore(text: string, offset: number): boolean {
  const before = text.codePointAt(Math.max(0, offset - 1)) ?? 0;
  return before < 0x0250;
}

/** Keywords normalized once (at start-up), ready for `isKeyword` and `mentionsKeyword`. */
export function keywordSet(words: readonly string[]): string[] {
  return [...new Set(words.map(normalize).filter((w) => w.length > 0))];
}

// Scripts written without spaces between words (Khmer, Thai...): a keyword matches inside the text.
const UNSPACED = /[\p{Script=Khmer}\p{Script=Thai}\p{Script=Lao}\p{Script=Myanmar}]/u;

/** True when the whole message is one of the keywords (from `keywordSet`). */
export function isKeyword(text: string, keywords: readonly string[]): boolean {
  const n = normalize(text);
  return n.length > 0 && keywords.includes(n);
}

/** True when a short message (at most `maxWords` words) contains a keyword (from `keywordSet`) as whole words. */
export function mentionsKeyword(text: string, keywords: readonly string[], maxWords = 6): boolean {
  const n = normalize(text);
  if (!n || n.split(' ').length > maxWords) return false;
  const padded = ` ${n} `;
  return keywords.some((key) => (UNSPACED.test(key) ? n.includes(key) : padded.includes(` ${key} `)));
}
