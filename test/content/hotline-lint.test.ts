/** `lantern lint` on the hotline directory: a number checked over a year ago, and translated helpline texts. */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintContent } from '../../src/content/index.js';
import { checkRegistryFor } from '../../src/engine/index.js';
import { contentCopy, loadShipped } from '../helpers/content.js';

const lint = (paths?: Parameters<typeof loadShipped>[0], today?: string) => {
  const { content, sources } = loadShipped(paths);
  return lintContent(content, sources, checkRegistryFor(content), today);
};
const checkedWarnings = (problems: ReturnType<typeof lint>) => problems.filter((p) => p.message.includes('more than 12 months ago'));

describe('lantern lint on hotlines', () => {
  it('warns, naming the line, when a helpline was last checked more than 12 months ago', () => {
    const { content } = loadShipped();
    const lines = Object.values(content.hotlines.countries).flatMap((c) => c.helplines);
    const dates = lines.map((h) => h.checked).sort();
    const [oldest, newest] = [dates[0]!, dates.at(-1)!];
    const yearAfter = (day: string, plusDays: number) =>
      new Date(Date.parse(`${Number(day.slice(0, 4)) + 1}${day.slice(4)}`) + plusDays * 86_400_000).toISOString().slice(0, 10);
    // A year and a day after the newest check every line is stale; exactly a year after the oldest, none is yet.
    const stale = checkedWarnings(lint(undefined, yearAfter(newest, 1)));
    expect(stale).toHaveLength(lines.length);
    expect(stale.every((p) => p.severity === 'warning' && p.file.endsWith('hotlines.yaml') && p.line > 1)).toBe(true);
    expect(stale[0]!.message).toMatch(/^`[a-z]{2}-[a-z0-9-]+` was last checked on \d{4}-\d{2}-\d{2}/);
    expect(checkedWarnings(lint(undefined, yearAfter(oldest, 0)))).toEqual([]);
  });

  it('takes a translated helpline name and purpose without an English key, and warns about an unknown helpline id', () => {
    const copy = contentCopy({});
    try {
      const file = `${copy.paths.localesDir}/ru/hotlines.json`;
      const texts = JSON.parse(readFileSync(file, 'utf8'));
      texts.lines = { 'md-lastrada': { name: 'Горячая линия', purpose: 'Помощь' }, 'md-nosuchline': { name: 'Нет такой' } };
      writeFileSync(file, JSON.stringify(texts));
      const problems = lint(copy.paths).filter((p) => p.path?.toString().includes('lines') || p.message.includes('lines.'));
      expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('`md-nosuchline` is not an id in flows/hotlines.yaml')]);
    } finally {
      copy.cleanup();
    }
  });
});
