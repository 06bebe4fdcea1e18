import { describe, expect, it } from 'vitest';
import type { Inbound, InboundEvent, Outbound, Session } from '../../src/engine/index.js';
import { shippedEngine } from '../helpers/content.js';

const { engine, content } = shippedEngine();
const base = { conversation: 'ad', channel: 'test' } as const;

function play(events: InboundEvent[], extra: Partial<Inbound> = {}) {
  let session: Session | undefined;
  return events.map((event) => {
    const result = engine.step(session, { ...base, ...extra, event }, 1000);
    session = result.session ?? undefined;
    return result;
  });
}
const keys = (messages: Outbound[]) => messages.map((m) => ('key' in m ? m.key : m.type));
const offer = (messages: Outbound[]) => messages.find((m) => m.type === 'choices' && m.key === 'system.ad_offer');

const AD =
  'Warehouse workers for Germany, 3000 EUR per month, no experience needed. Registration fee 200 EUR before departure. Accommodation provided. Write on WhatsApp.';

describe('a job ad pasted where the bot asked something else', () => {
  it('gets "Check this ad?" at the menu instead of "did not understand", with the number one tap away', () => {
    const [, pasted] = play([{ type: 'start' }, { type: 'text', text: AD }]);
    const messages = pasted!.reply.messages;
    expect(keys(messages)).not.toContain('system.not_understood');
    const question = offer(messages);
    expect(question && question.type === 'choices' && question.choices.map((c) => c.id)).toEqual(['main/menu/?ad-yes', 'main/menu/?ad-no']);
    expect(keys(messages)).toContain('system.danger_line_no_country');
    expect(pasted!.session).toMatchObject({ flow: 'main', state: 'menu' });
    expect(JSON.stringify(pasted!.session)).not.toContain('Warehouse');
  });

  it('"yes" opens the ad check (the text was not kept, so it is asked for again); "no" asks the question again', () => {
    const [, , yes] = play([{ type: 'start' }, { type: 'text', text: AD }, { type: 'choice', id: 'main/menu/?ad-yes' }]);
    expect(yes!.session).toMatchObject({ flow: 'job_ad', state: 'paste' });
    expect(keys(yes!.reply.messages)).toContain('check.ad_paste');
    const [, , no] = play([{ type: 'start' }, { type: 'text', text: AD }, { type: 'choice', id: 'main/menu/?ad-no' }]);
    expect(no!.session).toMatchObject({ flow: 'main', state: 'menu' });
    expect(keys(no!.reply.messages)).toContain('menu.question');
  });

  it('is offered for a first message too, and during a screening', () => {
    const [first] = play([{ type: 'text', text: AD }]);
    expect(keys(first!.reply.messages)).toEqual(expect.arrayContaining(['menu.question', 'system.ad_offer']));
    const [, , inScreening] = play([{ type: 'start' }, { type: 'choice', id: 'main/menu/check' }, { type: 'text', text: AD }]);
    expect(offer(inScreening!.reply.messages)).toBeDefined();
  });

  it('is offered in every language, with translated buttons', () => {
    for (const language of content.locales.languages) {
      const [, pasted] = play([{ type: 'start' }, { type: 'text', text: AD }], { languageHint: language });
      const question = offer(pasted!.reply.messages);
      expect(question, language).toBeDefined();
      if (question?.type === 'choices') for (const c of question.choices) expect(c.label.length, language).toBeGreaterThan(0);
    }
  });

  it('is not offered for short text, nor in the ad check itself, which analyses it', () => {
    const [, short] = play([{ type: 'start' }, { type: 'text', text: 'blue banana sky' }]);
    expect(offer(short!.reply.messages)).toBeUndefined();
    expect(keys(short!.reply.messages)).toContain('system.not_understood');
    const [, , analysed] = play([{ type: 'start' }, { type: 'choice', id: 'main/menu/ad' }, { type: 'text', text: AD }]);
    expect(offer(analysed!.reply.messages)).toBeUndefined();
    expect(keys(analysed!.reply.messages)).toContain('check.ad_found');
  });

  it('lets an emergency win: first-person danger gets the emergency answer first', () => {
    const text = `They took my passport and I cannot leave the house, please help me. ${AD}`;
    const [, pasted] = play([{ type: 'start' }, { type: 'text', text }]);
    const messages = pasted!.reply.messages;
    expect(pasted!.notes).toContainEqual({ type: 'intent', intent: 'emergency' });
    expect(keys(messages)[0]).toMatch(/^emergency\./);
    expect(offer(messages)).toBeUndefined();
  });
});
