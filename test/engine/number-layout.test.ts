/**
 * The one layout for numbers, over a small fixture directory (the shipped file is another team's
 * data): the emergency number first, one message per answer, what each line is for, the ways to
 * write instead of calling, the confidential / without-papers line, no enforcement line in an
 * emergency, a home country's lines for citizens abroad after the current country's, and names
 * translated per locale with the operator's own name kept.
 */
import { describe, expect, it } from 'vitest';
import { renderReply as renderActivities } from '../../src/channels/botframework/render-reply.js';
import { renderReply as renderTelegram } from '../../src/channels/telegram/render.js';
import { createHotlineDirectory, hotlineFileSchema } from '../../src/content/index.js';
import { createHotlineReplies } from '../../src/engine/hotline-replies.js';
import { numbersAsText, numbersOf, type Outbound, type Reply } from '../../src/engine/index.js';
import type { Translator } from '../../src/i18n/index.js';
import { shippedEngine } from '../helpers/content.js';

const checked = '2026-11-28';
const sources = ['https://example.org/source'];
const emergency = (number: string) => ({ number, sources, checked, confidence: 'verified-from-source' });
const line = (id: string, kind: string, numbers: object[], extra: object = {}) => ({
  id,
  organisation: `Org ${id}`,
  name: `Line ${id}`,
  kind,
  numbers,
  sources,
  checked,
  confidence: 'verified-from-source',
  ...extra,
});

const file = hotlineFileSchema.parse({
  countries: {
    MY: {
      emergency: emergency('999'),
      helplines: [
        // First in the file: the ranking, not the file order, keeps it out of an emergency answer.
        line('my-immigration', 'enforcement', [{ number: '+60 3 8000 8000' }]),
        line('my-tenaganita', 'trafficking', [{ number: '+60 3 7770 3671' }], {
          confidential: true,
          withoutPapers: true,
          whatsapp: '+60 12 335 0512',
          purpose: 'Help for migrant workers who were deceived or are held',
        }),
        line('my-labour', 'labour', [{ number: '03 8000 8000' }], { web: 'https://example.org/complaint', telegram: '@mylabourline' }),
      ],
    },
    KH: {
      emergency: emergency('117'),
      helplines: [
        line('kh-inside', 'trafficking', [{ number: '1288', shortCode: true }]),
        line(
          'kh-abroad',
          'migrant-workers',
          [
            { number: '1297', shortCode: true },
            { number: '+855 23 884 397', from: 'abroad' },
          ],
          { sms: 'SMS to 1297' },
        ),
      ],
    },
    // As the issue found the US answer: an immigration tip line among few lines, so it would make the first two.
    US: {
      emergency: emergency('911'),
      helplines: [line('us-ice-tips', 'enforcement', [{ number: '+1 866 347 2423' }]), line('us-dv', 'women', [{ number: '+1 800 799 7233' }])],
    },
    AE: {
      emergency: emergency('999'),
      helplines: [
        line('ae-mohre', 'labour', [
          { number: '+971 4 702 1111', from: 'anywhere' },
          { number: '80060', shortCode: true },
        ]),
      ],
    },
  },
});

/** A translator over a few texts: English for everything, Arabic and Russian for some. */
function fakeTranslator(texts: Record<string, Record<string, string>>): Translator {
  const own = (lng: string, key: string) => texts[lng]?.[key];
  return {
    languages: Object.keys(texts),
    t: (lng, key, vars) => (own(lng, key) ?? own('en', key) ?? key).replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(vars?.[name] ?? '')),
    has: (lng, key) => own(lng, key) !== undefined,
    direction: (lng) => (lng === 'ar' ? 'rtl' : 'ltr'),
    nativeName: (lng) => lng,
    negotiate: (hint) => hint,
  };
}
const translator = fakeTranslator({
  en: {
    'hotlines.title': 'Help in {{country}}:',
    'hotlines.emergency': 'Emergency number',
    'hotlines.free': 'free call',
    'hotlines.from_abroad': 'from abroad',
    'hotlines.recheck': 'Numbers can change.',
    'hotlines.home_heading': 'For citizens of {{country}} abroad:',
    'hotlines.note.confidential': 'Confidential.',
    'hotlines.note.without_papers': 'Helps people without papers too.',
    'hotlines.kind.labour': 'Complaints about work',
    'hotlines.kind.trafficking': 'Help if you were tricked or forced into work',
    'hotlines.kind.migrant-workers': 'Help for migrant workers',
    'hotlines.channel.web': 'Write online',
    'hotlines.channel.sms': 'SMS',
    'emergency.intro': 'If you are in danger now, call the emergency number.',
  },
  ar: { 'hotlines.emergency': 'رقم الطوارئ', 'emergency.intro': 'إذا كنت في خطر الآن، اتصل برقم الطوارئ.', 'hotlines.lines.ae-mohre.name': 'خط شكاوى العمال' },
  ru: { 'hotlines.lines.my-tenaganita.name': 'Линия помощи', 'hotlines.lines.my-tenaganita.purpose': 'Помощь обманутым работникам' },
});
const directory = createHotlineDirectory(file);
const replies = createHotlineReplies(directory, translator);

