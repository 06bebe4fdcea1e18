#!/usr/bin/env node
// Runs one TypeScript script (benchmarks, load tests) through tsx: `node bin/run-ts.js bench/run.ts`.
// With `--built` first, what the script imports from src/ is loaded from the compiled build in dist/
// (what `npm start` runs), which must be up to date: `npm run bench` builds, then measures that.
import { register as registerHooks } from 'node:module';
import { register } from 'tsx/esm/api';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { buildIsFresh } from './build-state.js';

const built = process.argv[2] === '--built';
if (built) process.argv.splice(2, 1);
const script = process.argv[2];
if (!script) {
  console.error('usage: node bin/run-ts.js [--built] <script.ts> [args...]');
  process.exit(2);
}
if (built && !buildIsFresh(fileURLToPath(new URL('..', import.meta.url)))) {
  console.error('run-ts: --built needs an up-to-date build of src/: run `npm run build` first.');
  process.exit(2);
}
// The script takes this file's place in argv, as `node script.js` would have it (so a script can tell it was run directly).
process.argv.splice(1, 2, resolve(script));
register();
if (built) registerHooks('./built-hooks.js', import.meta.url);
await import(pathToFileURL(resolve(script)).href);
