/** Loads the shipped content (or a copy with changes) for tests. */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { buildEngine, loadChecked, type BuiltEngine } from '../../src/engine/index.js';
import type { Content, Sources } from '../../src/content/index.js';

export const root = resolve(import.meta.dirname, '../..');
// LANTERN_TEST_LOCALES_DIR lets a developer test against a subset of locales while others are mid-edit.
export const shippedPaths = { flowsDir: join(root, 'flows'), localesDir: process.env.LANTERN_TEST_LOCALES_DIR ?? join(root, 'locales') };

let shipped: { content: Content; sources: Sources } | undefined;

/**
 * Loads and validates content; throws with every problem when it is broken. The shipped content is
 * loaded once per test file (most of a file's time otherwise): treat it as read-only, copy to change it.
 */
export function loadShipped(paths = shippedPaths): { content: Content; sources: Sources } {
  if (paths !== shippedPaths) return loadFresh(paths);
  shipped ??= loadFresh(paths);
  return shipped;
}

function loadFresh(paths: typeof shippedPaths): { content: Content; sources: Sources } {
  const { content, sources, problems } = loadChecked(paths, root);
  const errors = problems.filter((p) => p.severity === 'error');
  if (!content || errors.length) throw new Error(errors.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join('\n'));
  return { content, sources };
}

/** An engine over the shipped content. */
export function shippedEngine(defaults: { language: string; country?: string } = { language: 'en' }): BuiltEngine & { content: Content } {
  const { content } = loadShipped();
  return { ...buildEngine(content, defaults), content };
}

/** A temporary copy of flows/ and locales/ with some files replaced or added (folders made as needed); call cleanup(). */
export function contentCopy(files: Record<string, string | null>): { dir: string; paths: typeof shippedPaths; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-content-'));
  cpSync(join(root, 'flows'), join(dir, 'flows'), { recursive: true });
  cpSync(join(root, 'locales'), join(dir, 'locales'), { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    if (text === null) rmSync(join(dir, file));
    else {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
  }
  return { dir, paths: { flowsDir: join(dir, 'flows'), localesDir: join(dir, 'locales') }, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
