import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noServerFault, recordProcessFailures, startFuzzTarget, type FuzzTarget } from './fuzz-inputs.js';

/*
 * Random and malformed traffic on every public door of the real server: Telegram updates on
 * the webhook (against a Bot API stub), Direct Line requests and Bot Framework activities.
 * `FUZZ_RUNS` sets the number of inputs (3,000 here; `npm run fuzz` sends 100,000).
 */
const RUNS = Math.max(1, Number.parseInt(process.env.FUZZ_RUNS ?? '', 10) || 3000);

describe(`fuzzing the HTTP doors with ${RUNS} random inputs`, () => {
  let target: FuzzTarget;
  let recorder: ReturnType<typeof recordProcessFailures>;

  beforeAll(async () => {
    recorder = recordProcessFailures();
    target = await startFuzzTarget();
  });

  afterAll(async () => {
    await target?.close();
    recorder?.dispose();
  });

  it(
    'never answers 5xx, stays up, leaves no unhandled rejection, and calls the Bot API only with well-formed requests',
    async () => {
      await fc.assert(noServerFault(target), { numRuns: RUNS, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) });
      await target.settle();
      expect(await target.healthStatus()).toBe(200);
      expect(recorder.failures).toEqual([]);
      expect(target.malformedCalls()).toEqual([]);
      // The fuzz reached the dialogue, not only the door: accepted updates were answered.
      expect(target.botApi.calls.filter((c) => c.method === 'sendMessage').length).toBeGreaterThan(RUNS / 20);
      expect(target.tally.byStatus['200'] ?? 0).toBeGreaterThan(RUNS / 4);
      expect(target.errorLogs()).toEqual([]);
    },
    Math.max(120_000, RUNS * 60),
  );
});
