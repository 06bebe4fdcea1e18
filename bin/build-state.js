// Whether dist/ is an up-to-date build of src/: shared by bin/lantern.js (which then runs the
// build rather than the sources) and bin/prepare.js (which then skips the build).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const CONFIGS = ['tsconfig.json', 'tsconfig.build.json'];

/**
 * True when every src/**\/*.ts has its dist/**\/*.js, written after the source and after the
 * tsconfig files last changed. Only stats (about 200 for this project, a few milliseconds):
 * tsc writes every output file on each build, so a file-by-file comparison is enough.
 */
export function buildIsFresh(root) {
  const src = join(root, 'src');
  const dist = join(root, 'dist');
  let config = 0;
  for (const file of CONFIGS) {
    try {
      config = Math.max(config, statSync(join(root, file)).mtimeMs);
    } catch {
      // A missing tsconfig is tsc's problem, not staleness.
    }
  }
  let sources;
  try {
    sources = readdirSync(src, { recursive: true });
  } catch {
    return false;
  }
  for (const file of sources) {
    if (!file.endsWith('.ts') || file.endsWith('.d.ts')) continue;
    const built = statSync(join(dist, file.replace(/\.ts$/, '.js')), { throwIfNoEntry: false });
    if (!built || built.mtimeMs < Math.max(config, statSync(join(src, file)).mtimeMs)) return false;
  }
  return true;
}
