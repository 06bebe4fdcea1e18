/** Locales: the loaded bundle's shape, rendering with i18next, language negotiation, translator files. (src/content reads locales/.) */
export { flattenKeys, SOURCE_LANGUAGE, type LocaleBundle, type LocaleValue } from './locale-bundle.js';
export { createTranslator, type Translator } from './translator.js';
export { localeMetaSchema, type LocaleMeta } from './locale-meta-schema.js';
export { toPo, fromPo, toCsv, fromCsv, entryText, entryValue, type PoImport, type TranslationEntry } from './translation-files.js';
