/**
 * Loading and checking flows/ and locales/ costs most of a start (parsing YAML with positions,
 * compiling every job-ad pattern, building the typed-text index). Content that passed those checks is kept, serialized, under a
 * hash of every file in flows/ and locales/, the code that checks them, the Node version and the
 * folders it was read from: an unchanged start reads it back; any changed file is checked again.
 * Results with errors are never kept. Where the cache cannot be written, everything still works.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { loadChecked, loadPublishable } from '../engine/index.js';
import { withUnderstandingIndex, type ContentPaths } from '../content/index.js';

type Loaded = ReturnType<typeof loadChecked>;

/** Cache entries kept; older ones are removed when a new one is written (one per content version). */
const KEEP = 8;
/** The code that loads and checks content: src/ when run through tsx, dist/ when compiled. */
const codeDir = dirname(dirname(fileURLToPath(import.meta.url)));

/** Every file under `dir` (sorted, relative), or none when it does not exist. */
function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
      .sort();
  } catch {
    return [];
  }
}

/** A hash of everything the loaded result depends on. */
export function contentHash(paths: ContentPaths, cwd = process.cwd()): string {
  const hash = createHash('sha256').update(`${process.version}\0${cwd}\0${paths.flowsDir}\0${paths.localesDir}\0`);
  const add = (dir: string, keep: (file: string) => boolean) => {
    for (const file of filesUnder(dir).filter(keep))
      hash
        .update(`${dir}\0${file}\0`)
        .update(readFileSync(join(dir, file)))
        .update('\0');
  };
  add(paths.flowsDir, () => true);
  add(paths.localesDir, () => true);
  add(codeDir, (file) => /\.[cm]?[jt]s$/.test(file));
  // package.json read directly: listing the project folder would walk node_modules (most of a start).
  const packageJson = join(codeDir, '..', 'package.json');
  hash.update(`${packageJson}\0`).update(readFileSync(packageJson)).update('\0');
  return hash.digest('base64url');
}

/** The CLI's cache: the project's data folder (gitignored, like the SQLite file `npm start` writes). */
const defaultCacheDir = join(codeDir, '..', 'data', 'cache');

/**
 * `loadChecked` through the cache in `dir`. `load` is what runs on a miss (tests count its calls);
 * `checks` names what it checks, so that content that passed `validate` is never taken for content that passed `lint`.
 */
export function cachedLoader(
  options: { dir?: string; load?: (paths: ContentPaths) => Loaded; checks?: 'validate' | 'lint' } = {},
): (paths: ContentPaths) => Loaded {
  const dir = options.dir ?? defaultCacheDir;
  const load = options.load ?? loadChecked;
  const checks = options.checks ?? 'validate';
  return (paths) => {
    const file = join(dir, `${contentHash(paths)}.${checks}.v8`);
    try {
      const kept = deserialize(readFileSync(file)) as Pick<Loaded, 'content' | 'problems'>;
      if (kept.content) return { content: kept.content, problems: kept.problems, sources: new Map() };
    } catch {
      // Not there yet, or unreadable: check the content.
    }
    const loaded = load(paths);
    if (!loaded.content || loaded.problems.some((p) => p.severity === 'error')) return loaded;
    // The understanding index is kept too: building it is most of what is left of a start.
    const content = { ...loaded.content, understanding: withUnderstandingIndex(loaded.content.understanding) };
    keep(dir, file, serialize({ content, problems: loaded.problems }));
    return { ...loaded, content };
  };
}

/** Writes one entry atomically (two processes may start at once) and removes the oldest. */
function keep(dir: string, file: string, data: Buffer): void {
  try {
    mkdirSync(dir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, data);
    renameSync(temporary, file);
    const entries = readdirSync(dir)
      .filter((name) => name.endsWith('.v8'))
      .map((name) => ({ name, time: statSync(join(dir, name)).mtimeMs }))
      .sort((a, b) => b.time - a.time);
    for (const old of entries.slice(KEEP)) rmSync(join(dir, old.name), { force: true });
  } catch {
    // A read-only install: every start checks the content, as without a cache.
  }
}

/** `loadChecked` through the project's cache: what the CLI's commands use (`serve` keeps its own in its data folder). */
export const loadCheckedCached = cachedLoader();

/**
 * The publish gate (every `lantern lint` check) through the cache in the data folder beside the
 * SQLite file (/data in Docker). `serve` starts through it and `lantern lint` fills it, so after a
 * clean `lint` (which `npm install` runs once) an unchanged start checks nothing.
 */
export function publishGateLoader(sqlitePath: string): (paths: ContentPaths) => Loaded {
  return cachedLoader({ dir: join(dirname(resolve(sqlitePath)), 'cache'), load: loadPublishable, checks: 'lint' });
}
