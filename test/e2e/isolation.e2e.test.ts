import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotFrameworkDriver } from './drivers/botframework.js';
import type { ChannelDriver, Seen } from './drivers/driver.js';
import { createTelegramDriver } from './drivers/telegram.js';
import { createWebChatDriver } from './drivers/webchat.js';

/*
 * Two people on one server, their turns interleaved, on each channel: Ana (English) answers the
 * screening, Ion (Romanian) reads facts and asks for help. Nothing of one conversation may show
 * in the other: not a reply (Telegram chat id, Bot Framework conversation, Direct Line
 * conversation), not a language, not a step of the dialogue; and Ana's /forget deletes Ana only.
 */

const SLOW = 300_000;
const MAIN_MENU = ['Check a job offer', 'Check a job ad text', 'Learn my rights', 'Helpline numbers', 'Change language', 'Delete my data'];
const ANSWERS = ['Yes', 'No', 'Not sure'];
const text = (seen: Seen) => seen.texts.join('\n');

interface Run {
  driver: { close(): Promise<void> };
  ana: ChannelDriver;
  ion: ChannelDriver;
}

const channels: [string, () => Promise<Run>][] = [
  [
    'telegram',
    async () => {
      const driver = await createTelegramDriver({ chatId: 6101, languageCode: 'en' });
      return { driver, ana: driver, ion: driver.openChat(6102, 'ro') };
    },
  ],
  [
    'botframework',
    async () => {
      const driver = await createBotFrameworkDriver();
      return { driver, ana: driver, ion: driver.openConversation() };
    },
  ],
  [
    'webchat',
    async () => {
      const driver = await createWebChatDriver();
      return { driver, ana: driver, ion: driver.openConversation() };
    },
  ],
];

describe.each(channels)('two interleaved conversations on %s', (_name, open) => {
  let run: Run;
  const seen: Record<string, Seen> = {};

  beforeAll(async () => {
    run = await open();
    const { ana, ion } = run;
    // The order is the point: every step of one person falls between two steps of the other.
    seen.anaStart = await ana.act({ start: 'md_en' });
    seen.ionStart = await ion.act({ start: 'md_ro' });
    seen.anaQ1 = await ana.act({ tap: 'Check a job offer' });
    seen.ionTopics = await ion.act({ tap: seen.ionStart.buttons[2]! });
    seen.anaQ2 = await ana.act({ tap: 'Yes' });
    seen.ionSos = await ion.act({ type: 'SOS' });
    seen.anaQ3 = await ana.act({ tap: 'No' });
    seen.anaForget = await ana.act({ type: '/forget' });
    seen.ionFact = await ion.act({ tap: seen.ionTopics.buttons[0]! });
    seen.anaAgain = await ana.act({ start: 'md_en' });
    seen.anaQ1Again = await ana.act({ tap: 'Check a job offer' });
  }, SLOW);

  afterAll(async () => {
    await run?.driver.close();
  });

  it('greets each person in their own language', () => {
    expect(text(seen.anaStart!)).toContain('Hello. I am Lantern.');
    expect(seen.anaStart!.buttons).toEqual(MAIN_MENU);
    expect(text(seen.ionStart!)).not.toContain('Hello. I am Lantern.');
    expect(seen.ionStart!.buttons).toHaveLength(MAIN_MENU.length);
    expect(seen.ionStart!.buttons).not.toEqual(MAIN_MENU);
  });

  it("keeps Ana's screening in order while Ion's turns run between her answers", () => {
    expect(text(seen.anaQ1!)).toMatch(/Question 1 of 12/);
    expect(seen.anaQ1!.buttons).toEqual(ANSWERS);
    expect(text(seen.anaQ2!)).toMatch(/^Question 2 of 12\s/);
    expect(text(seen.anaQ3!)).toMatch(/^Question 3 of 12\s/);
    expect(seen.anaQ3!.buttons).toEqual(ANSWERS);
  });

  it("answers Ion's SOS with Moldova's numbers in Romanian, and leaves him where he was", () => {
    expect(text(seen.ionSos!)).toContain('112');
    expect(text(seen.ionSos!)).toContain('0 800 77777');
    expect(text(seen.ionSos!)).not.toContain('If you are in danger now');
    expect(seen.ionSos!.buttons).toEqual(seen.ionTopics!.buttons);
  });

  it("deletes Ana's data only: Ion's next tap still shows his fact, in Romanian", () => {
    expect(text(seen.anaForget!)).toMatch(/^Done\. I deleted everything I knew about this chat\./);
    expect(text(seen.ionFact!)).toMatch(/\(\d{4}\): https:\/\/\S+/);
    expect(text(seen.ionFact!)).not.toContain('Do you want another fact?');
    expect(text(seen.ionFact!)).not.toMatch(/Question \d+ of 12/);
  });

  it('starts Ana again from the first question after her /forget', () => {
    expect(text(seen.anaAgain!)).toContain('Hello. I am Lantern.');
    expect(text(seen.anaQ1Again!)).toMatch(/Question 1 of 12/);
  });

  it('never shows one person a reply meant for the other', () => {
    const ana = ['anaStart', 'anaQ1', 'anaQ2', 'anaQ3', 'anaForget', 'anaAgain', 'anaQ1Again'].map((k) => text(seen[k]!)).join('\n');
    const ion = ['ionStart', 'ionTopics', 'ionSos', 'ionFact'].map((k) => text(seen[k]!)).join('\n');
    expect(ion).not.toMatch(/Question \d+ of 12|Hello\. I am Lantern\.|Done\. I deleted/);
    expect(ana).not.toContain(text(seen.ionFact!));
  });
});
