/** A language the picker offers: code, name in that language (endonym), direction. */
export type WidgetLanguage = readonly [code: string, name: string, direction: 'ltr' | 'rtl'];

/** Used only when the server passes no list (the widget is always given the locales' list). */
export const ENGLISH_ONLY: readonly WidgetLanguage[] = [['en', 'English', 'ltr']];

/** The widget's own words, read from `locales/<lang>/widget.json` (keys without the `widget.` prefix). */
export const WIDGET_KEYS = ['open', 'title', 'quick_exit', 'quick_exit_hint', 'language', 'close', 'unavailable', 'loading', 'message', 'send'] as const;

export type WidgetKey = (typeof WIDGET_KEYS)[number];

/** Last resort when no translation is wired or the English file lacks a key; same as locales/en/widget.json. */
const ENGLISH: Record<WidgetKey, string> = {
  open: 'Chat',
  title: 'Help chat',
  quick_exit: 'Quick exit',
  quick_exit_hint: 'Leave this page now and clear the chat from this browser',
  language: 'Language',
  close: 'Close',
  unavailable: 'The chat is not available right now.',
  loading: 'Connecting…',
  message: 'Type your message',
  send: 'Send',
};

/** Looks up a full key (`widget.quick_exit`) in a language; may return the key itself when nobody has it (i18next does). */
export type WidgetTranslate = (language: string, key: string) => string | undefined;

function wordsOf(translate: WidgetTranslate | undefined, language: string, fallback: Record<WidgetKey, string>): Record<WidgetKey, string> {
  const words = { ...fallback };
  for (const key of WIDGET_KEYS) {
    const text = translate?.(language, `widget.${key}`)?.trim();
    // i18next answers a missing key with the key: that is no text to show.
    if (text && text !== `widget.${key}`) words[key] = text;
  }
  return words;
}

/**
 * The widget's words for every picker language: English in full, and for each other language
 * only the words its translation changes (a cheap phone downloads a few hundred bytes, not every
 * language in full).
 */
export function widgetStrings(
  translate: WidgetTranslate | undefined,
  languages: readonly WidgetLanguage[],
  keys: readonly WidgetKey[] = WIDGET_KEYS,
): Record<string, Partial<Record<WidgetKey, string>>> {
  const english = wordsOf(translate, 'en', ENGLISH);
  const strings: Record<string, Partial<Record<WidgetKey, string>>> = { en: Object.fromEntries(keys.map((key) => [key, english[key]])) };
  for (const [code] of languages) {
    if (code === 'en') continue;
    const words = wordsOf(translate, code, english);
    const changed = Object.fromEntries(keys.filter((key) => words[key] !== english[key]).map((key) => [key, words[key]]));
    if (Object.keys(changed).length > 0) strings[code] = changed;
  }
  return strings;
}

/** The picker language closest to a requested tag (exact, then the same base language), else undefined. */
export function findLanguage(languages: readonly WidgetLanguage[], requested: string | undefined): WidgetLanguage | undefined {
  const lower = (requested ?? '').toLowerCase();
  if (!lower) return undefined;
  return languages.find(([code]) => code.toLowerCase() === lower) ?? languages.find(([code]) => code.toLowerCase().split('-')[0] === lower.split('-')[0]);
}

/** JSON that can be inlined into a script element: `<` escaped so it can never close the element. */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
