import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cachedLoader } from '../../src/cli/content-cache.js';
import { loadChecked, loadPublishable } from '../../src/engine/index.js';
import type { ContentPaths } from '../../src/content/index.js';
import { createUnderstanding } from '../../src/understanding/index.js';
import { lantern } from '../helpers/cli.js';
import { contentCopy } from '../helpers/content.js';

/** An unchanged copy of the content, shared by the cases that do not edit it, and its checked load. */
let pristine: ReturnType<typeof contentCopy>;
let pristineLoaded: ReturnType<typeof loadChecked> | undefined;

/**
 * A cache in a fresh folder, counting the full loads (parse and check) it runs. A miss on the
 * unchanged copy is checked once for the file and handed back each time (the cache sees a full load
 * either way); a miss on edited content is checked again.
 */
function counting() {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-cache-'));
  const checked: ContentPaths[] = [];
  const load = cachedLoader({
    dir,
    load: (paths) => (checked.push(paths), paths === pristine.paths ? (pristineLoaded ??= loadChecked(paths)) : loadChecked(paths)),
  });
  return { dir, load, checks: () => checked.length };
}

describe('the content-check cache', () => {
  let copy: ReturnType<typeof contentCopy>;
  let cache: ReturnType<typeof counting>;
  beforeAll(() => {
    pristine = contentCopy({});
  });
  afterAll(() => pristine?.cleanup());
  beforeEach(() => {
    copy = pristine;
    cache = counting();
  });
  afterEach(() => {
    rmSync(cache.dir, { recursive: true, force: true });
  });

  it('checks once, then gives back the same content without parsing or checking again', () => {
    const first = cache.load(copy.paths);
    const second = cache.load(copy.paths);
    expect(cache.checks()).toBe(1);
    expect(first.problems.filter((p) => p.severity === 'error')).toEqual([]);
    // Same values and prototypes (Maps stay Maps): an engine built from either behaves the same.
    expect(isDeepStrictEqual(second.content, first.content)).toBe(true);
    expect(second.problems).toEqual(first.problems);
  });

  it('keeps the typed-text index built, and a start that reads it back reads messages exactly as a fresh build does', () => {
    cache.load(copy.paths);
    const kept = cache.load(copy.paths).content!.understanding;
    expect(kept.index).toBeDefined();
    const { files, rules, countries, exampleModel } = kept;
    const fromCache = createUnderstanding(files, rules, countries, exampleModel, kept.index);
    const built = createUnderstanding(files, rules, countries, exampleModel);
    const messages = [
      'they took my passport and wont let me leave',
      'помогите нас заперли',
      'I am in Dubai',
      'ساعدوني الكفيل أخذ جوازي',
      'yeah they took it the first day',
      'helpppp',
      'khong cho toi ve nha',
      'ខ្ញុំត្រូវគេចាប់ខ្លួន',
    ];
    for (const text of messages) expect(fromCache.read(text, 'en')).toEqual(built.read(text, 'en'));
  });

  it('checks again when any file changes, and never keeps content with errors', () => {
    const copy = contentCopy({}); // edited below: its own copy
    try {
      cache.load(copy.paths);
      const welcome = join(copy.dir, 'locales/en/common.json');
      writeFileSync(welcome, readFileSync(welcome, 'utf8').replace(/}\s*$/, ',\n  "extra_key_for_the_cache_test": "x"\n}\n'));
      cache.load(copy.paths);
      expect(cache.checks()).toBe(2);

      writeFileSync(join(copy.dir, 'flows/main.flow.yaml'), 'id: main\nstart: nowhere\nstates: {}\n');
      const broken = cache.load(copy.paths);
      expect(broken.problems.some((p) => p.severity === 'error')).toBe(true);
      cache.load(copy.paths);
      expect(cache.checks()).toBe(4);
    } finally {
      copy.cleanup();
    }
  });

  it('checks when an entry is unreadable, and keeps working where it cannot write', () => {
    cache.load(copy.paths);
    for (const entry of readdirSync(cache.dir)) writeFileSync(join(cache.dir, entry), 'not a cache entry');
    expect(cache.load(copy.paths).content).toBeDefined();
    expect(cache.checks()).toBe(2);

    const nowhere = cachedLoader({ dir: join(copy.dir, 'flows/main.flow.yaml', 'cache') }); // under a file: cannot be created
    expect(nowhere(copy.paths).content).toBeDefined();
  });

  it('is filled by a clean `lantern lint`, so the next `serve` of unchanged content checks nothing (npm install runs lint once)', async () => {
    const data = mkdtempSync(join(tmpdir(), 'lantern-data-'));
    const before = process.env.SQLITE_PATH;
    process.env.SQLITE_PATH = join(data, 'lantern.db');
    try {
      const linted = await lantern(['lint', copy.dir]);
      expect(linted.err).toMatch(/^0 error\(s\)/m);
      // serve's loader: the publish gate through the cache beside the SQLite file.
      const gated: ContentPaths[] = [];
      const serveLoad = cachedLoader({ dir: join(data, 'cache'), load: (paths) => (gated.push(paths), loadPublishable(paths)), checks: 'lint' });
      expect(serveLoad(copy.paths).content).toBeDefined();
      expect(gated).toEqual([]);
      // Content that only passed `validate` is never taken for content that passed lint.
      expect(readdirSync(join(data, 'cache')).every((name) => name.endsWith('.lint.v8'))).toBe(true);
    } finally {
      if (before === undefined) delete process.env.SQLITE_PATH;
      else process.env.SQLITE_PATH = before;
      rmSync(data, { recursive: true, force: true });
    }
  });
});
