/**
 * Publishing from the studio: every save runs the `lantern lint` checks on a copy first (an error or
 * a new dead end refuses it and writes nothing), a save made on an older copy of a file is refused,
 * and every save is a version that one rollback undoes (dated copies, or git commits).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../../src/content/index.js';
import { loadPublishable } from '../../src/engine/index.js';
import { contentHashOf, editYaml } from '../../src/studio/file-edits.js';
import { StudioError } from '../../src/studio/guard.js';
import { translationChanges, translationTable } from '../../src/studio/translations.js';
import { openWorkspace, type Gate, type Workspace } from '../../src/studio/workspace.js';
import { contentCopy } from '../helpers/content.js';

/** The StudioError a call throws (fails the test when it does not throw one). */
function refusal(call: () => unknown): StudioError {
  try {
    call();
  } catch (error) {
    if (error instanceof StudioError) return error;
    throw error;
  }
  throw new Error('expected the studio to refuse this');
}

describe('publish through the lint gate (the real checks, on a copy of the shipped content)', () => {
  const copy = contentCopy({});
  const flowFile = join(copy.dir, 'flows', 'main.flow.yaml');
  let gateRuns = 0;
  const gate: Gate = (paths, cwd) => {
    gateRuns++;
    return loadPublishable(paths, cwd);
  };
  let ws: Workspace;
  beforeAll(() => {
    ws = openWorkspace(copy.dir, { gate });
  });
  afterAll(() => copy.cleanup());

  const stepChange = (edit: Parameters<typeof editYaml>[1]) => {
    const { text, hash } = ws.read('flows/main.flow.yaml');
    return { file: 'flows/main.flow.yaml', baseHash: hash, next: () => editYaml(text!, edit) };
  };

  it('refuses a change with a lint error, names the field, and writes nothing', () => {
    const before = readFileSync(flowFile, 'utf8');
    const runs = gateRuns;
    const error = refusal(() => ws.publish([stepChange([{ path: ['states', 'menu', 'choices', 5, 'next'], value: 'nowhere' }])], 'Ana', 'test'));
    expect(gateRuns).toBe(runs + 1);
    expect(error.status).toBe(422);
    const problems = error.details as Problem[];
    expect(problems).toContainEqual(expect.objectContaining({ file: 'flows/main.flow.yaml', path: 'states.menu.choices[5].next', severity: 'error' }));
    expect(problems[0]!.message).toMatch(/unknown state `nowhere`/);
    expect(readFileSync(flowFile, 'utf8')).toBe(before);
    expect(ws.listVersions()).toEqual([]);
  });

  it('refuses a change that adds a dead end (lint warns; the studio will not strand people)', () => {
    const before = readFileSync(flowFile, 'utf8');
    const trap = { ask: 'menu.question', choices: [{ id: 'again', label: 'menu.check_offer', next: 'trap' }] };
    const error = refusal(() => ws.publish([stepChange([{ path: ['states', 'trap'], value: trap }])], 'Ana', 'test'));
    expect(error.status).toBe(422);
    expect(error.details).toEqual([expect.objectContaining({ path: 'states.trap', severity: 'error', message: expect.stringMatching(/^dead end at `trap`/) })]);
    expect(readFileSync(flowFile, 'utf8')).toBe(before);
  });

  it('writes a clean change, keeps it as a dated version, and one rollback restores every file', () => {
    const menu = join(copy.dir, 'locales', 'ro', 'menu.json');
    const meta = join(copy.dir, 'locales', 'ro', '_meta.json');
    const [menuBefore, metaBefore] = [readFileSync(menu, 'utf8'), readFileSync(meta, 'utf8')];
    const hashes = { 'locales/ro/menu.json': ws.read('locales/ro/menu.json').hash, 'locales/ro/_meta.json': ws.read('locales/ro/_meta.json').hash };
    const changes = translationChanges(ws.current().content, 'ro', new Map([['menu.check_offer', 'Verificați o ofertă nouă']]), hashes);
    const result = ws.publish(changes, 'Ana', 'Ana changed the Romanian text of menu.check_offer');
    expect(JSON.parse(readFileSync(menu, 'utf8')).check_offer).toBe('Verificați o ofertă nouă');
    // Key order kept: only that line changed.
    expect(readFileSync(menu, 'utf8')).toBe(menuBefore.replace('"check_offer": "Verificați o ofertă de muncă"', '"check_offer": "Verificați o ofertă nouă"'));
    expect(result.files[0]!.diff).toContain('-   "check_offer": "Verificați o ofertă de muncă",\n+   "check_offer": "Verificați o ofertă nouă",');
    const row = translationTable(ws.current().content).rows.find((r) => r.key === 'menu.check_offer')!;
    expect(row.cells.ro).toEqual({ text: 'Verificați o ofertă nouă', missing: false, changed: false, unreviewed: true });
    const [version] = ws.listVersions();
    expect(version).toMatchObject({
      who: 'Ana',
      message: 'Ana changed the Romanian text of menu.check_offer',
      files: ['locales/ro/menu.json', 'locales/ro/_meta.json'],
    });

    ws.rollback(version!.id, 'Ben');
    expect(readFileSync(menu, 'utf8')).toBe(menuBefore);
    expect(readFileSync(meta, 'utf8')).toBe(metaBefore);
    expect(ws.listVersions()[0]!.message).toBe('Ben rolled back: Ana changed the Romanian text of menu.check_offer');
  });

  it('marks a translation "changed since English" when the English text changes after it was saved', () => {
    const content = ws.current().content;
    const ro = translationChanges(content, 'ro', new Map([['menu.rights', 'Drepturile mele']]), {
      'locales/ro/menu.json': ws.read('locales/ro/menu.json').hash,
      'locales/ro/_meta.json': ws.read('locales/ro/_meta.json').hash,
    });
    ws.publish(ro, 'Ana', 'test');
    const en = translationChanges(ws.current().content, 'en', new Map([['menu.rights', 'My rights at work (new)']]), {
      'locales/en/menu.json': ws.read('locales/en/menu.json').hash,
    });
    ws.publish(en, 'Ana', 'test');
    const row = translationTable(ws.current().content).rows.find((r) => r.key === 'menu.rights')!;
    expect(row.cells.ro!.changed).toBe(true);
    expect(row.cells.uk!.changed).toBe(false);
    // Saving the same Romanian text again says it still fits the new English: the mark goes.
    const confirmed = translationChanges(ws.current().content, 'ro', new Map([['menu.rights', 'Drepturile mele']]), {
      'locales/ro/menu.json': ws.read('locales/ro/menu.json').hash,
      'locales/ro/_meta.json': ws.read('locales/ro/_meta.json').hash,
    });
    ws.publish(confirmed, 'Ana', 'test');
    expect(translationTable(ws.current().content).rows.find((r) => r.key === 'menu.rights')!.cells.ro!.changed).toBe(false);
  });

  it('refuses a save made on an older copy of the file (someone else saved in between)', () => {
    const stale = contentHashOf('an older text');
    const before = readFileSync(flowFile, 'utf8');
    const error = refusal(() => ws.publish([{ file: 'flows/main.flow.yaml', baseHash: stale, next: (t) => t }], 'Ana', 'test'));
    expect(error.status).toBe(409);
    expect(error.message).toMatch(/Someone else saved flows\/main\.flow\.yaml after you opened it/);
    expect(readFileSync(flowFile, 'utf8')).toBe(before);
  });
});

