import { describe, expect, it } from 'vitest';
import { checkRegistryFor, numbersOf, type Inbound, type InboundEvent, type Outbound, type Session } from '../../src/engine/index.js';
import { loadContent, validateContent } from '../../src/content/index.js';
import { contentCopy, shippedEngine } from '../helpers/content.js';

const { engine } = shippedEngine();
const base = { conversation: 'c1', channel: 'test' } as const;

/** Plays events in order and returns every step's result. */
function play(events: InboundEvent[], extra: Partial<Inbound> = {}, start?: Session) {
  let session = start;
  return events.map((event) => {
    const result = engine.step(session, { ...base, ...extra, event }, 1000);
    session = result.session ?? undefined;
    return { ...result, session: result.session };
  });
}
const keys = (messages: Outbound[]) => messages.map((m) => ('key' in m ? m.key : m.type));
const buttons = (messages: Outbound[]) => messages.filter((m) => m.type === 'choices').flatMap((m) => (m.type === 'choices' ? m.choices : []));

describe('starting a conversation', () => {
  it('greets, explains privacy and shows the main menu', () => {
    const [first] = play([{ type: 'start' }]);
    expect(keys(first!.reply.messages)).toEqual(['menu.welcome', 'menu.privacy', 'menu.question']);
    expect(buttons(first!.reply.messages).map((c) => c.id)).toEqual([
      'main/menu/check',
      'main/menu/ad',
      'main/menu/rights',
      'main/menu/hotline',
      'main/menu/language',
      'main/menu/forget',
    ]);
    expect(first!.session).toMatchObject({ flow: 'main', state: 'menu', ctx: { language: 'en' } });
  });

  it('takes country and language from a deep link, ignoring unknown parts', () => {
    expect(play([{ type: 'start', payload: 'md_en' }])[0]!.session!.ctx).toMatchObject({ country: 'MD', language: 'en' });
    expect(play([{ type: 'start', payload: 'zz_xx' }])[0]!.session!.ctx.country).toBeUndefined();
    expect(play([{ type: 'start', payload: '_en' }])[0]!.session!.ctx.country).toBeUndefined();
    expect(play([{ type: 'start', payload: 'br_pt-BR' }])[0]!.session!.ctx).toMatchObject({ country: 'BR', language: 'pt-BR' });
    expect(play([{ type: 'start', payload: '_uk' }])[0]!.session!.ctx).toMatchObject({ language: 'uk' });
    expect(play([{ type: 'start', payload: 'ua' }])[0]!.session!.ctx).toMatchObject({ country: 'UA', language: 'en' });
  });

  it('answers a first plain message with the menu instead of an error', () => {
    const [first] = play([{ type: 'text', text: 'hello' }]);
    expect(keys(first!.reply.messages)).toContain('menu.question');
  });
});

