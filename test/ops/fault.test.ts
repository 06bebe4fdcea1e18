/**
 * The fault checks of `npm run fault` (scripts/fault-checks.ts) in a quick form: small counts,
 * no timing goals. Redis runs as a private redis-server on a free port, never the shared one.
 */
import { describe, expect, it } from 'vitest';
import { checkBadReload, checkRedisOutage, checkSignals } from '../../scripts/fault-checks.js';
import { redisInstalled } from '../../scripts/harness.js';
import { requireService } from '../helpers/requires.js';

// English only: translations others are writing in this checkout must not break these checks.
const languages = ['en'];
const hasRedis = requireService('redis-server', await redisInstalled(), 'apt-get install redis-server');

describe('Lantern under faults', () => {
  describe.runIf(hasRedis)('Redis stopped mid-load', () => {
    it('answers SOS with the emergency number and other turns with the apology and hotline, never a 5xx, and recovers', { timeout: 90_000 }, async () => {
      const outcome = await checkRedisOutage({ conversations: 6, rate: 12, beforeMs: 800, downMs: 1500, afterMs: 500, languages });
      expect(outcome.problems).toEqual([]);
      expect(outcome.figures).toMatchObject({ non2xx: 0, http5xx: 0, exitCode: 0 });
      expect(outcome.figures.emergencyAnswersWhileDown).toBeGreaterThan(0);
      expect(outcome.figures.apologiesWhileDown).toBeGreaterThan(0);
      expect(outcome.figures.recoveryMs).toEqual(expect.any(Number));
    });
  });

  it('lantern serve rejects a broken flow on SIGHUP, keeps answering, and loses no acknowledged turn on SIGTERM', { timeout: 90_000 }, async () => {
    const [hup, term] = await checkSignals({ chats: 12, conversations: 6, streamMs: 800, paceMs: 400, languages });
    expect(hup?.problems).toEqual([]);
    expect(hup?.figures).toMatchObject({ rejected: true, namesFileAndLine: true, oldFlowsAnswered: true });
    expect(term?.problems).toEqual([]);
    expect(term?.figures).toMatchObject({ lostTurns: 0, repliesMissing: 0, exitCode: 0 });
    expect(term?.figures.turnsAcked).toBeGreaterThan(18);
    expect(term?.figures.inFlightAtSigterm).toBeGreaterThan(0);
  });

  it('reload() rejects broken flows with file and line and keeps the running version', { timeout: 90_000 }, async () => {
    const outcome = await checkBadReload({ languages });
    expect(outcome.problems).toEqual([]);
    expect(outcome.figures).toMatchObject({ rejected: 2, namedFileAndLine: 2, repairedReloadOk: true });
    expect(outcome.figures.example).toMatch(/^main\.flow\.yaml:9:5: unknown state `menu_that_does_not_exist`/);
  });
});
