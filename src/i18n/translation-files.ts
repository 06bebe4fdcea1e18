/** PO and CSV files for translators: every string with its English source and where it appears. */

/** One translatable string. Keyword lists (intents) travel as lines joined by " | ". */
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
  return Array.isArray(like) ? text.split('|').map((w) => w.trim()).filter(Boolean) : text;
}

const poQuote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
const poUnquote = (s: string) =>
  s
    .slice(1, -1)
    .replace(/\\(n|t|"|\\)/g, (_, c: string) => ({ n: '\n', t: '\t', '"': '"', '\\': '\\' })[c]!);

/** Writes a gettext PO file (msgctxt = key, msgid = English, msgstr = translation). */
export function toPo(entries: readonly TranslationEntry[], language: string): string {
  const head = ['msgid ""', 'msgstr ""', poQuote(`Language: ${language}\n`), poQuote('Content-Type: text/plain; charset=UTF-8\n'), poQuote('X-Generator: lantern i18n export\n'), ''];
  const body = entries.flatMap((e) => [...e.where.map((w) => `#: ${w}`), `msgctxt ${poQuote(e.key)}`, `msgid ${poQuote(e.source)}`, `msgstr ${poQuote(e.translation)}`, '']);
  return [...head, ...body].join('\n');
}

/** Reads a PO file written by `toPo` (or edited in Poedit and similar tools): key -> translation. */
export function fromPo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let field: 'msgctxt' | 'msgid' | 'msgstr' | undefined;
  let current: Record<string, string> = {};
  const flush = () => {
    if (current.msgctxt !== undefined && current.msgstr !== undefined) out.set(current.msgctxt, current.msgstr);
    current = {};
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const start = /^(msgctxt|msgid|msgstr)\s+(".*")$/.exec(line);
    if (start) {
      if (start[1] === 'msgctxt' || (start[1] === 'msgid' && current.msgstr !== undefined)) flush();
      field = start[1] as typeof field;
      current[field!] = poUnquote(start[2]!);
    } else if (/^".*"$/.test(line) && field) {
      current[field] += poUnquote(line);
    } else if (line === '') {
      field = undefined;
    }
  }
  flush();
  return out;
}

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Writes CSV: key, english, translation, where. */
export function toCsv(entries: readonly TranslationEntry[]): string {
  return ['key,english,translation,where', ...entries.map((e) => [e.key, e.source, e.translation, e.where.join('; ')].map(csvCell).join(','))].join('\n') + '\n';
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
