import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotFrameworkDriver } from './drivers/botframework.js';
import type { ChannelDriver, Seen, UserAction } from './drivers/driver.js';
import { createTelegramDriver } from './drivers/telegram.js';
import { createWebChatDriver } from './drivers/webchat.js';

/*
 * One script, three channels, one dialogue. The same user actions run on Telegram (polling a Bot
 * API emulator), Bot Framework (POST /api/messages) and the web chat (self-hosted Direct Line),
 * each against its own real server. At every step the buttons must be identical, and the texts
 * identical after `normalise`, which removes only what a channel's rendering adds:
 *
 * - message grouping and whitespace: Telegram merges consecutive texts into one message with a
 *   blank line between them, Bot Framework sends one activity each; all runs of whitespace
 *   become one space;
 * - markup: HTML tags and entities (Telegram's parse mode), Markdown emphasis and code marks;
 * - link formatting: `<a href="u">label</a>` and `[label](u)` read as `label: u`, the way every
 *   channel shows a link today;
 * - bidi marks (U+200E, U+200F) that Telegram adds before `+` numbers in right-to-left text;
 * - Telegram's dial form in brackets after a phone number (`0 800 77777 (+37380077777)`): every
 *   channel shows the number as published, and Telegram adds the E.164 form that phones make
 *   tappable. The normaliser never rewrites a number; it drops a bracketed dial form only when
 *   its digits end with the published number's (less the trunk 0), so a wrong dial form stays
 *   in the text and fails the comparison.
 *
 * Key facts are asserted on every channel too (112 after SOS, the screening progress, the
 * forget confirmation...), so the test fails if all three channels were wrong the same way.
 */

const SLOW = 300_000;

/** What must hold on every channel after a step, on the normalised text. */
interface Check {
  /** Phrases that must appear, in this order. */
  inOrder?: string[];
  /** The exact buttons offered. */
  buttons?: string[];
  /** A pattern the text must match. */
  matches?: RegExp;
}

interface Step {
  /** How the step is named in failure messages. */
  name: string;
  action: UserAction;
  check?: Check;
}

const MAIN_MENU = ['Check a job offer', 'Check a job ad text', 'Learn my rights', 'Helpline numbers', 'Change language', 'Delete my data'];
const FACT_MENU = ['Another fact', 'Other topics', 'Main menu'];
const ANSWERS = ['Yes', 'No', 'Not sure'];

// Moldova's numbers as /work/shared/reference/hotlines.md publishes them.
const SCRIPT: Step[] = [
  {
    name: 'start md_en',
    action: { start: 'md_en' },
    check: { inOrder: ['Hello. I am Lantern.', 'type /forget', 'What would you like to do?'], buttons: MAIN_MENU },
  },
  { name: 'tap Learn my rights', action: { tap: 'Learn my rights' }, check: { inOrder: ['What do you want to learn about?'] } },
  {
    name: 'tap Your rights',
    action: { tap: 'Your rights' },
    check: { matches: /Source: .+ \(\d{4}\): https:\/\/\S+ Do you want another fact\?$/, buttons: FACT_MENU },
  },
  {
    name: 'tap Another fact',
    action: { tap: 'Another fact' },
    check: { matches: /Source: .+ \(\d{4}\): https:\/\/\S+ Do you want another fact\?$/, buttons: FACT_MENU },
  },
  {
    name: 'type SOS',
    action: { type: 'SOS' },
    // The emergency number first, then La Strada's free line; the fact menu stays where it was.
    check: {
      inOrder: ['If you are in danger now', 'Emergency number: 112', 'La Strada', '0 800 77777', '+373 22 23 33 09', 'Do you want another fact?'],
      buttons: FACT_MENU,
    },
  },
  { name: 'tap Main menu', action: { tap: 'Main menu' }, check: { inOrder: ['What would you like to do?'], buttons: MAIN_MENU } },
  { name: 'tap Check a job offer', action: { tap: 'Check a job offer' }, check: { inOrder: ['I will ask you up to', 'Question 1 of 12'], buttons: ANSWERS } },
  { name: 'answer Yes', action: { tap: 'Yes' }, check: { matches: /^Question 2 of 12 /, buttons: ANSWERS } },
  { name: 'answer No', action: { tap: 'No' }, check: { matches: /^Question 3 of 12 /, buttons: ANSWERS } },
  { name: 'answer Not sure', action: { tap: 'Not sure' }, check: { matches: /^Question 4 of 12 /, buttons: ANSWERS } },
  { name: 'type /forget', action: { type: '/forget' }, check: { matches: /^Done\. I deleted everything I knew about this chat\./, buttons: [] } },
];

const digits = (text: string) => text.replace(/\D/g, '');

/** Drops Telegram's `(+dial)` after a published number, when it is that number's dial form. */
function dropDialForms(text: string): string {
  return text.replace(/(\+?\d[\d ()-]*\d) \((\+\d{3,15})\)/g, (whole, published: string, dial: string) => {
    const national = digits(published).replace(/^0+/, '');
    return national.length >= 3 && digits(dial).endsWith(national) ? published : whole;
  });
}

