/** Broken word lists and rules: every problem names file, line and column (one fixture per message). */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadContent } from '../../src/content/index.js';
import { loadUnderstanding } from '../../src/content/index.js';
import { contentCopy, root } from '../helpers/content.js';

const dir = join(root, 'test/fixtures/broken-understanding');
/** Fixtures and the folder under understanding/ each is copied to (word lists and rules, or examples). */
const fixtures = ['', 'examples/'].flatMap((sub) =>
  readdirSync(join(dir, sub))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `${sub}${f}`),
);

describe('broken understanding files', () => {
  for (const fixture of fixtures) {
    it(fixture, () => {
      const target = `${fixture.includes('/') ? 'examples/' : ''}${fixture.split('.').at(-2)}.yaml`;
      const text = readFileSync(join(dir, fixture), 'utf8');
      const [, line, column, message] = /^# expect: (\d+):(\d+) (.+)$/m.exec(text)!;
      const flows = mkdtempSync(join(tmpdir(), 'lantern-und-'));
      try {
        cpSync(join(root, 'flows/understanding/rules.yaml'), join(flows, 'understanding/rules.yaml'), { recursive: true });
        cpSync(join(root, 'flows/understanding/en.yaml'), join(flows, 'understanding/en.yaml'));
        mkdirSync(join(flows, 'understanding/examples'));
        writeFileSync(join(flows, 'understanding', target), text);
        const { problems } = loadUnderstanding(flows, flows, new Map());
        const mine = problems.filter((p) => p.file === `understanding/${target}`).map(formatProblem);
        expect(
          mine.some((p) => p.startsWith(`understanding/${target}:${line}:${column}: `) && p.includes(message!)),
          `got:\n${mine.join('\n')}`,
        ).toBe(true);
      } finally {
        rmSync(flows, { recursive: true, force: true });
      }
    });
  }

  it('loadContent reports them too, with the path from the project root', () => {
    const copy = contentCopy({ 'flows/understanding/en.yaml': readFileSync(join(dir, 'unknown_concept.en.yaml'), 'utf8') });
    try {
      const { problems } = loadContent(copy.paths, copy.dir);
      expect(problems.map(formatProblem)).toContainEqual(expect.stringMatching(/^flows\/understanding\/en\.yaml:6:3: unknown concept id `halp`/));
    } finally {
      copy.cleanup();
    }
  });
});
