import { describe, expect, it } from 'vitest';
import type { InboundEvent, Outbound, Session } from '../../src/engine/index.js';
import { shippedEngine } from '../helpers/content.js';

const { engine } = shippedEngine();
const arabic = { conversation: 'c1', channel: 'test', languageHint: 'ar' } as const;

/** Plays events in order and returns every step's result. */
function play(events: InboundEvent[], start?: Session) {
  let session = start;
  return events.map((event) => {
    const result = engine.step(session, { ...arabic, event }, 1000);
    session = result.session ?? undefined;
    return result;
  });
}

/** The "are you in ... now?" offers of a reply: each one's text and its one button. */
const offers = (messages: Outbound[]) =>
  messages.flatMap((m) => (m.type === 'choices' && m.key === 'system.place_confirm' ? [{ text: m.text, choices: m.choices }] : []));

describe('a place name two countries share (عمان: Amman, Jordan, or Oman)', () => {
  it('typed at "which country are you in?" offers both countries, each by its name and emergency number', () => {
    const [, , typed] = play([{ type: 'start' }, { type: 'choice', id: 'main/menu/hotline' }, { type: 'text', text: 'عمان' }]);
    expect(typed!.session).toMatchObject({ flow: 'country', state: 'ask' });
    expect(typed!.session!.ctx.country).toBeUndefined();
    const offered = offers(typed!.reply.messages);
    expect(offered.map((o) => o.choices)).toEqual([[{ id: 'country/ask/=OM', label: 'عُمان' }], [{ id: 'country/ask/=JO', label: 'الأردن' }]]);
    // Each question names its own country and gives that country's emergency number.
    expect(offered[0]!.text).toContain('عُمان');
    expect(offered[0]!.text).toContain('9999');
    expect(offered[1]!.text).toContain('الأردن');
    expect(offered[1]!.text).toContain('911');
  });

  it('at the country question, the tapped country becomes where the person is', () => {
    const [, , , tapped] = play([
      { type: 'start' },
      { type: 'choice', id: 'main/menu/hotline' },
      { type: 'text', text: 'عمان' },
      { type: 'choice', id: 'country/ask/=JO' },
    ]);
    expect(tapped!.session!.ctx.country).toBe('JO');
  });

  it('typed as free text elsewhere (the menu) offers both, sets neither, and keeps the SOS line', () => {
    const [, typed, tapped] = play([{ type: 'start' }, { type: 'text', text: 'عمان' }, { type: 'choice', id: 'main/menu/@OM' }]);
    expect(typed!.session!.ctx.country).toBeUndefined();
    expect(offers(typed!.reply.messages).map((o) => o.choices.map((c) => c.id))).toEqual([['main/menu/@OM'], ['main/menu/@JO']]);
    expect(typed!.reply.messages.some((m) => 'key' in m && m.key === 'system.danger_line_no_country')).toBe(true);
    expect(typed!.reply.messages.some((m) => 'key' in m && m.key === 'system.not_understood')).toBe(false);
    expect(tapped!.session!.ctx.country).toBe('OM');
  });

  it('elsewhere, the country already set is not offered again: only the other one is', () => {
    const [, typed] = play([
      { type: 'start', payload: 'jo' },
      { type: 'text', text: 'عمان' },
    ]);
    expect(offers(typed!.reply.messages).map((o) => o.choices.map((c) => c.id))).toEqual([['main/menu/@OM']]);
  });

  it('the other country named too decides: Jordan alone is taken at the country question', () => {
    const [, , typed] = play([{ type: 'start' }, { type: 'choice', id: 'main/menu/hotline' }, { type: 'text', text: 'عمان الاردن' }]);
    expect(offers(typed!.reply.messages)).toEqual([]);
    expect(typed!.session!.ctx.country).toBe('JO');
  });

  it('two different places in one message still offer only the first (only a shared name offers two)', () => {
    const [, typed] = play([{ type: 'start' }, { type: 'text', text: 'اشتغلت في دبي وبعدين قطر' }]);
    expect(offers(typed!.reply.messages).map((o) => o.choices.map((c) => c.id))).toEqual([['main/menu/@AE']]);
  });
});
