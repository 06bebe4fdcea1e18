/**
 * The content folder the studio edits, and its one way to change it: `publish`. Every publish is
 * checked against the file's hash (someone else may have saved since), run through the same
 * checks as `lantern lint` on a temporary copy (an error, or a new dead end, refuses it and nothing
 * is written), written, recorded as a version, and handed to whoever listens (the simulator).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Content, ContentPaths, Problem } from '../content/index.js';
import { loadPublishable } from '../engine/index.js';
import { contentHashOf, lineDiff } from './file-edits.js';
import { resolveContentFile, StudioError } from './guard.js';
import { createVersionStore, type Version, type VersionStore } from './versions.js';

/** One file a publish changes: its name, the hash it was read at, and its new text (undefined: delete it). */
export interface FileChange {
  file: string;
  baseHash: string;
  next: (current: string | undefined) => string | undefined;
}

/** What a refused or accepted publish tells the page. */
export interface PublishResult {
  version: string;
  files: { file: string; hash: string; diff: string }[];
  /** Warnings the change added (accepted, shown). */
  warnings: Problem[];
}

/** A loaded, checked content folder and the publish door. */
export interface Workspace {
  base: string;
  paths: ContentPaths;
  versions: VersionStore;
  /** The last content that passed the gate (what the simulator runs) and its problems (warnings only). */
  current(): { content: Content; problems: Problem[] };
  read(file: string): { text: string | undefined; hash: string };
  publish(changes: readonly FileChange[], who: string, message: string): PublishResult;
  rollback(id: string, who: string): PublishResult;
  listVersions(): Version[];
  onPublish(listener: (content: Content) => void): void;
}

/** Loads and checks content with every `lantern lint` check; file names in problems are relative to `cwd`. */
export type Gate = (paths: ContentPaths, cwd: string) => { content?: Content; problems: Problem[] };

/** A dead end strands people mid-conversation (DESIGN.md): lint warns, a studio save that adds one is refused. */
const STRANDS = /^dead end at /;
const key = (p: Problem) => `${p.file}\0${p.path}\0${p.message}`;

/** Opens the content folder `base` (holding flows/ and locales/); throws a StudioError when it does not pass lint now. */
export function openWorkspace(base: string, options: { gate?: Gate } = {}): Workspace {
  const gate: Gate = options.gate ?? ((paths, cwd) => loadPublishable(paths, cwd));
  const paths = { flowsDir: join(base, 'flows'), localesDir: join(base, 'locales') };
  const roots = [paths.flowsDir, paths.localesDir];
  for (const root of roots)
    if (!existsSync(root)) throw new StudioError(404, `${root} does not exist: start the studio with --dir <folder holding flows/ and locales/>.`);
  const first = gate(paths, base);
  const errors = first.problems.filter((p) => p.severity === 'error');
  if (!first.content || errors.length) throw new StudioError(422, 'The content has errors: fix them (see `lantern lint`) before opening the studio.', errors);
  let current = { content: first.content, problems: first.problems };
  const versions = createVersionStore(base);
  const listeners: ((content: Content) => void)[] = [];

  const readText = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);

  /** Runs the gate on a copy of the content with these texts in place; nothing real is touched. */
  function check(next: Map<string, string | undefined>): { content?: Content; problems: Problem[] } {
    const copy = mkdtempSync(join(tmpdir(), 'lantern-studio-'));
    try {
      for (const dir of ['flows', 'locales']) cpSync(join(base, dir), join(copy, dir), { recursive: true });
      for (const [rel, text] of next) {
        if (text === undefined) rmSync(join(copy, rel), { force: true });
        else writeFileSync(join(copy, rel), text);
      }
      return gate({ flowsDir: join(copy, 'flows'), localesDir: join(copy, 'locales') }, copy);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }

  function publish(changes: readonly FileChange[], who: string, message: string): PublishResult {
    const resolved = changes.map((c) => ({ ...c, ...resolveContentFile(base, roots, c.file) }));
    const befores = resolved.map((c) => ({ file: c.rel, path: c.path, text: readText(c.path) }));
    resolved.forEach((c, i) => {
      if (contentHashOf(befores[i]!.text) !== c.baseHash)
        throw new StudioError(
          409,
          `Someone else saved ${c.rel} after you opened it. Your change was not saved, so that it does not overwrite theirs: reload the page to see their version, then make your change again.`,
        );
    });
    const next = new Map<string, string | undefined>();
    resolved.forEach((c, i) => next.set(c.rel, c.next(befores[i]!.text)));
    if (resolved.every((c, i) => next.get(c.rel) === befores[i]!.text)) throw new StudioError(400, 'Nothing to save: this changes nothing in the files.');
    const checked = check(next);
    const errors = checked.problems.filter((p) => p.severity === 'error');
    const before = new Set(current.problems.map(key));
    const added = checked.problems.filter((p) => p.severity === 'warning' && !before.has(key(p)));
    const stranding = added.filter((p) => STRANDS.test(p.message));
    if (!checked.content || errors.length || stranding.length)
      throw new StudioError(422, 'Not saved: `lantern lint` finds a problem in this change. Fix what is marked and save again.', [
        ...errors,
        ...stranding.map((p) => ({ ...p, severity: 'error' as const })),
      ]);
    for (const [i, c] of resolved.entries()) {
      const text = next.get(c.rel);
      if (text === undefined) {
        if (befores[i]!.text !== undefined) unlinkSync(c.path);
        continue;
      }
      const temporary = join(dirname(c.path), `.${process.pid}.studio.tmp`);
      writeFileSync(temporary, text);
      renameSync(temporary, c.path);
    }
    const version = versions.record(
      befores.map((b) => ({ file: b.file, text: b.text })),
      who,
      message,
    );
    current = { content: checked.content, problems: checked.problems };
    for (const listener of listeners) listener(checked.content);
    return {
      version,
      files: resolved.map((c, i) => ({ file: c.rel, hash: contentHashOf(next.get(c.rel)), diff: lineDiff(befores[i]!.text ?? '', next.get(c.rel) ?? '') })),
      warnings: added,
    };
  }

  return {
    base,
    paths,
    versions,
    current: () => current,
    read(file) {
      const { path } = resolveContentFile(base, roots, file);
      const text = readText(path);
      return { text, hash: contentHashOf(text) };
    },
    publish,
    rollback(id, who) {
      const files = versions.before(id);
      const version = versions.list(200).find((v) => v.id === id);
      if (!files.length || !version) throw new StudioError(404, 'That version is unknown (or changed nothing the studio can restore).');
      return publish(
        files.map((f) => ({ file: f.file, baseHash: contentHashOf(readText(join(base, f.file))), next: () => f.text })),
        who,
        `${who} rolled back: ${version.message}`,
      );
    },
    listVersions: () => versions.list(),
    onPublish: (listener) => void listeners.push(listener),
  };
}
