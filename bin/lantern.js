#!/usr/bin/env node
// The `lantern` command. It runs the compiled JavaScript in dist/ when that build is up to date
// (always in the Docker image, which ships no src/), and otherwise the TypeScript sources through
// tsx: an edit in src/ is never silently ignored.
// Nothing is printed on stdout here: `lantern chat --json` and `analyse-ad --json` stay clean.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildIsFresh } from './build-state.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = new URL('../src/cli/main.ts', import.meta.url);
let main;
if (existsSync(source) && !buildIsFresh(root)) {
  if (existsSync(new URL('../dist/cli/main.js', import.meta.url))) {
    process.stderr.write('lantern: src/ changed since the last build, so it runs from the sources (slower to start); `npm run build` to compile.\n');
  }
  const { register } = await import('tsx/esm/api');
  register();
  main = await import(source.href);
} else {
  main = await import(new URL('../dist/cli/main.js', import.meta.url).href);
}
process.exitCode = await main.run(process.argv.slice(2));
