/** Finds and loads the content a command works on, printing problems the way editors link them. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEngine, loadChecked, type BuiltEngine } from '../engine/index.js';
import { loadCheckedCached } from './content-cache.js';

export { loadChecked };
import { formatProblem, type Content, type ContentPaths, type Problem } from '../content/index.js';

/** The project folder this command ships in (holds flows/ and locales/). */
export const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** flows/ and locales/ under `dir`, or this project's own. */
export function contentPaths(dir?: string, overrides: { flows?: string; locales?: string } = {}): ContentPaths {
  const base = dir ? resolve(dir) : existsSync(resolve('flows')) && existsSync(resolve('locales')) ? process.cwd() : projectRoot;
  return {
    flowsDir: overrides.flows ? resolve(overrides.flows) : join(base, 'flows'),
    localesDir: overrides.locales ? resolve(overrides.locales) : join(base, 'locales'),
  };
}

/** Loads content (checked, or as checked before: content-cache.ts) and builds an engine, or prints every problem and returns undefined. */
export function loadEngineOrReport(
  paths: ContentPaths,
  defaults: { language: string; country?: string },
  err: NodeJS.WritableStream,
): (BuiltEngine & { content: Content }) | undefined {
  const { content, problems } = loadCheckedCached(paths);
  const errors = problems.filter((p) => p.severity === 'error');
  if (!content || errors.length) {
    printProblems(errors, err);
    err.write(`\n${errors.length} error(s): fix them, then run \`lantern validate\` again.\n`);
    return undefined;
  }
  return { ...buildEngine(content, defaults), content };
}

/** Prints problems as `file:line:column: message`. */
export function printProblems(problems: Problem[], out: NodeJS.WritableStream): void {
  const sorted = [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  for (const p of sorted) out.write(`${formatProblem(p)}\n`);
}
