/**
 * The Translations page: every key × language with marks for missing, changed since English (the
 * English text's hash kept in the locale's `_meta.json` `sourceHashes` when a translation is
 * saved) and not reviewed (`unreviewed` in `_meta.json`); saving one cell or a whole PO/CSV file.
 */
import { createHash } from 'node:crypto';
import { translationEntries } from '../cli/commands/i18n.js';
import type { Content } from '../content/index.js';
import { entryText, entryValue, flattenKeys, fromCsv, fromPo, SOURCE_LANGUAGE, toCsv, toPo } from '../i18n/index.js';
import { editJson } from './file-edits.js';
import { StudioError } from './guard.js';
import type { FileChange } from './workspace.js';

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** The hash of an English text a translation was made from. */
export function sourceHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** One row of the table. */
export interface TranslationRow {
  key: string;
  english: string;
  cells: Record<string, { text: string; missing: boolean; changed: boolean; unreviewed: boolean }>;
}

/** The whole table (English first, then every other language). */
export function translationTable(content: Content): { languages: { code: string; name: string; reviewed: boolean }[]; rows: TranslationRow[] } {
  const { languages, resources, meta } = content.locales;
  const flat = Object.fromEntries(languages.map((l) => [l, flattenKeys(resources[l] ?? {})]));
  const en = flat[SOURCE_LANGUAGE] ?? new Map();
  const rows: TranslationRow[] = [...en.keys()].sort().map((key) => {
    const english = entryText(en.get(key));
    const cells: TranslationRow['cells'] = {};
    for (const l of languages) {
      if (l === SOURCE_LANGUAGE) continue;
      const value = flat[l]!.get(key);
      const kept = meta[l]?.sourceHashes?.[key];
      cells[l] = {
        text: entryText(value),
        missing: value === undefined || entryText(value).trim() === '',
        changed: kept !== undefined && kept !== sourceHash(english),
        unreviewed: (meta[l]?.unreviewed ?? []).includes(key),
      };
    }
    return { key, english, cells };
  });
  return { languages: languages.map((l) => ({ code: l, name: meta[l]?.name ?? l, reviewed: meta[l]?.reviewedByNativeSpeaker ?? false })), rows };
}

/**
 * The texts of `texts` (key → text) that differ from what `lng` has now. A translator's file holds
 * every text of the language: those they left as they were must keep their marks (a text a native
 * speaker reviewed stays reviewed), so an import saves only these.
 */
export function changedTexts(content: Content, lng: string, texts: ReadonlyMap<string, string>): Map<string, string> {
  const en = flattenKeys(content.locales.resources[SOURCE_LANGUAGE] ?? {});
  const now = flattenKeys(content.locales.resources[lng] ?? {});
  return new Map(
    [...texts].filter(([key, text]) => {
      const like = en.get(key) ?? en.get(key.replace(PLURAL, '_other'));
      return like === undefined || JSON.stringify(entryValue(text, like)) !== JSON.stringify(now.get(key));
    }),
  );
}

/**
 * The file changes that save `texts` (key → text) in `lng`: each key's locale file and, for a
 * translation, `_meta.json` (the English hash of each key, and the key marked not reviewed until a
 * native speaker reads it). A text saved as it was is saved all the same: staff confirm that it still
 * fits a changed English text that way (the C mark goes). `hashes` are the files' content hashes as
 * the editor read them.
 */
export function translationChanges(content: Content, lng: string, texts: ReadonlyMap<string, string>, hashes: Record<string, string>): FileChange[] {
  if (!content.locales.languages.includes(lng)) throw new StudioError(400, `\`${lng}\` is not a language in locales/.`);
  const en = flattenKeys(content.locales.resources[SOURCE_LANGUAGE] ?? {});
  const byFile = new Map<string, { path: string[]; value: string | string[] }[]>();
  const saved: string[] = [];
  for (const [key, text] of texts) {
    const like = en.get(key) ?? en.get(key.replace(PLURAL, '_other'));
    if (like === undefined) throw new StudioError(400, `\`${key}\` is not a key of the English texts (locales/en).`);
    if (!text.trim()) continue;
    const [ns, ...path] = key.split('.');
    const file = `locales/${lng}/${ns}.json`;
    byFile.set(file, [...(byFile.get(file) ?? []), { path, value: entryValue(text, like) }]);
    saved.push(key);
  }
  const hashOf = (file: string) => {
    const h = hashes[file];
    if (!h) throw new StudioError(400, `Send the hash of ${file} as you read it, so that nobody's change is overwritten.`);
    return h;
  };
  const changes: FileChange[] = [...byFile].map(([file, edits]) => ({ file, baseHash: hashOf(file), next: (text) => editJson(text, edits) }));
  // English is the source: its changes mark translations "changed since English" by their kept hashes.
  if (lng === SOURCE_LANGUAGE || saved.length === 0) return changes;
  const metaFile = `locales/${lng}/_meta.json`;
  changes.push({
    file: metaFile,
    baseHash: hashOf(metaFile),
    next: (text) => {
      const meta = JSON.parse(text ?? '{}') as { unreviewed?: string[]; sourceHashes?: Record<string, string> };
      const unreviewed = [...(meta.unreviewed ?? [])];
      const sourceHashes = { ...(meta.sourceHashes ?? {}) };
      for (const key of saved) {
        if (!unreviewed.includes(key)) unreviewed.push(key);
        sourceHashes[key] = sourceHash(entryText(en.get(key) ?? en.get(key.replace(PLURAL, '_other'))));
      }
      return editJson(text, [
        { path: ['unreviewed'], value: unreviewed },
        { path: ['sourceHashes'], value: Object.fromEntries(Object.entries(sourceHashes).sort(([a], [b]) => a.localeCompare(b))) },
      ]);
    },
  });
  return changes;
}

/** The change that records a native speaker's review of `keys` in `lng`: they leave `unreviewed` in `_meta.json`. */
export function reviewChange(content: Content, lng: string, keys: readonly string[], hash: string): FileChange {
  if (lng === SOURCE_LANGUAGE || !content.locales.languages.includes(lng)) throw new StudioError(400, `\`${lng}\` is not a translated language in locales/.`);
  return {
    file: `locales/${lng}/_meta.json`,
    baseHash: hash,
    next: (text) => {
      const meta = JSON.parse(text ?? '{}') as { unreviewed?: string[] };
      return editJson(text, [{ path: ['unreviewed'], value: (meta.unreviewed ?? []).filter((k) => !keys.includes(k)) }]);
    },
  };
}

/** A PO or CSV file of one language for translators (the same as `lantern i18n export`). */
export function exportTranslations(content: Content, lng: string, format: 'po' | 'csv'): string {
  const entries = translationEntries(content, lng);
  return format === 'po' ? toPo(entries, lng) : toCsv(entries);
}

/** Reads an uploaded PO or CSV file: key → text, and warnings (fuzzy entries skipped). */
export function readTranslationFile(text: string, format: 'po' | 'csv', name: string): { texts: Map<string, string>; warnings: string[] } {
  try {
    if (format === 'po') {
      const read = fromPo(text, name);
      return { texts: read.translations, warnings: read.warnings };
    }
    return { texts: fromCsv(text), warnings: [] };
  } catch (error) {
    throw new StudioError(400, `${name} could not be read as ${format.toUpperCase()}: ${(error as Error).message}`);
  }
}
