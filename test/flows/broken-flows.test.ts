/**
 * One broken file per error message. Each fixture's first line says which check finds it, where
 * (line:column) and what the message says: `# expect: validate 12:9 unknown state ...`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRegistryFor } from '../../src/engine/index.js';
import { formatProblem, lintContent, loadContent, validateContent, type Problem } from '../../src/content/index.js';
import { contentCopy, root } from '../helpers/content.js';

const dir = join(root, 'test/fixtures/broken-flows');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

function check(fixture: string, mode: 'validate' | 'lint'): Problem[] {
  const copy = contentCopy({ [`flows/${fixture}`]: readFileSync(join(dir, fixture), 'utf8') });
  try {
    const { content, sources, problems } = loadContent(copy.paths, copy.dir);
    if (!content || problems.some((p) => p.severity === 'error')) return problems;
    const registry = checkRegistryFor(content);
    return mode === 'lint' ? lintContent(content, sources, registry) : [...problems, ...validateContent(content, sources, registry)];
  } finally {
    copy.cleanup();
  }
}

describe('broken flow fixtures', () => {
  it('there is a fixture for every kind of problem', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
  });

  for (const fixture of fixtures) {
    it(fixture, () => {
      const header = /^# expect: (validate|lint) (\d+):(\d+) (.+)$/m.exec(readFileSync(join(dir, fixture), 'utf8'));
      expect(header, 'first line must be `# expect: validate|lint LINE:COL message`').not.toBeNull();
      const [, mode, line, column, message] = header!;
      const problems = check(fixture, mode as 'validate' | 'lint');
      const mine = problems.filter((p) => p.file === `flows/${fixture}`).map(formatProblem);
      expect(mine.some((p) => p.startsWith(`flows/${fixture}:${line}:${column}: `) && p.includes(message!)), `got:\n${mine.join('\n')}`).toBe(true);
      // The shipped files stay clean: a fixture only breaks itself.
      expect(problems.filter((p) => p.file !== `flows/${fixture}` && p.severity === 'error')).toEqual([]);
    });
  }
});
