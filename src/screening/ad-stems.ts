/** Stems for the job-ad analyser: one stemmer per language, made on first use. */
import { stemmerFor, type Stem, type StemmerLanguage } from '../understanding/index.js';

const stemmers = new Map<StemmerLanguage, Stem>();

// No memo shared between calls: what one person's ad contained must not make another's faster
// (a timing oracle). The analyser keeps a memo for one ad only.

/** The stem of one normalised word (words longer than 40 characters are their own stem). */
export function stemOf(language: StemmerLanguage, word: string): string {
  let stem = stemmers.get(language);
  if (!stem) stemmers.set(language, (stem = stemmerFor(language)));
  return stem(word);
}
