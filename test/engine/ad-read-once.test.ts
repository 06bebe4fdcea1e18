/**
 * A pasted job ad is read once per turn: the check's update (the level it keeps), its messages and
 * its metrics note share one analysis, kept on the turn's text event and gone with the turn.
 */
import { describe, expect, it, vi } from 'vitest';
import type { InboundEvent, Session } from '../../src/engine/index.js';

const counted = vi.hoisted(() => ({ calls: [] as string[] }));
vi.mock('../../src/screening/index.js', async (original) => {
  const screening = await original<typeof import('../../src/screening/index.js')>();
  return {
    ...screening,
    analyseAd: (text: string, ...rest: unknown[]) => {
      counted.calls.push(text);
      return (screening.analyseAd as (...args: unknown[]) => ReturnType<typeof screening.analyseAd>)(text, ...rest);
    },
  };
});

const { shippedEngine } = await import('../helpers/content.js');
const { engine } = shippedEngine();

const AD = 'Warehouse workers for Germany, 3000 EUR per month. Registration fee 200 EUR before departure. We keep your passport.';
const OTHER = 'Hotel staff for Dubai, visa fee 500 USD paid to the agent, salary paid at the end of the contract.';

/** Opens the ad check in a new conversation and pastes `ad`; returns the paste's reply keys. */
function paste(ad: string): string[] {
  let session: Session | undefined;
  const step = (event: InboundEvent) => {
    const result = engine.step(session, { conversation: 'once', channel: 'test', event }, 1000);
    session = result.session ?? undefined;
    return result;
  };
  step({ type: 'start' });
  step({ type: 'choice', id: 'main/menu/ad' });
  expect(session).toMatchObject({ flow: 'job_ad', state: 'paste' });
  counted.calls.length = 0;
  return step({ type: 'text', text: ad }).reply.messages.flatMap((m) => ('key' in m && m.key ? [m.key] : []));
}

describe('the job-ad check', () => {
  it('analyses a pasted ad once in its turn (the level kept, the messages and the metrics note share it)', () => {
    expect(paste(AD)).toContain('check.ad_found');
    expect(counted.calls).toEqual([AD]);
  });

  it('analyses the next paste afresh: nothing is carried from one turn to another', () => {
    paste(AD);
    expect(paste(OTHER)).toContain('check.ad_found');
    expect(counted.calls).toEqual([OTHER]);
  });
});
