/** `npm run bench`: every benchmark, as a readable table, then one `BENCH {json}` line. */
import { join, resolve } from 'node:path';
import { benchEngine } from './engine-bench.js';
import { printTable } from './measure.js';

const root = resolve(import.meta.dirname, '..');
const ms = Number(process.argv.find((a) => a.startsWith('--ms='))?.slice(5) ?? 3000);
const figures: Record<string, unknown> = { node: process.version, measureMs: ms };

console.log(`Lantern benchmarks (${ms} ms per measurement, one core)`);
const engine = await benchEngine({ flowsDir: join(root, 'flows'), localesDir: join(root, 'locales') }, ms);
printTable('Engine turn (restore + transition + i18n + persist, memory store)', [
  ['Lantern engine, turns/s', engine.engineTurnsPerSecond.toLocaleString('en')],
  ['raw XState baseline, turns/s', engine.xstateBaselinePerSecond.toLocaleString('en')],
  ['ratio (goal >= 0.6)', engine.engineVsBaseline.toFixed(3)],
  ['stored session, bytes', String(engine.sessionBytes)],
]);
figures.engine = engine;

console.log(`\nBENCH ${JSON.stringify(figures)}`);
