/** Locales: loading, rendering, language negotiation. */
export { loadLocales, flattenKeys, SOURCE_LANGUAGE, type LocaleBundle, type LocaleValue } from './load-locales.js';
export { createTranslator, type Translator } from './translator.js';
export { localeMetaSchema, type LocaleMeta } from './locale-meta-schema.js';
export { toPo, fromPo, toCsv, fromCsv, entryText, entryValue, type TranslationEntry } from './translation-files.js';
