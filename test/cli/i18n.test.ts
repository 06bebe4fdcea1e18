import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromCsv, fromPo, toCsv, toPo } from '../../src/i18n/index.js';
import { lantern } from '../helpers/cli.js';
import { contentCopy } from '../helpers/content.js';

/** A fake translation: every English text prefixed, every keyword list reversed. */
function fakeLocale(dir: string): Record<string, string> {
  const folder = join(dir, 'locales/xx');
  cpSync(join(dir, 'locales/en'), folder, { recursive: true });
  const files: Record<string, string> = {};
  for (const file of readdirSync(folder)) {
    const mark = (v: unknown): unknown =>
      typeof v === 'string' ? `«xx» ${v}` : Array.isArray(v) ? [...v].reverse() : Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, mark(x)]));
    const value =
      file === '_meta.json'
        ? { ...JSON.parse(readFileSync(join(folder, file), 'utf8')), name: 'Test', nativeName: 'Test' }
        : mark(JSON.parse(readFileSync(join(folder, file), 'utf8')));
    files[file] = `${JSON.stringify(value, null, 2)}\n`;
    writeFileSync(join(folder, file), files[file]!);
  }
  return files;
}

describe('lantern i18n', () => {
  for (const format of ['po', 'csv']) {
    it(`export then import (${format}) gives back every string, unchanged`, async () => {
      const copy = contentCopy({});
      try {
        for (const lng of readdirSync(join(copy.dir, 'locales'))) if (lng !== 'en') rmSync(join(copy.dir, 'locales', lng), { recursive: true });
        const original = fakeLocale(copy.dir);
        const translations = join(copy.dir, 'xx.out');
        const exported = await lantern(['i18n', 'export', '--dir', copy.dir, '--lang', 'xx', '--format', format, '--out', translations]);
        expect(exported.code, exported.err).toBe(0);
        const text = readFileSync(translations, 'utf8');
        // The translator sees the English source and where each string appears.
        expect(text).toContain('Learn my rights');
        expect(text).toContain('flows/main.flow.yaml states.menu.choices.2.label');
        for (const file of Object.keys(original)) if (file !== '_meta.json') rmSync(join(copy.dir, 'locales/xx', file));
        const imported = await lantern(['i18n', 'import', '--dir', copy.dir, '--lang', 'xx', '--format', format, translations]);
        expect(imported.code, imported.err).toBe(0);
        for (const [file, json] of Object.entries(original)) expect(readFileSync(join(copy.dir, 'locales/xx', file), 'utf8'), file).toBe(json);
      } finally {
        copy.cleanup();
      }
    });
  }

  it('PO and CSV survive quotes, commas, line breaks and non-Latin scripts', () => {
    const entries = [
      { key: 'a.b', source: 'He said "hi",\nthen left', translation: 'Він сказав "привіт",\nі пішов \\ ok', where: ['x'] },
      { key: 'a.c', source: 'ok', translation: 'مرحبا', where: [] },
    ];
    expect(Object.fromEntries(fromPo(toPo(entries, 'uk')).translations)).toEqual({ 'a.b': entries[0]!.translation, 'a.c': 'مرحبا' });
    expect(Object.fromEntries(fromCsv(toCsv(entries)))).toEqual({ 'a.b': entries[0]!.translation, 'a.c': 'مرحبا' });
  });

  it('skips a `#, fuzzy` entry with a warning naming its line, and imports the rest', () => {
    const text = [
      'msgid ""',
      'msgstr ""',
      '"Language: uk\\n"',
      '',
      '#: flows/main.flow.yaml states.menu.ask',
      'msgctxt "menu.question"',
      'msgid "What would you like to do?"',
      'msgstr "Що ви хочете зробити?"',
      '',
      '#, fuzzy',
      'msgctxt "menu.welcome"',
      'msgid "Hello!"',
      'msgstr "Привіт?"',
      '',
    ].join('\n');
    const { translations, warnings } = fromPo(text, 'uk.po');
    expect(Object.fromEntries(translations)).toEqual({ 'menu.question': 'Що ви хочете зробити?' });
    expect(warnings).toEqual([expect.stringMatching(/^uk\.po:11: warning: `menu\.welcome` is marked fuzzy/)]);
  });

  it("reads msgid_plural / msgstr[n] as i18next plural keys, in the language's own order", () => {
    const text = [
      'msgid ""',
      'msgstr ""',
      '"Language: uk\\n"',
      '"Plural-Forms: nplurals=4; plural=(n % 1 != 0 ? 3 : n % 10 == 1 && n % 100 != 11 ? 0 : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 1 : 2);\\n"',
      '',
      'msgctxt "check.ad_found"',
      'msgid "I found {{count}} warning sign in this ad:"',
      'msgid_plural "I found {{count}} warning signs in this ad:"',
      'msgstr[0] "Я знайшов {{count}} тривожну ознаку:"',
      'msgstr[1] "Я знайшов {{count}} тривожні ознаки:"',
      'msgstr[2] "Я знайшов {{count}} тривожних ознак:"',
      'msgstr[3] "Я знайшов {{count}} тривожної ознаки:"',
      '',
    ].join('\n');
    expect(Object.fromEntries(fromPo(text).translations)).toEqual({
      'check.ad_found_one': 'Я знайшов {{count}} тривожну ознаку:',
      'check.ad_found_few': 'Я знайшов {{count}} тривожні ознаки:',
      'check.ad_found_many': 'Я знайшов {{count}} тривожних ознак:',
      'check.ad_found_other': 'Я знайшов {{count}} тривожної ознаки:',
    });
  });

  it('writes plural texts as one msgid_plural entry with a form per plural category, and reads them back', () => {
    const entries = [
      { key: 'check.ad_found_few', source: 'signs', translation: 'признака', where: [] },
      { key: 'check.ad_found_many', source: 'signs', translation: 'признаков', where: [] },
      { key: 'check.ad_found_one', source: 'sign', translation: 'признак', where: ['flows/job_ad.flow.yaml'] },
      { key: 'check.ad_found_other', source: 'signs', translation: 'признака (дробь)', where: ['flows/job_ad.flow.yaml'] },
    ];
    const text = toPo(entries, 'ru');
    expect(text).toContain('X-Plural-Categories: one, few, many, other');
    expect(text).toContain(
      'msgctxt "check.ad_found"\nmsgid "sign"\nmsgid_plural "signs"\nmsgstr[0] "признак"\nmsgstr[1] "признака"\nmsgstr[2] "признаков"\nmsgstr[3] "признака (дробь)"',
    );
    expect(Object.fromEntries(fromPo(text).translations)).toEqual(Object.fromEntries(entries.map((e) => [e.key, e.translation])));
  });

  it('import reports a fuzzy entry on standard error and leaves its text out', async () => {
    const copy = contentCopy({});
    try {
      const file = join(copy.dir, 'uk.po');
      const exported = await lantern(['i18n', 'export', '--dir', copy.dir, '--lang', 'uk', '--out', file]);
      expect(exported.code, exported.err).toBe(0);
      const lines = readFileSync(file, 'utf8').split('\n');
      const at = lines.indexOf('msgctxt "menu.welcome"');
      lines.splice(at, 0, '#, fuzzy');
      const welcome = lines.findIndex((l, i) => i > at + 1 && l.startsWith('msgstr '));
      lines[welcome] = 'msgstr "FUZZY GUESS"';
      writeFileSync(file, lines.join('\n'));
      const imported = await lantern(['i18n', 'import', '--dir', copy.dir, '--lang', 'uk', file]);
      expect(imported.code, imported.err).toBe(0);
      expect(imported.err).toContain(`${file}:${at + 2}: warning: \`menu.welcome\` is marked fuzzy`);
      expect(readFileSync(join(copy.dir, 'locales/uk/menu.json'), 'utf8')).not.toContain('FUZZY GUESS');
    } finally {
      copy.cleanup();
    }
  });

  it('refuses English and a missing language with a usage error', async () => {
    expect((await lantern(['i18n', 'export', '--lang', 'en'])).code).toBe(2);
    expect((await lantern(['i18n', 'export'])).code).toBe(2);
  });
});
