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

/** True when the normalized text is one of the keywords (whole message). */
export function isKeyword(text: string, keywords: readonly string[]): boolean {
  const n = normalize(text);
  return n.length > 0 && keywords.some((k) => normalize(k) === n);
}

/** True when a short message (at most `maxWords` words) contains a keyword as whole words. */
export function mentionsKeyword(text: string, keywords: readonly string[], maxWords = 6): boolean {
  const n = normalize(text);
  if (!n || n.split(' ').length > maxWords) return false;
  const padded = ` ${n} `;
  return keywords.some((k) => {
    const key = normalize(k);
    // Scripts written without spaces between words (Khmer, Thai...) match inside the text.
    if (key.length > 0 && /[\p{Script=Khmer}\p{Script=Thai}\p{Script=Lao}\p{Script=Myanmar}]/u.test(key)) return n.includes(key);
    return key.length > 0 && padded.includes(` ${key} `);
  });
}
