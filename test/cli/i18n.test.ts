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
    const mark = (v: unknown): unknown => (typeof v === 'string' ? `«xx» ${v}` : Array.isArray(v) ? [...v].reverse() : Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, mark(x)])));
    const value = file === '_meta.json' ? { ...JSON.parse(readFileSync(join(folder, file), 'utf8')), name: 'Test', nativeName: 'Test' } : mark(JSON.parse(readFileSync(join(folder, file), 'utf8')));
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
    const entries = [{ key: 'a.b', source: 'He said "hi",\nthen left', translation: 'Він сказав "привіт",\nі пішов \\ ok', where: ['x'] }, { key: 'a.c', source: 'ok', translation: 'مرحبا', where: [] }];
    expect(Object.fromEntries(fromPo(toPo(entries, 'uk')))).toEqual({ 'a.b': entries[0]!.translation, 'a.c': 'مرحبا' });
    expect(Object.fromEntries(fromCsv(toCsv(entries)))).toEqual({ 'a.b': entries[0]!.translation, 'a.c': 'مرحبا' });
  });

  it('refuses English and a missing language with a usage error', async () => {
    expect((await lantern(['i18n', 'export', '--lang', 'en'])).code).toBe(2);
    expect((await lantern(['i18n', 'export'])).code).toBe(2);
  });
});
