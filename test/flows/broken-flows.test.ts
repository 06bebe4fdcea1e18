/**
 * One broken file per error message. Each fixture's first line says which check finds it, where
 * (line:column) and what the message says: `# expect: validate 12:9 unknown state ...`.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRegistryFor } from '../../src/engine/index.js';
import { formatProblem, lintContent, loadContent, loadFlowFile, validateContent, type Problem } from '../../src/content/index.js';
import { root } from '../helpers/content.js';

const dir = join(root, 'test/fixtures/broken-flows');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

// The shipped content is loaded once for the file (loading it is most of the cost); each case adds its
// broken flow to it exactly as loadContent would have read it from flows/, then runs the checks.
const shipped = loadContent({ flowsDir: join(root, 'flows'), localesDir: join(root, 'locales') }, root);
// The fixtures sit in a flows/ folder of their own, so problems name them `flows/<fixture>` as in a copy of the content.
const fixturesDir = mkdtempSync(join(tmpdir(), 'lantern-broken-flows-'));
cpSync(dir, join(fixturesDir, 'flows'), { recursive: true });
afterAll(() => rmSync(fixturesDir, { recursive: true, force: true }));

function check(fixture: string, mode: 'validate' | 'lint'): Problem[] {
  const problems = [...shipped.problems];
  const { flow, source } = loadFlowFile(join(fixturesDir, 'flows', fixture), fixturesDir, problems);
  if (!shipped.content || problems.some((p) => p.severity === 'error')) return problems;
  const sources = new Map(shipped.sources).set(source.file, source);
  // Flows in file-name order, as loadContent reads them.
  const flows = new Map([...shipped.content.flows.values(), ...(flow ? [flow] : [])].sort((a, b) => (a.file < b.file ? -1 : 1)).map((f) => [f.id, f] as const));
  const content = { ...shipped.content, flows };
  const registry = checkRegistryFor(content);
  return mode === 'lint' ? lintContent(content, sources, registry) : [...problems, ...validateContent(content, sources, registry)];
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
