/** `lantern lint` on fact sources: a fact resting on a news or commercial page gets a warning naming its line. */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintContent } from '../../src/content/index.js';
import { checkRegistryFor } from '../../src/engine/index.js';
import { contentCopy, loadShipped } from '../helpers/content.js';

const sourceWarnings = (paths?: Parameters<typeof loadShipped>[0]) => {
  const { content, sources } = loadShipped(paths);
  return lintContent(content, sources, checkRegistryFor(content)).filter((p) => p.message.includes('not a primary source'));
};

describe('lantern lint on fact sources', () => {
  it('finds every shipped fact on a primary or government source', () => {
    expect(sourceWarnings()).toEqual([]);
  });

  it('warns at the line of a news source, and takes a government host or a listed host', () => {
    const copy = contentCopy({});
    try {
      const file = `${copy.paths.flowsDir}/facts.yaml`;
      const shipped = readFileSync(file, 'utf8');
      const urls = [...shipped.matchAll(/^\s+url: (\S+)$/gm)].map((m) => m[1]!);
      let edited = shipped.replace(urls[0]!, 'https://www.example-news.com/2024/ilo-report');
      edited = edited.replace(urls[1]!, 'https://www.labour.gov.ph/advisory');
      writeFileSync(file, edited);
      const warnings = sourceWarnings(copy.paths);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ severity: 'warning', line: edited.split('\n').findIndex((l) => l.includes('example-news')) + 1 });
      expect(warnings[0]!.message).toMatch(/cites www\.example-news\.com, which is not a primary source/);

      writeFileSync(file, edited.replace('primarySources:\n', 'primarySources:\n  - example-news.com\n'));
      expect(sourceWarnings(copy.paths)).toEqual([]);
    } finally {
      copy.cleanup();
    }
  });
});