const only = (messages: Outbound[]) => {
  const numbers = messages.filter((m) => m.type === 'numbers');
  expect(numbers).toHaveLength(1);
  return numbers[0] as Extract<Outbound, { type: 'numbers' }>;
};
const titles = (messages: Outbound[]) => only(messages).sections.flatMap((s) => s.lines.map((l) => l.title));

describe('one layout for numbers', () => {
  it('the emergency answer is one message: the emergency number first, then helplines', () => {
    const answer = replies.emergency('en', 'MY');
    expect(answer).toHaveLength(1);
    expect(numbersOf(answer)[0]).toMatchObject({ number: '999', dial: '999' });
    expect(titles(answer)[0]).toBe('Emergency number');
  });

  it('the helplines answer: emergency number, then helplines, then the explanation', () => {
    const text = numbersAsText(only(replies.forCountry('en', 'MY')));
    const at = (part: string) => text.indexOf(part);
    expect(at('Help in Malaysia:')).toBe(0);
    expect(at('Emergency number: 999')).toBeGreaterThan(0);
    expect(at('Org my-tenaganita')).toBeGreaterThan(at('Emergency number: 999'));
    expect(at('Numbers can change.')).toBeGreaterThan(at('Org my-labour'));
  });

  it('each line says what it is for, shows its ways to write, and says once that it is confidential and serves people without papers', () => {
    const tenaganita = only(replies.forCountry('en', 'MY')).sections[0]!.lines.find((l) => l.title.startsWith('Org my-tenaganita'))!;
    expect(tenaganita.purpose).toBe('Help for migrant workers who were deceived or are held');
    expect(tenaganita.channels).toEqual([{ label: 'WhatsApp', text: '+60 12 335 0512', url: 'https://wa.me/60123350512' }]);
    expect(tenaganita.note).toBe('Confidential. Helps people without papers too.');
    const labour = only(replies.forCountry('en', 'MY')).sections[0]!.lines.find((l) => l.title.startsWith('Org my-labour'))!;
    expect(labour.purpose).toBe('Complaints about work'); // no purpose in the file: the kind says it
    expect(labour.channels.map((c) => c.url)).toEqual(['https://t.me/mylabourline', 'https://example.org/complaint']);
    expect(labour.note).toBeUndefined();
    const sms = only(replies.forCountry('en', 'KH')).sections[0]!.lines.find((l) => l.title.startsWith('Org kh-abroad'))!;
    expect(sms.channels).toEqual([{ label: 'SMS', text: '1297', url: 'sms:1297' }]);
  });
});

describe('not for enforcement', () => {
  it('an enforcement line is never in an emergency answer, with or without a home country', () => {
    for (const answer of [replies.emergency('en', 'MY'), replies.emergency('en', 'KH', { home: 'MY' }), replies.emergency('en', undefined, { home: 'MY' })]) {
      expect(numbersOf(answer).map((n) => n.number)).not.toContain('+60 3 8000 8000');
      expect(JSON.stringify(answer)).not.toContain('my-immigration');
    }
    const us = replies.emergency('en', 'US', { home: 'MY' });
    expect(numbersOf(us).map((n) => n.number)).toEqual(['911', '+1 800 799 7233']);
  });

  it('elsewhere it comes after every other line', () => {
    expect(directory.shownHelplines('MY').map((h) => h.id)).toEqual(['my-tenaganita', 'my-labour', 'my-immigration']);
  });
});

