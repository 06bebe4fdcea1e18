/**
 * Every publish is a version with a one-click rollback: a git commit when the content folder is in a
 * git repository (message: who changed what, in plain words), else a dated folder under
 * `.lantern-versions/` holding the files as they were before the change.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { StudioError } from './guard.js';

/** One published change. */
export interface Version {
  id: string;
  when: string;
  who: string;
  message: string;
  files: string[];
}

/** A file as it was before a version (undefined: it did not exist). */
export interface FileBefore {
  file: string;
  text: string | undefined;
}

/** Where versions are kept for one content folder. */
export interface VersionStore {
  kind: 'git' | 'folder';
  record(files: readonly FileBefore[], who: string, message: string): string;
  list(limit?: number): Version[];
  /** The files of a version as they were before it. */
  before(id: string): FileBefore[];
}

const git = (cwd: string, args: string[], input?: string): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...(input !== undefined ? { input } : {}) });

/** Git when `base` is inside a work tree, else dated copies under `base/.lantern-versions/`. */
export function createVersionStore(base: string): VersionStore {
  let top: string | undefined;
  try {
    top = git(base, ['rev-parse', '--show-toplevel']).trim();
  } catch {
    top = undefined;
  }
  return top ? gitVersions(base, top) : folderVersions(base);
}

function gitVersions(base: string, top: string): VersionStore {
  const inRepo = (file: string) => relative(top, join(base, file));
  return {
    kind: 'git',
    record(files, who, message) {
      const paths = files.map((f) => inRepo(f.file));
      git(top, ['add', '--', ...paths]);
      const email = `${who.replace(/[^A-Za-z0-9._-]+/g, '.').toLowerCase() || 'studio'}@studio.lantern`;
      git(top, ['-c', `user.name=${who}`, '-c', `user.email=${email}`, 'commit', '--no-verify', '-q', '-m', message, '--', ...paths]);
      return git(top, ['rev-parse', 'HEAD']).trim();
    },
    list(limit = 30) {
      let out: string;
      try {
        out = git(top, ['log', `-n${limit}`, '--format=%H%x1f%aI%x1f%an%x1f%s', '--name-only', '--', relative(top, base) || '.']);
      } catch {
        return [];
      }
      return out
        .split(/\n(?=[0-9a-f]{40}\x1f)/)
        .filter((block) => block.trim())
        .map((block) => {
          const [head, ...names] = block.trim().split('\n');
          const [id, when, who, message] = head!.split('\x1f') as [string, string, string, string];
          return { id, when, who, message, files: names.filter(Boolean).map((n) => relative(base, join(top, n))) };
        });
    },
    before(id) {
      if (!/^[0-9a-f]{40}$/.test(id)) return [];
      const names = git(top, ['diff-tree', '--no-commit-id', '--name-only', '-r', '--root', id]).split('\n').filter(Boolean);
      return names.map((name) => {
        let text: string | undefined;
        try {
          text = git(top, ['show', `${id}^:${name}`]);
        } catch {
          text = undefined;
        }
        return { file: relative(base, join(top, name)), text };
      });
    },
  };
}

function folderVersions(base: string): VersionStore {
  const root = join(base, '.lantern-versions');
  let counter = 0;
  return {
    kind: 'folder',
    record(files, who, message) {
      const when = new Date().toISOString();
      const id = `${when.replace(/[:.]/g, '-')}-${process.pid}-${counter++}`;
      const dir = join(root, id);
      for (const f of files) {
        if (f.text === undefined) continue;
        mkdirSync(dirname(join(dir, 'before', f.file)), { recursive: true });
        writeFileSync(join(dir, 'before', f.file), f.text);
      }
      writeFileSync(
        join(dir, 'version.json'),
        `${JSON.stringify({ when, who, message, files: files.map((f) => ({ file: f.file, existed: f.text !== undefined })) }, null, 2)}\n`,
      );
      return id;
    },
    list(limit = 30) {
      if (!existsSync(root)) return [];
      return readdirSync(root)
        .sort()
        .reverse()
        .slice(0, limit)
        .flatMap((id) => {
          try {
            const v = JSON.parse(readFileSync(join(root, id, 'version.json'), 'utf8')) as {
              when: string;
              who: string;
              message: string;
              files: { file: string }[];
            };
            return [{ id, when: v.when, who: v.who, message: v.message, files: v.files.map((f) => f.file) }];
          } catch {
            return [];
          }
        });
    },
    before(id) {
      if (!/^[A-Za-z0-9-]+$/.test(id) || !existsSync(join(root, id, 'version.json'))) return [];
      const v = JSON.parse(readFileSync(join(root, id, 'version.json'), 'utf8')) as { files: { file: string; existed: boolean }[] };
      return v.files.map((f) => {
        // A version folder is a file on disk anyone could edit: its names pass the same lock as every write.
        if (isAbsolute(f.file) || f.file.split(/[\\/]/).includes('..'))
          throw new StudioError(403, `\`${f.file}\` is outside the content folders: the studio only changes files in flows/ and locales/.`);
        return { file: f.file, text: f.existed ? readFileSync(join(root, id, 'before', f.file), 'utf8') : undefined };
      });
    },
  };
}
