import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromCsv, fromPo, toCsv, toPo } from '../../src/i18n/index.js';
import { contentCopy, root } from '../helpers/content.js';

const lantern = (cwd: string, args: string[]) => spawnSync(process.execPath, [join(root, 'bin/lantern.js'), ...args], { cwd, encoding: 'utf8', timeout: 60_000 });

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
    it(`export then import (${format}) gives back every string, unchanged`, () => {
      const copy = contentCopy({});
      try {
        for (const lng of readdirSync(join(copy.dir, 'locales'))) if (lng !== 'en') rmSync(join(copy.dir, 'locales', lng), { recursive: true });
        const original = fakeLocale(copy.dir);
        const exported = lantern(copy.dir, ['i18n', 'export', '--lang', 'xx', '--format', format, '--out', 'xx.out']);
        expect(exported.status, exported.stderr).toBe(0);
        const text = readFileSync(join(copy.dir, 'xx.out'), 'utf8');
        // The translator sees the English source and where each string appears.
        expect(text).toContain('Learn my rights');
        expect(text).toContain('flows/main.flow.yaml states.menu.choices.2.label');
        for (const file of Object.keys(original)) if (file !== '_meta.json') rmSync(join(copy.dir, 'locales/xx', file));
        const imported = lantern(copy.dir, ['i18n', 'import', '--lang', 'xx', '--format', format, 'xx.out']);
        expect(imported.status, imported.stderr).toBe(0);
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

  it('refuses English and a missing language with a usage error', () => {
    expect(lantern(root, ['i18n', 'export', '--lang', 'en']).status).toBe(2);
    expect(lantern(root, ['i18n', 'export']).status).toBe(2);
  });
});
