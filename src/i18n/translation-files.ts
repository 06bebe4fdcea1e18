/** PO and CSV files for translators: every string with its English source and where it appears. */
import { po, type PoEntry } from 'gettext-parser';

/** One translatable string. A list value travels as its items joined by " | ". */
export interface TranslationEntry {
  key: string;
  source: string;
  translation: string;
  /** Where the text is used (flow states, facts, or "code"). */
  where: string[];
}

const LIST_SEPARATOR = ' | ';

/** Flattens a value for a translator: a list becomes one line. */
export function entryText(value: string | string[] | undefined): string {
  return value === undefined ? '' : Array.isArray(value) ? value.join(LIST_SEPARATOR) : value;
}

/** Reads a translator's line back into a value shaped like the English one. */
export function entryValue(text: string, like: string | string[]): string | string[] {
  return Array.isArray(like)
    ? text
        .split('|')
        .map((w) => w.trim())
        .filter(Boolean)
    : text;
}

/** i18next's plural suffixes, in the order gettext numbers a language's forms (msgstr[0], [1]...). */
const PLURAL_ORDER = ['zero', 'one', 'two', 'few', 'many', 'other'] as const;
const PLURAL_KEY = /^(.*)_(zero|one|two|few|many|other)$/;
const CATEGORIES_HEADER = 'X-Plural-Categories';

/** The plural forms a language has, in msgstr order (e.g. uk: one, few, many, other). */
function pluralCategories(language: string): string[] {
  let have: readonly string[];
  try {
    have = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
  } catch {
    have = ['one', 'other'];
  }
  return PLURAL_ORDER.filter((c) => have.includes(c));
}

/**
 * Writes a gettext PO file: msgctxt = key, msgid = English, msgstr = translation. Plural texts
 * (`key_one`, `key_other`...) become one entry with msgid_plural and a msgstr[n] per form of the
 * language, in the order the `X-Plural-Categories` header names.
 */
export function toPo(entries: readonly TranslationEntry[], language: string): string {
  const categories = pluralCategories(language);
  const translations: Record<string, Record<string, PoEntry>> = { '': { '': { msgid: '', msgstr: [''] } } };
  const add = (entry: PoEntry) => {
    translations[entry.msgctxt!] = { [entry.msgid]: entry };
  };
  const plurals = new Map<string, Map<string, TranslationEntry>>();
  for (const e of entries) {
    const m = PLURAL_KEY.exec(e.key);
    if (m) plurals.set(m[1]!, (plurals.get(m[1]!) ?? new Map()).set(m[2]!, e));
  }
  // A plain key next to its plural forms (English `ad_found` + `ad_found_other`): keep each key its own entry.
  for (const e of entries) plurals.delete(e.key);
  const done = new Set<string>();
  for (const e of entries) {
    const m = PLURAL_KEY.exec(e.key);
    const reference = e.where.length ? { reference: e.where.join('\n') } : undefined;
    if (!m || !plurals.has(m[1]!)) {
      add({ msgctxt: e.key, msgid: e.source, msgstr: [e.translation], ...(reference ? { comments: reference } : {}) });
      continue;
    }
    const base = m[1]!;
    if (done.has(base)) continue;
    done.add(base);
    const forms = plurals.get(base)!;
    const other = forms.get('other') ?? e;
    const where = [...new Set([...forms.values()].flatMap((f) => f.where))];
    add({
      msgctxt: base,
      msgid: (forms.get('one') ?? other).source,
      msgid_plural: other.source,
      msgstr: categories.map((c) => forms.get(c)?.translation ?? ''),
      ...(where.length ? { comments: { reference: where.join('\n') } } : {}),
    });
  }
  const headers = {
    Language: language,
    'Content-Type': 'text/plain; charset=UTF-8',
    'X-Generator': 'lantern i18n export',
    [CATEGORIES_HEADER]: categories.join(', '),
  };
  return po.compile({ charset: 'utf-8', headers, translations }, { foldLength: 0 }).toString('utf8') + '\n';
}

/** What `fromPo` read: key -> translation, and warnings naming the line of each entry it skipped. */
export interface PoImport {
  translations: Map<string, string>;
  warnings: string[];
}

/**
 * Reads a PO file written by `toPo` (or edited in Poedit and similar tools) with gettext-parser.
 * A `#, fuzzy` entry is a guess nobody has reviewed: it is skipped, with a warning naming its line.
 * A plural entry's msgstr[n] become i18next's `key_one`, `key_few`... in the file's
 * `X-Plural-Categories` order (the language's own order when the header is missing).
 */
export function fromPo(text: string, file = 'the PO file'): PoImport {
  const data = po.parse(text, { defaultCharset: 'utf-8' });
  const header = Object.entries(data.headers).find(([name]) => name.toLowerCase() === CATEGORIES_HEADER.toLowerCase())?.[1];
  const language = Object.entries(data.headers).find(([name]) => name.toLowerCase() === 'language')?.[1] ?? 'en';
  const categories = header
    ? header
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean)
    : pluralCategories(language);
  const lines = contextLines(text);
  const translations = new Map<string, string>();
  const warnings: string[] = [];
  for (const [context, byId] of Object.entries(data.translations)) {
    for (const entry of Object.values(byId)) {
      if (!context && !entry.msgid) continue;
      const key = context || entry.msgid;
      if ((entry.comments?.flag ?? '').split(/[\s,]+/).includes('fuzzy')) {
        const line = lines.get(key);
        warnings.push(
          `${file}${line ? `:${line}` : ''}: warning: \`${key}\` is marked fuzzy (a guess nobody has reviewed), so it was not imported: review the text and remove its \`#, fuzzy\` line`,
        );
        continue;
      }
      if (entry.msgid_plural === undefined) {
        translations.set(key, entry.msgstr[0] ?? '');
        continue;
      }
      entry.msgstr.forEach((value, i) => {
        const category = categories[i];
        if (category) translations.set(`${key}_${category}`, value);
        else
          warnings.push(
            `${file}${lines.get(key) ? `:${lines.get(key)}` : ''}: warning: \`${key}\` has more plural forms (${entry.msgstr.length}) than ${CATEGORIES_HEADER} names (${categories.join(', ')}): msgstr[${i}] was not imported`,
          );
      });
    }
  }
  return { translations, warnings };
}

/** The line each msgctxt starts on (entries are keyed by their context), counting from 1. */
function contextLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  text.split(/\r?\n/).forEach((line, i) => {
    const m = /^msgctxt\s+"((?:[^"\\]|\\.)*)"\s*$/.exec(line);
    if (m) out.set(m[1]!.replace(/\\(["\\])/g, '$1'), i + 1);
  });
  return out;
}

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Writes CSV: key, english, translation, where. */
export function toCsv(entries: readonly TranslationEntry[]): string {
  return (
    ['key,english,translation,where', ...entries.map((e) => [e.key, e.source, e.translation, e.where.join('; ')].map(csvCell).join(','))].join('\n') + '\n'
  );
}

/** Reads CSV written by `toCsv` (or a spreadsheet): key -> translation. */
export function fromCsv(text: string): Map<string, string> {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  const [header, ...data] = rows;
  const keyAt = header?.indexOf('key') ?? -1;
  const translationAt = header?.indexOf('translation') ?? -1;
  if (keyAt < 0 || translationAt < 0) throw new Error('the CSV needs a header row with the columns key and translation');
  return new Map(data.filter((r) => r[keyAt]).map((r) => [r[keyAt]!, r[translationAt] ?? '']));
}
