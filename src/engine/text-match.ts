/** Comparing a typed button label with the label shown (typed text is read by src/understanding). */

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
