// `node --import ./record-modules.mjs …` appends the URL of every module the program imports
// (ESM resolution, as Node sees it) to the file named by LANTERN_MODULE_LOG. Tests use it to count
// what a command loads. Plain JavaScript: it runs before any TypeScript loader.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

let log;

/** Hooks thread: where to write. */
export function initialize(data) {
  log = data.log;
}

/** Hooks thread: records each resolved module. */
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(log, `${resolved.url}\n`);
  return resolved;
}

if (isMainThread && process.env.LANTERN_MODULE_LOG) register(import.meta.url, { data: { log: process.env.LANTERN_MODULE_LOG } });
