/**
 * `npm run fuzz`: the fuzz property of test/ops/fuzz.test.ts with 100,000 inputs (FUZZ_RUNS to
 * change, FUZZ_SEED to replay) against a real server in this process. Prints a readable summary
 * and, last, one line `FUZZ {json}`; exits 1 on any 5xx, dropped answer, unhandled rejection,
 * uncaught exception, malformed Bot API call, or a server that stopped answering /healthz.
 */
import fc from 'fast-check';
import { noServerFault, recordProcessFailures, startFuzzTarget } from '../test/ops/fuzz-inputs.js';

const runs = Math.max(1, Number.parseInt(process.env.FUZZ_RUNS ?? '', 10) || 100_000);
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;

const recorder = recordProcessFailures();
const target = await startFuzzTarget();
const started = performance.now();
let counterexample: string | undefined;
try {
  const progress = setInterval(() => process.stderr.write(`fuzz: ${target.tally.runs} of ${runs} inputs\n`), 10_000);
  const result = await fc.check(noServerFault(target), { numRuns: runs, seed, endOnFailure: true });
  clearInterval(progress);
  if (result.failed) counterexample = `${String(result.errorInstance)} (seed ${result.seed}, path ${result.counterexamplePath})`;
} finally {
  await target.settle();
}
const seconds = (performance.now() - started) / 1000;
const health = await target.healthStatus().catch(() => 0);
const malformed = target.malformedCalls();
const errorLogs = target.errorLogs();
const count = (test: (status: number) => boolean) =>
  Object.entries(target.tally.byStatus)
    .filter(([status]) => test(Number(status)))
    .reduce((sum, [, n]) => sum + n, 0);
const summary = {
  runs: target.tally.runs,
  seed,
  status2xx: count((s) => s >= 200 && s < 300),
  status4xx: count((s) => s >= 400 && s < 500),
  status5xx: count((s) => s >= 500),
  // 5xx and dropped answers that are faults: all but botbuilder's 501 to an unknown `invoke`.
  faults: target.tally.faults,
  cutOff: target.tally.cutOff,
  byStatus: target.tally.byStatus,
  botApiCalls: target.botApi.calls.length,
  malformedBotApiCalls: malformed.length,
  unhandled: recorder.failures.length,
  errorLogs: errorLogs.length,
  healthz: health,
  seconds: Math.round(seconds * 10) / 10,
};
await target.close();
recorder.dispose();

console.log(`inputs sent           ${summary.runs} in ${summary.seconds} s (seed ${seed})`);
console.log(
  `answers               ${Object.entries(summary.byStatus)
    .map(([s, n]) => `${s}: ${n}`)
    .join(', ')}`,
);
console.log(`Bot API calls         ${summary.botApiCalls}, malformed: ${summary.malformedBotApiCalls}`);
console.log(`unhandled failures    ${summary.unhandled}; error log lines: ${summary.errorLogs}; /healthz ${health}`);
for (const line of [counterexample, ...malformed.slice(0, 10), ...recorder.failures.slice(0, 10), ...errorLogs.slice(0, 10)])
  if (line) console.log(`  ${line}`);
console.log(`FUZZ ${JSON.stringify(summary)}`);
const ok = !counterexample && target.tally.faults === 0 && malformed.length === 0 && recorder.failures.length === 0 && errorLogs.length === 0 && health === 200;
process.exit(ok ? 0 : 1);
