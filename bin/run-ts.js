#!/usr/bin/env node
// Runs one TypeScript script (benchmarks, load tests) through tsx: `node bin/run-ts.js bench/run.ts`.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const script = process.argv[2];
if (!script) {
  console.error('usage: node bin/run-ts.js <script.ts> [args...]');
  process.exit(2);
}
// The script takes this file's place in argv, as `node script.js` would have it (so a script can tell it was run directly).
process.argv.splice(1, 2, resolve(script));
register();
await import(pathToFileURL(resolve(script)).href);
