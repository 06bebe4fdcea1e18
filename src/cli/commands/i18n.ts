/** `lantern i18n export|import`: the translator round trip, as PO or CSV. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CODE_KEYS } from '../../engine/index.js';
import { keysOf, loadContent, type Content } from '../../content/index.js';
import { entryText, entryValue, flattenKeys, fromCsv, fromPo, toCsv, toPo, type LocaleValue, type TranslationEntry } from '../../i18n/index.js';
import { UsageError, type Command } from '../command.js';
import { contentPaths, printProblems } from '../project.js';

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Where each text key appears, for the translator's context. */
function whereUsed(content: Content): Map<string, string[]> {
  const where = new Map<string, string[]>();
  const add = (key: string, place: string) => where.set(key, [...(where.get(key) ?? []), place]);
  for (const flow of content.flows.values()) {
    for (const [name, state] of Object.entries(flow.states))
      for (const { key, where: path } of keysOf(state)) add(key, `${flow.file} states.${name}.${path.join('.')}`);
  }
  content.facts.facts.forEach((f, i) => {
    add(f.text, `flows/facts.yaml facts[${i}] (${f.id})`);
    if (f.myth) add(f.myth, `flows/facts.yaml facts[${i}] (${f.id}, the myth)`);
  });
  content.indicators.forEach((ind, i) => {
    for (const field of ['question', 'explanation', 'advice'] as const) {
      const key = (ind as Record<string, unknown>)[field];
      if (typeof key === 'string') add(key, `flows/indicators.yaml indicators[${i}].${field} (${ind.id})`);
    }
  });
  return where;
}

/** Every string of `lng` paired with its English source. */
export function translationEntries(content: Content, lng: string): TranslationEntry[] {
  const en = flattenKeys(content.locales.resources.en ?? {});
  const mine = flattenKeys(content.locales.resources[lng] ?? {});
  const where = whereUsed(content);
  const keys = [...en.keys()];
  // Plural forms the language has and English does not (e.g. _few), next to their English `_other`.
  for (const key of mine.keys()) if (!en.has(key) && PLURAL.test(key) && en.has(key.replace(PLURAL, '_other'))) keys.push(key);
  return keys.sort().map((key) => {
    const base = key.replace(PLURAL, '');
    const source = en.get(key) ?? en.get(key.replace(PLURAL, '_other'))!;
    const used = where.get(base) ?? (CODE_KEYS.some((p) => base.startsWith(p)) ? ['shown by the bot itself (src/engine)'] : []);
    return { key, source: entryText(source), translation: entryText(mine.get(key)), where: used };
  });
}

function setPath(target: Record<string, LocaleValue>, path: string[], value: LocaleValue): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    if (next === undefined || typeof next !== 'object' || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, LocaleValue>;
  }
  node[path.at(-1)!] = value;
}

/** Orders keys as English does (so diffs stay small); plural forms sit where English has them. */
function orderLike(value: LocaleValue, like: LocaleValue | undefined): LocaleValue {
  if (typeof value !== 'object' || Array.isArray(value) || typeof like !== 'object' || Array.isArray(like)) return value;
  const rank = (key: string) => {
    const keys = Object.keys(like);
    const at = keys.indexOf(key);
    return at >= 0 ? at : keys.indexOf(key.replace(PLURAL, '')) + 0.5;
  };
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => rank(a) - rank(b))
      .map(([k, v]) => [k, orderLike(v, like[k])]),
  );
}

