/**
 * Three countries, never mixed up: where the person is (the emergency number), where the job is (the
 * screening asks before its result) and, only if they give it, their home country (asked once, with
 * Skip; never taken from the language). Through the shipped flows.
 */
import { describe, expect, it } from 'vitest';
import { numbersOf, parseSession, serializeSession, type InboundEvent, type Session } from '../../src/engine/index.js';
import { shippedEngine } from '../helpers/content.js';

const { engine } = shippedEngine();

/** Plays events from a fresh conversation; returns every step's result. */
function play(events: InboundEvent[], languageHint = 'en') {
  let session: Session | undefined;
  return events.map((event, i) => {
    const result = engine.step(session, { conversation: 'three', channel: 'test', languageHint, event }, i);
    session = result.session ?? undefined;
    return result;
  });
}
const buttonsOf = (result: ReturnType<typeof play>[number]) => result.reply.messages.flatMap((m) => (m.type === 'choices' ? m.choices : []));
const press = (result: ReturnType<typeof play>[number], suffix: string): InboundEvent => ({
  type: 'choice',
  id: buttonsOf(result).find((c) => c.id.endsWith(`/${suffix}`))!.id,
});

describe('three countries', () => {
  it('the home country is asked once, can be skipped, and is never taken from the language', () => {
    const first = play([{ type: 'start', payload: 'pl_ru' }], 'ru')[0]!;
    expect(first.session!.ctx).toMatchObject({ country: 'PL', language: 'ru' });
    expect(first.session!.ctx.home).toBeUndefined();
    // Helplines, then the home question with a Skip button; Russian does not make Russia the home country.
    const steps = play([{ type: 'start', payload: 'pl_ru' }, press(first, 'hotline')], 'ru');
    const asked = steps[1]!;
    expect(asked.session).toMatchObject({ flow: 'hotlines', state: 'ask_home' });
    expect(asked.session!.ctx.home).toBeUndefined();
    expect(buttonsOf(asked).at(-1)!.id).toMatch(/\/skip$/);
    // Typing "1" picks the first country button, not Skip; typing the Skip label skips.
    const skipped = play([{ type: 'start', payload: 'pl_ru' }, press(first, 'hotline'), { type: 'text', text: 'Пропустить' }], 'ru')[2]!;
    expect(skipped.session!.ctx).toMatchObject({ country: 'PL', homeAsked: true });
    expect(skipped.session!.ctx.home).toBeUndefined();
    expect(skipped.session).toMatchObject({ flow: 'hotlines', state: 'after' });
  });

  it('the home country adds its lines from abroad and never changes where the person is', () => {
    const first = play([{ type: 'start', payload: 'pl_uk' }], 'uk')[0]!;
    const steps = play([{ type: 'start', payload: 'pl_uk' }, press(first, 'hotline'), { type: 'text', text: 'UA' }, { type: 'text', text: 'SOS' }], 'uk');
    expect(steps[2]!.session!.ctx).toMatchObject({ country: 'PL', home: 'UA', homeAsked: true });
    const sos = numbersOf(steps[3]!.reply.messages).map((n) => n.dial);
    expect(sos[0]).toBe('112');
    expect(sos).toContain('+48226280120'); // Poland's line
    expect(sos).toContain('+380442841915'); // Ukraine's line for citizens abroad, after Poland's
    expect(sos.indexOf('+380442841915')).toBeGreaterThan(sos.indexOf('+48226280120'));
    expect(sos).not.toContain('1547'); // Ukraine's short code works only inside Ukraine
  });

  it('the screening asks where the job is before its result, keeps it apart from where the person is, and asks again for another offer', () => {
    const { content } = shippedEngine();
    let session: Session | undefined;
    const step = (event: InboundEvent) => {
      const result = engine.step(session, { conversation: 'job', channel: 'test', languageHint: 'en', event }, 0);
      session = result.session ?? undefined;
      return result;
    };
    let last = step({ type: 'start', payload: 'ph_en' });
    last = step(press(last, 'check'));
    for (let i = 0; i < content.indicators.length && session?.state === 'questions'; i++) {
      last = step({ type: 'choice', id: buttonsOf(last).find((c) => c.id.endsWith(':no'))?.id ?? buttonsOf(last)[0]!.id });
    }
    expect(session).toMatchObject({ flow: 'screening', state: 'ask_job' });
    expect(last.reply.messages.at(-1)).toMatchObject({ key: 'country.job_question' });
    last = step({ type: 'text', text: 'Dubai' });
    expect(session!.ctx).toMatchObject({ country: 'PH', jobCountry: 'AE' });
    expect(last.reply.messages.some((m) => 'key' in m && m.key?.startsWith('screening.level.'))).toBe(true);
    expect(numbersOf(last.reply.messages)[0]!.number).toBe(content.hotlines.countries.PH!.emergency.number);
    last = step(press(last, 'again'));
    expect(session!.ctx.jobCountry).toBeUndefined();
    expect(session!.ctx.country).toBe('PH');
  });

  it('a stored session keeps the three countries, and refuses a malformed one', () => {
    const session: Session = {
      v: 1,
      flow: 'main',
      version: '',
      state: 'menu',
      ctx: { language: 'km', country: 'MY', jobCountry: 'MY', home: 'KH', homeAsked: true, answers: {}, factCursor: 0 },
      turns: 1,
      seen: 0,
    };
    expect(parseSession(serializeSession(session))).toEqual(session);
    expect(parseSession(serializeSession({ ...session, ctx: { ...session.ctx, home: 'Cambodia' } }))).toBeUndefined();
  });
});