describe('buttons', () => {
  it('moves on when a current button is pressed, by id, number or label', () => {
    for (const press of [
      { type: 'choice', id: 'main/menu/rights' },
      { type: 'text', text: '3' },
      { type: 'text', text: 'learn my RIGHTS' },
    ] as InboundEvent[]) {
      const [, second] = play([{ type: 'start' }, press]);
      expect(second!.session).toMatchObject({ flow: 'facts', state: 'pick' });
    }
  });

  it('answers a stale button with "expired" and the current question again', () => {
    const [, , third] = play([{ type: 'start' }, { type: 'choice', id: 'main/menu/rights' }, { type: 'choice', id: 'main/menu/hotline' }]);
    expect(keys(third!.reply.messages)).toEqual(['system.expired', 'facts.pick']);
    expect(third!.session).toMatchObject({ flow: 'facts', state: 'pick' });
  });

  it('rejects forged buttons without crashing: unknown choice, bad shape, huge id, option not offered', () => {
    for (const id of ['main/menu/nuke', 'main/menu', '../../etc', 'x'.repeat(5000), 'main/menu/rights/extra', 'country/ask/=ZZ']) {
      const [, second] = play([{ type: 'start' }, { type: 'choice', id }]);
      expect(keys(second!.reply.messages)[0]).toBe('system.expired');
      expect(second!.session).toMatchObject({ flow: 'main', state: 'menu' });
    }
  });

  it('does not understand free text on a question with buttons, and asks again', () => {
    const [, second] = play([{ type: 'start' }, { type: 'text', text: 'blue banana tomorrow' }]);
    expect(keys(second!.reply.messages)).toEqual(['system.not_understood', 'system.danger_line_no_country', 'menu.question']);
  });

  it('puts the emergency number and a one-tap SOS button on every "did not understand"', () => {
    const [, second, third] = play([
      { type: 'start', payload: 'md' },
      { type: 'text', text: 'blue banana tomorrow' },
      { type: 'choice', id: '!sos' },
    ]);
    const line = second!.reply.messages.find((m) => 'key' in m && m.key === 'system.danger_line');
    expect(line?.type === 'choices' && line.text).toContain('112');
    expect(line?.type === 'choices' && line.choices.map((c) => c.id)).toEqual(['!sos']);
    expect(keys(third!.reply.messages)[0]).toBe('emergency.intro');
  });

  it('offers a place named in passing with a button, and sets it only when pressed', () => {
    const [, second] = play([
      { type: 'start', payload: 'md' },
      { type: 'text', text: 'is it dangerous to work in Dubai?' },
    ]);
    expect(second!.session!.ctx.country).toBe('MD');
    const offer = second!.reply.messages.find((m) => 'key' in m && m.key === 'system.place_confirm');
    expect(offer?.type === 'choices' && offer.text).toContain('999');
    // The place was understood: offered first, never after "did not understand"; the SOS line stays.
    expect(keys(second!.reply.messages).slice(0, 2)).toEqual(['system.place_confirm', 'system.danger_line']);
    const button = offer?.type === 'choices' ? offer.choices[0]! : undefined;
    expect(button?.id).toBe('main/menu/@AE');
    const third = engine.step(second!.session!, { ...base, event: { type: 'choice', id: button!.id } }, 1000);
    expect(third.session!.ctx.country).toBe('AE');
    expect(keys(third.reply.messages)[0]).toBe('system.country_set');
  });
});

describe('typed answers to a screening question', () => {
  const answer = (text: string, language = 'en') => {
    const extra = { languageHint: language };
    const asked = engine.begin({ ...base, ...extra }, 'screening', 0);
    const result = engine.step(asked.session ?? undefined, { ...base, ...extra, event: { type: 'text', text } }, 0);
    const before = asked.session?.ctx.answers ?? {};
    return Object.entries(result.session?.ctx.answers ?? {}).find(([id]) => !(id in before))?.[1];
  };

  it('records a reply that starts with yes, no or not sure and says more', () => {
    expect(answer('yeah they took it the first day')).toBe('yes');
    expect(answer('no i didnt pay anything')).toBe('no');
    expect(answer('not sure, the agent handled everything')).toBe('unsure');
    expect(answer('not yet')).toBe('unsure');
  });

  it('reads an answer before a command spelt the same (Arabic ابدا, "never", is unaccented ابدأ, "start")', () => {
    expect(answer('ابدا', 'ar')).toBe('no');
  });
});