/** `lantern i18n export|import --format po|csv --lang xx` */
export const i18nCommand: Command = {
  usage:
    'lantern i18n export --lang xx [--format po|csv] [--out file] [--dir path]\n       lantern i18n import --lang xx [--format po|csv] [--dir path] <file>',
  options: {
    lang: { type: 'string', description: 'The language to export or import (a folder name in locales/).' },
    format: { type: 'string', description: 'po (default) or csv.' },
    out: { type: 'string', description: 'Export: write here instead of standard output.' },
    dir: { type: 'string', description: 'Folder holding flows/ and locales/.' },
  },
  details: () =>
    'Import writes locales/<lang>/*.json; empty translations are skipped (the English text stays the fallback), and so are PO entries marked `#, fuzzy` (with a warning naming the line). Plural PO entries (msgid_plural, msgstr[n]) become key_one, key_few... Run `lantern lint` afterwards.',
  async run(values, positionals, io) {
    const [action, file] = positionals;
    const format = (values.format as string | undefined) ?? 'po';
    const lng = values.lang as string | undefined;
    if (action !== 'export' && action !== 'import') throw new UsageError('say `export` or `import`');
    if (format !== 'po' && format !== 'csv') throw new UsageError(`unknown format \`${format}\`: use po or csv`);
    if (!lng || !/^[a-z]{2,3}(-[A-Z]{2})?$/.test(lng)) throw new UsageError('name the language with --lang, e.g. --lang uk or --lang pt-BR');
    if (lng === 'en') throw new UsageError('English is the source language; export another language');
    const paths = contentPaths(values.dir as string | undefined);
    // File names in the translator's context read as in the content folder (flows/main.flow.yaml).
    const loaded = loadContent(paths, values.dir ? resolve(values.dir as string) : process.cwd());
    if (!loaded.content) {
      printProblems(loaded.problems, io.stderr);
      return 1;
    }
    const content = loaded.content;
    if (action === 'export') {
      const entries = translationEntries(content, lng);
      const text = format === 'po' ? toPo(entries, lng) : toCsv(entries);
      if (values.out) writeFileSync(values.out as string, text);
      else io.stdout.write(text);
      const done = entries.filter((e) => e.translation).length;
      io.stderr.write(`${entries.length} strings exported for ${lng} (${done} translated, ${entries.length - done} to do).\n`);
      return 0;
    }
    if (!file || !existsSync(file)) throw new UsageError('name the file to import');
    const read = format === 'po' ? fromPo(readFileSync(file, 'utf8'), file) : { translations: fromCsv(readFileSync(file, 'utf8')), warnings: [] };
    for (const warning of read.warnings) io.stderr.write(`${warning}\n`);
    const incoming = read.translations;
    const en = flattenKeys(content.locales.resources.en ?? {});
    const resources: Record<string, Record<string, LocaleValue>> = structuredClone(
      (content.locales.resources[lng] ?? {}) as Record<string, Record<string, LocaleValue>>,
    );
    let updated = 0;
    const unknown: string[] = [];
    for (const [key, text] of incoming) {
      const like = en.get(key) ?? en.get(key.replace(PLURAL, '_other'));
      if (like === undefined) {
        unknown.push(key);
        continue;
      }
      if (!text.trim()) continue;
      const [ns, ...path] = key.split('.');
      resources[ns!] ??= {};
      setPath(resources[ns!]!, path, entryValue(text, like));
      updated++;
    }
    const dir = join(paths.localesDir, lng);
    mkdirSync(dir, { recursive: true });
    const english = (content.locales.resources.en ?? {}) as Record<string, LocaleValue>;
    for (const [ns, value] of Object.entries(resources)) writeFileSync(join(dir, `${ns}.json`), `${JSON.stringify(orderLike(value, english[ns]), null, 2)}\n`);
    if (!existsSync(join(dir, '_meta.json')))
      io.stderr.write(
        `note: add locales/${lng}/_meta.json (name, nativeName, direction, translatedBy, reviewedByNativeSpeaker) before this language is shipped.\n`,
      );
    io.stderr.write(
      `${updated} strings imported into locales/${lng}/; ${incoming.size - updated - unknown.length} empty skipped${unknown.length ? `; ${unknown.length} unknown keys ignored: ${unknown.slice(0, 5).join(', ')}` : ''}. Run \`lantern lint\` next.\n`,
    );
    return 0;
  },
};
