/** The shape of loaded locales (what `loadLocales` in src/content reads), and key helpers over it. */
import type { LocaleMeta } from './locale-meta-schema.js';

/** A JSON value inside a locale file: text, a list of keywords, or a nested group. */
export type LocaleValue = string | string[] | { [key: string]: LocaleValue };

/** Every locale's texts and metadata. */
export interface LocaleBundle {
  /** Languages in a stable order, English first. */
  languages: string[];
  meta: Record<string, LocaleMeta>;
  /** resources[lng][file] = the file's JSON. A key `menu.welcome` is `resources[lng].menu.welcome`. */
  resources: Record<string, Record<string, LocaleValue>>;
  /** The file each `lng/file` came from, for problem positions. */
  files: Record<string, string>;
}

/** The English locale is the source every other locale is compared with. */
export const SOURCE_LANGUAGE = 'en';

/** Every leaf key of a locale's resources, as `file.a.b`. */
export function flattenKeys(resources: Record<string, LocaleValue>): Map<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  const walk = (prefix: string, value: LocaleValue) => {
    if (typeof value === 'string' || Array.isArray(value)) out.set(prefix, value);
    else for (const [k, v] of Object.entries(value)) walk(`${prefix}.${k}`, v);
  };
  for (const [ns, value] of Object.entries(resources)) walk(ns, value);
  return out;
}
