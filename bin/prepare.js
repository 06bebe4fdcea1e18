#!/usr/bin/env node
// npm's `prepare` script (run by `npm install` and `npm ci`): compiles src/ into dist/ when this is a
// checkout with src/ and TypeScript, and the build is missing or older than a source, so that
// `npm install && npm start` runs the compiled code. Elsewhere it does nothing: the Docker build
// stage runs `npm ci` before it copies src/ (then `npm run build`), and a production install has no
// TypeScript. Outside CI a failed build is reported but does not fail the install (bin/lantern.js
// then runs the sources, and `npm run build` shows the errors again); under CI=true it fails it.
// Then, with a fresh build, it runs `lantern lint` once: that fills serve's content cache in data/,
// so the first `npm start` of a new clone is as fast as every later one (lint's output is not shown;
// `serve` and `lantern lint` report any problem again).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildIsFresh } from './build-state.js';

const root = fileURLToPath(new URL('..', import.meta.url));
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  tsc = undefined;
}
if (existsSync(new URL('../src', import.meta.url)) && tsc && !buildIsFresh(root)) {
  process.stderr.write('lantern: compiling src/ into dist/ (npm run build)\n');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    if (process.env.CI === 'true' || process.env.CI === '1') process.exit(result.status ?? 1);
    process.stderr.write('lantern: the build failed (see above); `lantern` runs the sources until `npm run build` succeeds.\n');
  }
}
if (existsSync(new URL('../src', import.meta.url)) && buildIsFresh(root)) {
  process.stderr.write('lantern: checking flows/ and locales/ once, so that the first start is fast (lantern lint)\n');
  spawnSync(process.execPath, [fileURLToPath(new URL('./lantern.js', import.meta.url)), 'lint'], { cwd: root, stdio: 'ignore' });
}