describe('global intents', () => {
  it("answers an emergency word first, with the country's emergency number and hotline", () => {
    const [, second] = play([
      { type: 'start', payload: 'md' },
      { type: 'text', text: 'SOS!' },
    ]);
    const messages = second!.reply.messages;
    expect(keys(messages)[0]).toBe('emergency.intro');
    expect(numbersOf(messages).map((n) => n.number)).toEqual(expect.arrayContaining(['112', '0 800 77777']));
    // One message carries every number (not one bubble per number), the emergency number first.
    expect(messages.filter((m) => m.type === 'numbers')).toHaveLength(1);
    expect(numbersOf(messages)[0]?.number).toBe('112');
    expect(keys(messages).at(-1)).toBe('menu.question'); // and the question again
  });

  it('without a country shows numbers for countries where the language is spoken at once, then asks the country', () => {
    const [, second] = play([{ type: 'start' }, { type: 'text', text: 'help' }]);
    const messages = second!.reply.messages;
    expect(keys(messages)[0]).toBe('emergency.intro_no_country');
    expect(numbersOf(messages).length).toBeGreaterThanOrEqual(2);
    expect(keys(messages).at(-1)).toBe('country.question');
    expect(second!.session).toMatchObject({ flow: 'country', state: 'ask' });
  });

  it('picks a typed country in any language, then shows its helplines', () => {
    for (const typed of ['Moldova', 'молдова', 'md', 'Moldavie']) {
      const [, , third] = play([{ type: 'start' }, { type: 'text', text: 'sos' }, { type: 'text', text: typed }]);
      expect(third!.session!.ctx.country).toBe('MD');
      expect(keys(third!.reply.messages)).toContain('hotlines.title');
    }
  });

  it('does not treat a long pasted text that happens to contain "help" as an emergency', () => {
    const long = 'We help you with visa and travel, good salary, apply now, many places open for work';
    const [, second] = play([{ type: 'start' }, { type: 'text', text: long }]);
    // It reads like a job ad, so it is offered the ad check (test/engine/ad-offer.test.ts), never the emergency answer.
    expect(keys(second!.reply.messages)[0]).toBe('system.ad_offer');
    expect(second!.notes).not.toContainEqual({ type: 'intent', intent: 'emergency' });
  });

  it('/menu, /help, /language and unknown commands work in every state', () => {
    const [, , menu] = play([{ type: 'start' }, { type: 'choice', id: 'main/menu/rights' }, { type: 'command', command: 'menu' }]);
    expect(menu!.session).toMatchObject({ flow: 'main', state: 'menu' });
    expect(keys(menu!.reply.messages)).toEqual(['menu.question']);
    const [, help] = play([{ type: 'start' }, { type: 'command', command: 'help' }]);
    expect(keys(help!.reply.messages)).toEqual(['system.help', 'menu.question']);
    const [, lang] = play([{ type: 'start' }, { type: 'command', command: 'language' }]);
    expect(lang!.session).toMatchObject({ flow: 'language', state: 'ask' });
    // A language named with the command (the web widget's picker) is chosen at once, and the
    // question the user was at comes again in it: no English language menu.
    const [, , picked] = play([{ type: 'start' }, { type: 'choice', id: 'main/menu/rights' }, { type: 'command', command: 'language', args: 'uk' }]);
    expect(picked!.session).toMatchObject({ flow: 'facts', ctx: { language: 'uk', languageChosen: true } });
    expect(picked!.reply.language).toBe('uk');
    expect(keys(picked!.reply.messages)[0]).toBe('language.changed');
    const [, unknownLanguage] = play([{ type: 'start' }, { type: 'command', command: 'language', args: 'xx' }]);
    expect(unknownLanguage!.session).toMatchObject({ flow: 'language', state: 'ask' });
    const [, unknown] = play([{ type: 'start' }, { type: 'command', command: 'xyzzy' }]);
    expect(keys(unknown!.reply.messages)).toEqual(['system.unknown_command', 'menu.question']);
  });

  it('/forget deletes the session and tells the channel to delete what it keeps', () => {
    const [, forget] = play([
      { type: 'start', payload: 'md' },
      { type: 'command', command: 'forget' },
    ]);
    expect(forget!.session).toBeNull();
    expect(forget!.reply.messages.map((m) => m.type)).toEqual(['text', 'forget']);
  });

  it('the "delete my data" button deletes the session too', () => {
    const [, forget] = play([{ type: 'start' }, { type: 'choice', id: 'main/menu/forget' }]);
    expect(forget!.session).toBeNull();
    expect(forget!.reply.messages.some((m) => m.type === 'forget')).toBe(true);
  });
});

describe('odd input', () => {
  it('answers stickers and photos kindly and asks the question again', () => {
    const [, second] = play([{ type: 'start' }, { type: 'unsupported', kind: 'sticker' }]);
    expect(keys(second!.reply.messages)).toEqual(['system.unsupported', 'system.danger_line_no_country', 'menu.question']);
  });

  it('cuts a huge message with a note and never stores its text', () => {
    const marker = 'ZEBRA-MARKER-42';
    const [, second] = play([{ type: 'start' }, { type: 'text', text: `${marker} ${'x'.repeat(200_000)}` }]);
    expect(keys(second!.reply.messages)[0]).toBe('system.cut');
    expect(JSON.stringify(second!.session)).not.toContain(marker);
  });
});

