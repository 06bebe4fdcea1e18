#!/usr/bin/env node
// The `lantern` command. In a checkout it runs the TypeScript sources through tsx;
// in the Docker image (no src/, compiled dist/) it runs the compiled JavaScript.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
let main;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  main = await import(source.href);
} else {
  main = await import(new URL('../dist/cli/main.js', import.meta.url).href);
}
process.exitCode = await main.run(process.argv.slice(2));
