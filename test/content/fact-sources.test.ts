/** `lantern lint` on fact sources: a fact resting on a news or commercial page gets a warning naming its line. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { factFileSchema, lintContent, parseYamlSource, validateYaml, type Content, type Sources } from '../../src/content/index.js';
import { checkRegistryFor } from '../../src/engine/index.js';
import { loadShipped, root } from '../helpers/content.js';

const sourceWarnings = ({ content, sources }: { content: Content; sources: Sources }) =>
  lintContent(content, sources, checkRegistryFor(content)).filter((p) => p.message.includes('not a primary source'));

/**
 * The shipped content with flows/facts.yaml replaced by `text`, read as loadContent reads it (the
 * other files are loaded once for the file, not again for each edit).
 */
function withFacts(text: string): { content: Content; sources: Sources } {
  const shipped = loadShipped();
  const source = parseYamlSource(text, 'flows/facts.yaml');
  const { value: facts, problems } = validateYaml(source, factFileSchema);
  expect(problems).toEqual([]);
  return { content: { ...shipped.content, facts: facts! }, sources: new Map(shipped.sources).set(source.file, source) };
}

describe('lantern lint on fact sources', () => {
  it('finds every shipped fact on a primary or government source', () => {
    expect(sourceWarnings(loadShipped())).toEqual([]);
  });

  it('warns at the line of a news source, and takes a government host or a listed host', () => {
    const shipped = readFileSync(join(root, 'flows/facts.yaml'), 'utf8');
    const urls = [...shipped.matchAll(/^\s+url: (\S+)$/gm)].map((m) => m[1]!);
    let edited = shipped.replace(urls[0]!, 'https://www.example-news.com/2024/ilo-report');
    edited = edited.replace(urls[1]!, 'https://www.labour.gov.ph/advisory');
    const warnings = sourceWarnings(withFacts(edited));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      severity: 'warning',
      file: 'flows/facts.yaml',
      line: edited.split('\n').findIndex((l) => l.includes('example-news')) + 1,
    });
    expect(warnings[0]!.message).toMatch(/cites www\.example-news\.com, which is not a primary source/);

    expect(sourceWarnings(withFacts(edited.replace('primarySources:\n', 'primarySources:\n  - example-news.com\n')))).toEqual([]);
  });
});
