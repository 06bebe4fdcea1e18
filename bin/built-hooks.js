// Module hooks for `node bin/run-ts.js --built`: a script written in TypeScript (a benchmark) runs
// through tsx, but every module it imports from src/ is loaded from its compiled copy in dist/,
// the code `npm start` runs. Registered after tsx, so tsx has resolved the import to src/*.ts first.
const src = new URL('../src/', import.meta.url).href;
const dist = new URL('../dist/', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (!resolved.url.startsWith(src) || !resolved.url.endsWith('.ts')) return resolved;
  return { ...resolved, url: `${dist}${resolved.url.slice(src.length, -'.ts'.length)}.js`, format: 'module' };
}
