/** A small, dependency-free guess of a job ad's language from the `detect` profiles of the pattern files. */
import type { PatternFile } from './pattern-schema.js';

// Why not a library: the ads are short, the languages are the ones NGO staff ship pattern files
// for, and a guess we can read and test beats an opaque model. The script with the most letters
// in the ad picks the candidates; among several languages of one script, a word of a profile's
// list counts 1 and a letter that only that language uses counts 2.

interface Profile {
  language: string;
  script: string;
  letters: RegExp | undefined;
  words: ReadonlySet<string>;
}

interface Profiles {
  /** Each script once, with the regex counting its letters and its languages' profiles. */
  scripts: { script: string; letters: RegExp; profiles: Profile[] }[];
}

const compiled = new WeakMap<readonly PatternFile[], Profiles>();

/** Compiles the profiles once per list of pattern files (content is loaded once, and on reload). */
function profilesOf(files: readonly PatternFile[]): Profiles {
  const hit = compiled.get(files);
  if (hit) return hit;
  const byScript = new Map<string, Profile[]>();
  for (const file of files) {
    for (const p of file.detect) {
      const profile = {
        language: file.language,
        script: p.script,
        letters: p.letters ? new RegExp(p.letters, 'gu') : undefined,
        words: new Set((p.words ?? '').toLowerCase().split(/\s+/).filter(Boolean)),
      };
      byScript.set(p.script, [...(byScript.get(p.script) ?? []), profile]);
    }
  }
  // A script shared by more languages wins a tie of letter counts: it is the more common guess.
  const scripts = [...byScript]
    .map(([script, profiles]) => ({ script, letters: new RegExp(`\\p{Script=${script}}`, 'gu'), profiles }))
    .sort((a, b) => b.profiles.length - a.profiles.length);
  const result = { scripts };
  compiled.set(files, result);
  return result;
}

const count = (text: string, re: RegExp): number => text.match(re)?.length ?? 0;

/**
 * The most likely language of `text` among the pattern files' languages; `fallback` when the text
 * has no letters of any of their scripts. On a tie the file listed first (alphabetical) wins.
 */
export function detectLanguage(text: string, files: readonly PatternFile[], fallback = 'en'): string {
  const lower = text.toLowerCase();
  let best: Profiles['scripts'][number] | undefined;
  let most = 0;
  for (const script of profilesOf(files).scripts) {
    const n = count(lower, script.letters);
    if (n > most) {
      best = script;
      most = n;
    }
  }
  if (!best) return fallback;
  const [first, ...others] = best.profiles;
  if (!first || others.length === 0) return first?.language ?? fallback;
  const tokens = lower.split(/[^\p{L}\p{M}]+/u).filter(Boolean);
  let winner = { language: first.language, score: 0 };
  for (const profile of best.profiles) {
    let score = profile.letters ? 2 * count(lower, profile.letters) : 0;
    for (const token of tokens) if (profile.words.has(token)) score += 1;
    if (score > winner.score) winner = { language: profile.language, score };
  }
  return winner.language;
}