describe('versions in git', () => {
  const copy = contentCopy({});
  const git = (...args: string[]) => execFileSync('git', args, { cwd: copy.dir, encoding: 'utf8' });
  let ws: Workspace;
  beforeAll(() => {
    git('init', '-q');
    git('-c', 'user.name=setup', '-c', 'user.email=setup@example.org', 'add', '.');
    git('-c', 'user.name=setup', '-c', 'user.email=setup@example.org', 'commit', '-qm', 'start');
    // The checks themselves are tested above: here only what git keeps.
    const content = loadPublishable(copy.paths, copy.dir).content!;
    ws = openWorkspace(copy.dir, { gate: () => ({ content, problems: [] }) });
  });
  afterAll(() => copy.cleanup());

  it('commits each save with who changed what, and a rollback is a commit that restores the file', () => {
    const file = join(copy.dir, 'flows', 'main.flow.yaml');
    const before = readFileSync(file, 'utf8');
    const { text, hash } = ws.read('flows/main.flow.yaml');
    ws.publish(
      [{ file: 'flows/main.flow.yaml', baseHash: hash, next: () => editYaml(text!, [{ path: ['states', 'welcome', 'next'], value: 'done' }]) }],
      'Ana Popescu',
      'Ana Popescu changed the step "welcome" of the flow main',
    );
    expect(git('log', '-1', '--format=%an|%s')).toBe('Ana Popescu|Ana Popescu changed the step "welcome" of the flow main\n');
    expect(git('status', '--porcelain')).toBe('');
    const [version] = ws.listVersions();
    expect(version!.files).toEqual(['flows/main.flow.yaml']);
    ws.rollback(version!.id, 'Ben');
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(git('log', '--format=%s').split('\n').slice(0, 3)).toEqual([
      'Ben rolled back: Ana Popescu changed the step "welcome" of the flow main',
      'Ana Popescu changed the step "welcome" of the flow main',
      'start',
    ]);
  });

  it('refuses a save that changes nothing (no empty version)', () => {
    const { hash } = ws.read('flows/main.flow.yaml');
    const error = refusal(() => ws.publish([{ file: 'flows/main.flow.yaml', baseHash: hash, next: (t) => t }], 'Ana', 'Ana changed nothing'));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/Nothing to save/);
    expect(git('log', '-1', '--format=%s')).not.toBe('Ana changed nothing\n');
  });

  it('does not commit other changes lying in the work tree', () => {
    writeFileSync(join(copy.dir, 'flows', 'README.md'), 'edited by hand\n');
    const { text, hash } = ws.read('flows/main.flow.yaml');
    ws.publish([{ file: 'flows/main.flow.yaml', baseHash: hash, next: () => `${text}# note\n` }], 'Ana', 'Ana changed main');
    expect(git('show', '--name-only', '--format=', 'HEAD').trim()).toBe('flows/main.flow.yaml');
    expect(git('status', '--porcelain').trim()).toBe('M flows/README.md');
  });
});
