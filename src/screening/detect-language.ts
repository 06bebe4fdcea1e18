/** A small, dependency-free guess of a job ad's language from the `detect` profiles of the concept files. */
import type { AdConceptFile } from './ad-concept-schema.js';

// Why not a library: the ads are short, the languages are the ones NGO staff ship concept files
// for, and a guess we can read and test beats an opaque model. The script with the most letters
// in the ad picks the candidates; among several languages of one script, a word of a profile's
// list counts 1 and a letter that only that language uses counts 2. One pass over the text.

/** What detection needs of a language file. */
export interface LanguageProfile {
  language: string;
  detect: AdConceptFile['detect'];
}

interface Profile {
  language: string;
  letters: ReadonlySet<string>;
  words: ReadonlySet<string>;
}

interface Compiled {
  /** Each script once, with the test for its letters and its languages' profiles (most languages first). */
  scripts: { script: string; test: RegExp; profiles: Profile[] }[];
}

const compiled = new WeakMap<readonly LanguageProfile[], Compiled>();

/** Compiles the profiles once per list (content is loaded once, and on reload). */
function profilesOf(files: readonly LanguageProfile[]): Compiled {
  const hit = compiled.get(files);
  if (hit) return hit;
  const byScript = new Map<string, Profile[]>();
  for (const file of files) {
    for (const p of file.detect) {
      const profile = {
        language: file.language,
        letters: new Set([...(p.letters ?? '').toLowerCase()]),
        words: new Set((p.words ?? '').toLowerCase().split(/\s+/).filter(Boolean)),
      };
      byScript.set(p.script, [...(byScript.get(p.script) ?? []), profile]);
    }
  }
  // A script shared by more languages wins a tie of letter counts: it is the more common guess.
  const scripts = [...byScript]
    .map(([script, profiles]) => ({ script, test: new RegExp(`^\\p{Script=${script}}$`, 'u'), profiles }))
    .sort((a, b) => b.profiles.length - a.profiles.length);
  const result = { scripts };
  compiled.set(files, result);
  return result;
}

/**
 * The most likely language of `text` among the files' languages; `fallback` when the text has no
 * letters of any of their scripts. On a tie the file listed first (alphabetical) wins.
 */
export function detectLanguage(text: string, files: readonly LanguageProfile[], fallback = 'en'): string {
  const { scripts } = profilesOf(files);
  const lower = text.toLowerCase();
  const counts = new Array<number>(scripts.length).fill(0);
  const letterScore = new Map<string, number>();
  const words: string[] = [];
  let word = '';
  let last = -1;
  for (const ch of lower) {
    // The last script seen first: letters of one word share it.
    let s = last >= 0 && scripts[last]!.test.test(ch) ? last : scripts.findIndex((x) => x.test.test(ch));
    if (s >= 0) {
      counts[s]!++;
      last = s;
      for (const p of scripts[s]!.profiles) if (p.letters.has(ch)) letterScore.set(p.language, (letterScore.get(p.language) ?? 0) + 2);
    }
    if (/[\p{L}\p{M}]/u.test(ch)) word += ch;
    else {
      if (word) words.push(word);
      word = '';
      s = -1;
    }
  }
  if (word) words.push(word);
  let best = -1;
  for (let i = 0; i < scripts.length; i++) if (counts[i]! > (best < 0 ? 0 : counts[best]!)) best = i;
  if (best < 0) return fallback;
  const [first, ...others] = scripts[best]!.profiles;
  if (!first || others.length === 0) return first?.language ?? fallback;
  let winner = { language: first.language, score: 0 };
  for (const profile of scripts[best]!.profiles) {
    let score = letterScore.get(profile.language) ?? 0;
    for (const w of words) if (profile.words.has(w)) score += 1;
    if (score > winner.score) winner = { language: profile.language, score };
  }
  return winner.language;
}