describe('after a flow edit', () => {
  it('restarts a flow whose saved state no longer exists with a short apology, never an exception', () => {
    const [, inFacts] = play([{ type: 'start' }, { type: 'choice', id: 'main/menu/rights' }]);
    const stale: Session = { ...inFacts!.session!, state: 'pick_old_name' };
    const [after] = play([{ type: 'choice', id: 'facts/pick_old_name/rights' }], {}, stale);
    expect(keys(after!.reply.messages)).toEqual(['system.restarted', 'facts.pick']);
    expect(after!.session).toMatchObject({ flow: 'facts', state: 'pick' });
  });

  it('a session saved under flows no longer kept whose step is gone starts again at the main menu, with a word why', () => {
    const [, inFacts] = play([{ type: 'start' }, { type: 'choice', id: 'main/menu/rights' }]);
    const stale: Session = { ...inFacts!.session!, state: 'pick_old_name', version: 'old' };
    const [after] = play([{ type: 'choice', id: 'facts/pick_old_name/rights' }], {}, stale);
    expect(keys(after!.reply.messages)).toEqual(['system.updated', 'menu.question']);
    expect(after!.reply.messages[0]).toMatchObject({ text: expect.not.stringContaining('system.updated') });
    expect(after!.session).toMatchObject({ flow: 'main', state: 'menu', version: engine.version });
  });

  it('a session in a flow that was deleted goes back to the main menu', () => {
    const [start] = play([{ type: 'start' }]);
    const stale: Session = { ...start!.session!, flow: 'gone', state: 'ask' };
    const [after] = play([{ type: 'text', text: 'hello' }], {}, stale);
    expect(keys(after!.reply.messages)[0]).toBe('system.restarted');
    expect(after!.session).toMatchObject({ flow: 'main' });
  });

  it('a broken target in an edited copy of the flows is caught by validate with file, line and a hint', () => {
    const copy = contentCopy({
      'flows/hotlines.flow.yaml':
        'id: hotlines\nstart: check\nstates:\n  check:\n    branch:\n      - when: hasCountry\n        next: shwo\n      - next: { flow: country }\n  show:\n    action: showHotlines\n    next: { flow: main }\n',
    });
    try {
      const { content, sources, problems } = loadContent(copy.paths, copy.dir);
      expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
      const found = validateContent(content!, sources, checkRegistryFor(content!));
      expect(found).toContainEqual(
        expect.objectContaining({ file: 'flows/hotlines.flow.yaml', line: 7, column: 9, message: 'unknown state `shwo`; did you mean `show`?' }),
      );
    } finally {
      copy.cleanup();
    }
  });
});

describe('language', () => {
  it('an explicit choice beats a later deep link; a deep link beats the platform locale', () => {
    const [, , , picked] = play(
      [{ type: 'start' }, { type: 'command', command: 'language' }, { type: 'choice', id: 'language/ask/=uk' }, { type: 'start', payload: 'md_ro' }],
      { languageHint: 'es' },
    );
    expect(picked!.session!.ctx).toMatchObject({ language: 'uk', country: 'MD' });
    expect(play([{ type: 'start', payload: '_ro' }], { languageHint: 'es' })[0]!.session!.ctx.language).toBe('ro');
    expect(play([{ type: 'start' }], { languageHint: 'es-MX' })[0]!.session!.ctx.language).toBe('es');
    expect(picked!.reply.direction).toBe('ltr');
    expect(play([{ type: 'start', payload: '_ar' }])[0]!.reply.direction).toBe('rtl');
  });

  it('prefers the platform locale for a new user and falls back to the default', () => {
    expect(play([{ type: 'start' }], { languageHint: 'en-GB' })[0]!.session!.ctx.language).toBe('en');
    expect(play([{ type: 'start' }], { languageHint: 'xx' })[0]!.session!.ctx.language).toBe('en');
  });
});

describe('store-free answers', () => {
  it('the emergency answer and the failure apology need no session', () => {
    const inbound = { ...base, event: { type: 'text', text: 'sos' } } as Inbound;
    expect(engine.isEmergency(inbound)).toBe(true);
    expect(numbersOf(engine.emergency(inbound).messages).length).toBeGreaterThan(0);
    const failure = engine.failure(inbound);
    expect(failure.messages[0]).toMatchObject({ key: 'system.error' });
    expect(numbersOf(failure.messages).length).toBeGreaterThan(0);
  });
});

describe('questions that lead back to themselves', () => {
  it('ask again after showing the next fact', () => {
    const turns = play([
      { type: 'start' },
      { type: 'choice', id: 'main/menu/rights' },
      { type: 'choice', id: 'facts/pick/rights' },
      { type: 'choice', id: 'fact_topic/more/another' },
      { type: 'choice', id: 'fact_topic/more/another' },
    ]);
    for (const turn of turns.slice(2)) {
      expect(keys(turn.reply.messages).at(-1)).toBe('facts.more');
      expect(turn.reply.messages.some((m) => m.type === 'link')).toBe(true);
    }
  });
});
