/** i18next set-up: renders keys in a language with English as the fallback. i18next lives only here. */
import i18next, { type i18n } from 'i18next';
import type { LocaleBundle } from './locale-bundle.js';
import { flattenKeys, SOURCE_LANGUAGE } from './locale-bundle.js';

/** Renders texts for the engine. Built once per content load, never per message. */
export interface Translator {
  languages: readonly string[];
  /** The text for `key` in `lng` (English when the locale lacks it), with {{vars}} filled in. */
  t(lng: string, key: string, vars?: Record<string, unknown>): string;
  /** True when `lng` itself (not the fallback) has the key. */
  has(lng: string, key: string): boolean;
  direction(lng: string): 'ltr' | 'rtl';
  /** The language's own name, for language buttons. */
  nativeName(lng: string): string;
  /** The best shipped language for a BCP 47 hint (`uk-UA` -> `uk`, `pt` -> `pt-BR`), or undefined. */
  negotiate(hint: string | undefined): string | undefined;
}

/** A text without {{vars}}, or its pieces: text, var name, text, …, text (always an odd count). */
type Template = string | readonly string[];

/** Splits a text at its {{vars}} once, so rendering it is a few joins rather than a scan and a regex per call. */
function compileTemplate(text: string): Template {
  if (!text.includes('{{')) return text;
  const parts: string[] = [];
  let last = 0;
  for (const match of text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)) {
    parts.push(text.slice(last, match.index), match[1]!);
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts.length === 1 ? parts[0]! : parts;
}

/** Creates a translator over a loaded bundle. */
export function createTranslator(bundle: LocaleBundle): Translator {
  const instance: i18n = i18next.createInstance();
  void instance.init({
    resources: Object.fromEntries(bundle.languages.map((lng) => [lng, { translation: bundle.resources[lng] ?? {} }])),
    lng: SOURCE_LANGUAGE,
    fallbackLng: SOURCE_LANGUAGE,
    supportedLngs: bundle.languages,
    load: 'currentOnly',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    returnObjects: false,
    showSupportNotice: false,
  } as Parameters<i18n['init']>[0]);
  const fixed = new Map(bundle.languages.map((lng) => [lng, instance.getFixedT(lng)]));
  const lookup = (lng: string, key: string): unknown => {
    let node: unknown = bundle.resources[lng];
    for (const part of key.split('.')) {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
      node = (node as Record<string, unknown>)[part];
    }
    return node;
  };
  const byLower = new Map(bundle.languages.map((lng) => [lng.toLowerCase(), lng]));
  // Hot path: most texts are plain or have simple {{vars}}. Resolving them once here (with the
  // English fallback) keeps i18next for what needs it (plurals, nesting, formatting) and takes
  // a full i18next lookup out of every message of every turn.
  const simple = new Map<string, Map<string, Template>>();
  for (const lng of bundle.languages) {
    const texts = new Map<string, Template>();
    simple.set(lng, texts);
    for (const key of new Set([...flattenKeys(bundle.resources[SOURCE_LANGUAGE] ?? {}).keys(), ...flattenKeys(bundle.resources[lng] ?? {}).keys()])) {
      const own = lookup(lng, key);
      const value = typeof own === 'string' ? own : lookup(SOURCE_LANGUAGE, key);
      if (typeof value === 'string' && !/\$t\(|\{\{[^}]*[,(]/.test(value)) texts.set(key, compileTemplate(value));
    }
  }
  return {
    languages: bundle.languages,
    t(lng, key, vars) {
      const template = vars?.count === undefined ? simple.get(lng)?.get(key) : undefined;
      if (typeof template === 'string') return template;
      if (template !== undefined) {
        let text = template[0]!;
        for (let i = 1; i < template.length; i += 2) text += String(vars?.[template[i]!] ?? '') + template[i + 1]!;
        return text;
      }
      const t = fixed.get(lng) ?? fixed.get(SOURCE_LANGUAGE)!;
      return t(key, vars ?? {}) as string;
    },
    has(lng, key) {
      const value = lookup(lng, key);
      return typeof value === 'string' || Array.isArray(value);
    },
    direction: (lng) => bundle.meta[lng]?.direction ?? 'ltr',
    nativeName: (lng) => bundle.meta[lng]?.nativeName ?? lng,
    negotiate(hint) {
      if (!hint) return undefined;
      const wanted = hint.replace('_', '-').toLowerCase();
      const exact = byLower.get(wanted);
      if (exact) return exact;
      const base = wanted.split('-')[0]!;
      return byLower.get(base) ?? bundle.languages.find((lng) => lng.toLowerCase().split('-')[0] === base);
    },
  };
}