/** Everything the bot said for one step, with the channels' rendering differences removed (see the top). */
function normalise(texts: readonly string[]): string {
  const text = texts
    .join('\n\n')
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, '$2: $1')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '$1: $2')
    .replace(/<\/?(?:b|strong|i|em|u|ins|s|strike|del|code|pre|tg-spoiler|blockquote)\b[^>]*>/gi, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\*\*|__|`/g, '')
    .replace(/[\u200E\u200F]/g, '');
  return dropDialForms(text).replace(/\s+/g, ' ').trim();
}

describe('normalise: removes rendering differences only', () => {
  it('makes one merged Telegram message equal to separate activities', () => {
    expect(normalise(['One.\n\nTwo.'])).toBe(normalise(['One.', ' Two. ']));
  });

  it('reads markup and links the way the user reads them', () => {
    expect(normalise(['<b>Source</b>: <a href="https://lastrada.md">La Strada</a> &amp; **more**'])).toBe('Source: La Strada: https://lastrada.md & more');
    expect(normalise(['[La Strada](https://lastrada.md)'])).toBe('La Strada: https://lastrada.md');
  });

  it('drops a bracketed dial form that matches the published number, and bidi marks', () => {
    expect(normalise(['La Strada: 0 800 77777 (\u200E+37380077777)'])).toBe('La Strada: 0 800 77777');
    expect(normalise(['Police: (22) 254 998 (+37322254998)'])).toBe('Police: (22) 254 998');
    expect(normalise(['Abroad: +373 22 23 33 09 (+37322233309)'])).toBe('Abroad: +373 22 23 33 09');
  });

  it('keeps real differences: another number, a wrong dial form, another word or order', () => {
    expect(normalise(['Call 0 800 77777'])).not.toBe(normalise(['Call 0 800 77778']));
    expect(normalise(['La Strada: 0 800 77777 (+37380077778)'])).toBe('La Strada: 0 800 77777 (+37380077778)');
    expect(normalise(['Call 112 now'])).not.toBe(normalise(['Call 911 now']));
    expect(normalise(['One.', 'Two.'])).not.toBe(normalise(['Two.', 'One.']));
  });
});

describe('the same dialogue on Telegram, Bot Framework and the web chat', () => {
  const drivers: ChannelDriver[] = [];
  /** What each channel showed, one entry per step of SCRIPT. */
  const seen = new Map<ChannelDriver['name'], Seen[]>();

  beforeAll(async () => {
    // One at a time: the machine is small, and a failed start must still close the others.
    drivers.push(await createTelegramDriver({ languageCode: 'en' }));
    drivers.push(await createBotFrameworkDriver());
    drivers.push(await createWebChatDriver());
    for (const driver of drivers) seen.set(driver.name, []);
    for (const step of SCRIPT) {
      for (const driver of drivers) {
        const answer = await driver.act(step.action).catch((error: Error) => {
          throw new Error(`${driver.name}, step "${step.name}": ${error.message}`);
        });
        seen.get(driver.name)!.push(answer);
      }
    }
  }, SLOW);

  afterAll(async () => {
    await Promise.allSettled(drivers.map((driver) => driver.close()));
  });

  const transcript = (channel: ChannelDriver['name'], part: (answer: Seen) => unknown) =>
    SCRIPT.map((step, index) => ({ step: step.name, shown: part(seen.get(channel)![index]!) }));

  it('ran every step on every channel', () => {
    expect(drivers.map((driver) => driver.name)).toEqual(['telegram', 'botframework', 'webchat']);
    for (const driver of drivers) expect(seen.get(driver.name), driver.name).toHaveLength(SCRIPT.length);
  });

  it('offers exactly the same buttons at every step', () => {
    const telegram = transcript('telegram', (answer) => answer.buttons);
    expect(transcript('botframework', (answer) => answer.buttons)).toEqual(telegram);
    expect(transcript('webchat', (answer) => answer.buttons)).toEqual(telegram);
  });

  it('says the same things at every step, once rendering differences are removed', () => {
    const telegram = transcript('telegram', (answer) => normalise(answer.texts));
    expect(transcript('botframework', (answer) => normalise(answer.texts))).toEqual(telegram);
    expect(transcript('webchat', (answer) => normalise(answer.texts))).toEqual(telegram);
  });

  it('holds the key facts on every channel', () => {
    for (const driver of drivers) {
      SCRIPT.forEach((step, index) => {
        const answer = seen.get(driver.name)![index]!;
        const text = normalise(answer.texts);
        const where = `${driver.name}, after "${step.name}": ${text}`;
        expect(text, where).not.toBe('');
        let from = 0;
        for (const phrase of step.check?.inOrder ?? []) {
          const at = text.indexOf(phrase, from);
          expect(at, `"${phrase}" in order; ${where}`).toBeGreaterThanOrEqual(0);
          from = at + phrase.length;
        }
        if (step.check?.matches) expect(text, where).toMatch(step.check.matches);
        if (step.check?.buttons) expect(answer.buttons, where).toEqual(step.check.buttons);
      });
      // "Another fact" shows the next fact, not the same one again.
      const facts = ['tap Your rights', 'tap Another fact'].map((name) => normalise(seen.get(driver.name)![SCRIPT.findIndex((s) => s.name === name)]!.texts));
      expect(facts[1], driver.name).not.toBe(facts[0]);
    }
  });

  it('shows a phone number as published everywhere; Telegram adds the dial form in brackets, a short code stays as is', () => {
    const sos = SCRIPT.findIndex((step) => step.name === 'type SOS');
    const telegram = seen.get('telegram')![sos]!.texts.join('\n\n');
    expect(telegram).toContain('Emergency number: 112\n');
    // The line's title, what it is for, then its numbers.
    expect(telegram).toMatch(/La Strada[^\n]*\n[^\n]*\n0 800 77777 \(\+37380077777\)/);
    expect(telegram).not.toContain('112 (');
    for (const channel of ['botframework', 'webchat'] as const) {
      const text = seen.get(channel)![sos]!.texts.join('\n\n');
      expect(text, channel).toMatch(/La Strada[^\n]*\n[^\n]*\n0 800 77777 \(free call\)/);
      expect(text, channel).not.toContain('+37380077777');
    }
  });
});
