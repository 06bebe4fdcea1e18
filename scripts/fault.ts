/**
 * `npm run fault`: Lantern under faults, on 127.0.0.1 only. (i) Redis stopped and restarted under
 * steady load, (ii) SIGTERM in the middle of a stream of turns, (iii) a broken flow reload, by
 * reload() and by SIGHUP. Prints a table, then one line `FAULT {json}`; exits 1 if a check fails.
 *
 *   node bin/run-ts.js scripts/fault.ts [--rate 50] [--outage-seconds 3] [--stream-seconds 3]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { checkBadReload, checkRedisOutage, checkSignals, type CheckResult } from './fault-checks.js';
import { printGrid } from './harness.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '50' },
    'outage-seconds': { type: 'string', default: '3' },
    'stream-seconds': { type: 'string', default: '3' },
    chats: { type: 'string', default: '60' },
  },
});
const positive = (name: string, text: string, max: number): number => {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > max) {
    console.error(`--${name} must be a number above 0 and at most ${max}`);
    process.exit(2);
  }
  return n;
};
const rate = positive('rate', values.rate, 1000);
const outageMs = positive('outage-seconds', values['outage-seconds'], 60) * 1000;
const streamMs = positive('stream-seconds', values['stream-seconds'], 60) * 1000;
const chats = Math.round(positive('chats', values.chats, 2000));

// Whatever happens, the run ends: a stuck check must not leave servers running for ever.
const watchdog = setTimeout(() => {
  console.error('fault: the run took more than 10 minutes; giving up');
  process.exit(1);
}, 600_000);
watchdog.unref();

const loadBefore = loadavg();
console.log(`Lantern fault checks (node ${process.version}, load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')})`);
const results: CheckResult[] = [];
console.log('\n(i) Redis stopped mid-load ...');
results.push(await checkRedisOutage({ conversations: 20, rate, beforeMs: 2000, downMs: outageMs, afterMs: 2000, recoveryGoalMs: 5000 }));
console.log('(ii, iii) SIGHUP with a broken flow and SIGTERM mid-load on lantern serve ...');
results.push(...(await checkSignals({ chats, conversations: Math.ceil(chats / 2), streamMs, paceMs: 400 })));
console.log('(iii) reload() with a broken flow ...');
results.push(await checkBadReload());

const show = (figures: CheckResult['figures']) =>
  Object.entries(figures)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
printGrid(
  'Fault checks',
  ['check', 'result', 'figures'],
  results.map((r) => [r.name, r.ok ? 'ok' : 'FAILED', show(r.figures)]),
);
for (const r of results.filter((r) => !r.ok)) for (const problem of r.problems) console.log(`  ✗ ${r.name}: ${problem}`);
const ok = results.every((r) => r.ok);
console.log(
  `\nFAULT ${JSON.stringify({ node: process.version, loadavg: loadBefore.map((l) => Math.round(l * 100) / 100), rate, outageMs, streamMs, chats, ok, checks: results })}`,
);
process.exitCode = ok ? 0 : 1;
