/** The NLP.js Snowball-style stemmers, one per language that has one; each is run on single words. */
import StemmerAr from '@nlpjs/lang-ar/src/stemmer-ar.js';
import StemmerEn from '@nlpjs/lang-en-min/src/stemmer-en.js';
import StemmerEs from '@nlpjs/lang-es/src/stemmer-es.js';
import StemmerFr from '@nlpjs/lang-fr/src/stemmer-fr.js';
import StemmerHi from '@nlpjs/lang-hi/src/stemmer-hi.js';
import StemmerPt from '@nlpjs/lang-pt/src/stemmer-pt.js';
import StemmerRo from '@nlpjs/lang-ro/src/stemmer-ro.js';
import StemmerRu from '@nlpjs/lang-ru/src/stemmer-ru.js';
import StemmerSr from '@nlpjs/lang-sr/src/stemmer-sr.js';
import StemmerTl from '@nlpjs/lang-tl/src/stemmer-tl.js';
import StemmerUk from '@nlpjs/lang-uk/src/stemmer-uk.js';
import type { StemmerLanguage } from './schema.js';

/** Reduces one lower-case word to its stem. */
export type Stem = (word: string) => string;

const classes: Record<StemmerLanguage, new () => { stemWord(word: string): string }> = {
  ar: StemmerAr,
  en: StemmerEn,
  es: StemmerEs,
  fr: StemmerFr,
  hi: StemmerHi,
  pt: StemmerPt,
  ro: StemmerRo,
  ru: StemmerRu,
  sr: StemmerSr,
  tl: StemmerTl,
  uk: StemmerUk,
};

/** Longest word handed to a stemmer; longer tokens are not words anyone types. */
const maxStemmedLength = 40;

/** One stemmer per language, created lazily (each keeps internal state, so one instance per language). */
export function stemmerFor(language: StemmerLanguage): Stem {
  const stemmer = new classes[language]();
  return (word) => (word.length > maxStemmedLength ? word : stemmer.stemWord(word) || word);
}