describe('three countries: a home country adds its lines for citizens abroad', () => {
  it('a Cambodian in Malaysia sees Malaysia’s emergency number and helplines, then Cambodia’s lines reachable from abroad', () => {
    const answer = only(replies.emergency('en', 'MY', { home: 'KH' }));
    expect(answer.sections.map((s) => s.heading)).toEqual([undefined, 'For citizens of Cambodia abroad:']);
    expect(numbersOf([answer])[0]!.number).toBe('999');
    const home = answer.sections[1]!.lines;
    // Only the numbers that work from abroad: not Cambodia's short codes, not its emergency number.
    expect(home.flatMap((l) => l.numbers.map((n) => n.number))).toEqual(['+855 23 884 397']);
    expect(home[0]!.numbers[0]!.dial).toBe('+85523884397');
  });

  it('adds nothing when home is where the person is, or has no line reachable from abroad', () => {
    expect(only(replies.forCountry('en', 'KH', { home: 'KH' })).sections).toHaveLength(1);
    expect(only(replies.forCountry('en', 'KH', { home: 'MY' })).sections).toHaveLength(1);
    expect(only(replies.forCountry('en', 'MY', { home: 'AE' })).sections[1]!.lines.map((l) => l.title)).toEqual(['Org ae-mohre — Line ae-mohre']);
  });
});

describe('names translatable', () => {
  it('a translated name and purpose replace the English; the operator’s own name stays as written', () => {
    const line = only(replies.forCountry('ru', 'MY')).sections[0]!.lines.find((l) => l.title.startsWith('Org my-tenaganita'))!;
    expect(line.title).toBe('Org my-tenaganita — Линия помощи');
    expect(line.purpose).toBe('Помощь обманутым работникам');
  });

  it('without a translation, the file’s name stays and the kind says what the line is for in the language', () => {
    const line = only(replies.forCountry('ar', 'MY')).sections[0]!.lines.find((l) => l.title.startsWith('Org my-tenaganita'))!;
    expect(line.title).toBe('Org my-tenaganita — Line my-tenaganita');
    // The fake Arabic has no kind text, so the English fallback shows; the file's English purpose is for English only.
    expect(line.purpose).toBe('Help if you were tricked or forced into work');
  });
});

describe('Bot Framework and the web chat: at most 3 activities per answer', () => {
  const { engine } = shippedEngine();
  const base = { conversation: 'count', channel: 'botframework' as const };
  const start = engine.step(undefined, { ...base, event: { type: 'start', payload: 'md_en' } }, 0);
  const sos = engine.step(start.session!, { ...base, event: { type: 'text', text: 'SOS' } }, 1).reply;
  const menu = engine.step(start.session!, { ...base, event: { type: 'command', command: 'menu' } }, 1);
  const hotlineId = menu.reply.messages.flatMap((m) => (m.type === 'choices' ? m.choices : [])).find((c) => c.id.endsWith('/hotline'))!.id;
  const helplines = engine.step(menu.session!, { ...base, event: { type: 'choice', id: hotlineId } }, 2).reply;

  it.each([
    ['the emergency answer', sos],
    ['the helplines answer', helplines],
  ])('%s', (_name, reply) => {
    expect(numbersOf(reply.messages).length).toBeGreaterThanOrEqual(3);
    // Before: 1 activity on /api/messages, 7 (emergency) and 11 (helplines) on the self-hosted Direct Line.
    for (const channelId of ['msteams', 'webchat', 'directline']) expect(renderActivities(reply, channelId, 'combined').length).toBeLessThanOrEqual(3);
    expect(renderActivities(reply, 'webchat', 'per-message').length).toBeLessThanOrEqual(3);
  });
});

describe('numbers read left to right in Arabic', () => {
  const reply: Reply = { messages: replies.emergency('ar', 'AE'), language: 'ar', direction: 'rtl' };
  const log = { debug() {}, info() {}, warn() {}, error() {} };

  it('Bot Framework and the web chat wrap every number in a left-to-right isolate', () => {
    const combined = String(renderActivities(reply, 'webchat', 'combined')[0]!.text);
    expect(combined).toContain('\u2066[+971 4 702 1111](tel:+97147021111)\u2069');
    const plain = String(renderActivities(reply, 'webchat', 'per-message')[0]!.text);
    expect(plain).toContain('\u2066+971 4 702 1111\u2069');
    expect(plain).toContain('\u2066999\u2069');
    expect(plain).toContain('خط شكاوى العمال');
  });

  it('Telegram marks every number left to right', () => {
    const [operation] = renderTelegram(reply, log);
    expect(operation).toMatchObject({ kind: 'send' });
    const html = operation!.kind === 'send' ? operation!.html : '';
    // The dial form in brackets may carry Telegram's own mark before its +.
    expect(html).toMatch(/\u200E\+971 4 702 1111 \(\u200E?\+97147021111\)\u200E/);
    expect(html).toContain('\u200E999\u200E');
  });

  it('left-to-right text gets no marks', () => {
    const en: Reply = { messages: replies.emergency('en', 'AE'), language: 'en', direction: 'ltr' };
    expect(String(renderActivities(en, 'webchat', 'per-message')[0]!.text)).not.toMatch(/[\u2066-\u2069\u200E]/);
  });
});
