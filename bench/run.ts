/** `npm run bench`: every benchmark, as a readable table, then one `BENCH {json}` line. */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { benchAds } from './ad-bench.js';
import { benchEngine } from './engine-bench.js';
import { printTable } from './measure.js';
import { benchStores } from './store-bench.js';
import { benchTelegramWebhook } from './telegram-bench.js';
import { benchUnderstanding } from './understanding-bench.js';

const root = resolve(import.meta.dirname, '..');
const ms = Number(process.argv.find((a) => a.startsWith('--ms='))?.slice(5) ?? 3000);
const figures: Record<string, unknown> = { node: process.version, measureMs: ms };

console.log(`Lantern benchmarks (${ms} ms per measurement, one core)`);
const engine = await benchEngine({ flowsDir: join(root, 'flows'), localesDir: process.env.LOCALES_DIR ?? join(root, 'locales') }, ms);
printTable('Engine turn (restore + transition + i18n + persist, memory store)', [
  ['Lantern engine, turns/s', engine.engineTurnsPerSecond.toLocaleString('en')],
  ['raw XState baseline, turns/s', engine.xstateBaselinePerSecond.toLocaleString('en')],
  ['ratio (goal >= 0.6)', engine.engineVsBaseline.toFixed(3)],
  ['stored session, bytes', String(engine.sessionBytes)],
]);
figures.engine = engine;

const understanding = benchUnderstanding({ flowsDir: join(root, 'flows'), localesDir: process.env.LOCALES_DIR ?? join(root, 'locales') });
printTable('Typed text (read through src/understanding) against the exact word matching it replaced', [
  ['typed-text turn at the menu, µs', String(understanding.typedTurnUs)],
  ['of which read(), µs / exact matching instead, µs', `${understanding.readUs} / ${understanding.exactMatchUs}`],
  [
    'typed turn vs the same turn with exact matching (goal <= 1.1), median of 31 interleaved rounds [quartiles]',
    `${understanding.typedTurnVsExact} [${understanding.typedTurnVsExactQuartiles.join('–')}]`,
  ],
  [
    'worst 3,000-character input, ms per turn (goal <= 20)',
    `${understanding.worstTurnMs} (${Object.entries(understanding.adversarialTurnMs)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')})`,
  ],
  ['index build on first use, ms', String(understanding.indexBuildMs)],
]);
figures.understanding = understanding;

const paths = { flowsDir: join(root, 'flows'), localesDir: process.env.LOCALES_DIR ?? join(root, 'locales') };

const ads = benchAds(paths);
printTable('Job-ad analyser, 3,000-character inputs (goal: no input more than 500 ms slower than a benign ad)', [
  ['benign ad, ms per call', String(ads.benignMs)],
  [
    'adversarial inputs, ms per call',
    Object.entries(ads.adversarialMs)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
  ],
  ['worst adversarial, ms / ratio to benign', `${ads.worstMs} / ${ads.worstVsBenign}`],
]);
figures.ads = ads;
const stores = await benchStores(paths, ms, process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
printTable('Session stores (turns/s through the conversation service)', [
  ['memory', String(stores.memoryTurnsPerSecond)],
  ['SQLite (WAL, file)', String(stores.sqliteTurnsPerSecond)],
  ['Redis (Lua compare-and-set)', String(stores.redisTurnsPerSecond ?? 'not measured')],
  ['typical stored session, bytes (goal <= 1024)', String(stores.typicalSessionBytes)],
]);
figures.stores = stores;

// A benchmark floods each chat far beyond the per-conversation rate limit on purpose.
const telegram = await benchTelegramWebhook(ms, {
  env: { RATE_LIMIT: '1000000/1s', ...(process.env.LOCALES_DIR ? { LOCALES_DIR: process.env.LOCALES_DIR } : {}) },
});
printTable('Telegram webhook, end to end (update in -> reply at a local Bot API stub)', [
  ['Lantern, updates/s', String(telegram.updatesPerSecond)],
  ['bare telegraf echo bot, updates/s', String(telegram.bareEchoUpdatesPerSecond)],
  ['ratio (goal >= 0.7)', String(telegram.ratio)],
  [`latency at ${telegram.rate} updates/s, p50 / p99 ms`, `${telegram.p50Ms} / ${telegram.p99Ms}`],
]);
figures.telegram = telegram;

// The loopback load test at the issue's rate, as its own process (its server is a child of it).
const load = spawnSync(
  process.execPath,
  [join(root, 'bin/run-ts.js'), join(root, 'scripts/load.ts'), '--rates', '500', '--seconds', String(Math.max(2, Math.round(ms / 1000)))],
  { encoding: 'utf8', timeout: 300_000 },
);
const loadLine = /^LOAD (.+)$/m.exec(load.stdout ?? '')?.[1];
if (loadLine) {
  const parsed = JSON.parse(loadLine) as {
    results: { path: string; rate: number; achieved?: number; done?: number; p50Ms?: number; p99Ms?: number; errors?: number }[];
  };
  figures.load = parsed;
  printTable(
    'Load at 500 requests/s on loopback (npm run load for more rates)',
    parsed.results.map((r) => [`${r.path} @ ${r.rate}/s`, JSON.stringify(Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'path' && k !== 'rate')))]),
  );
} else {
  console.log(`\nload test did not report (exit ${load.status}): ${(load.stderr ?? '').slice(-300)}`);
}

console.log(`\nBENCH ${JSON.stringify(figures)}`);
