import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createTelegramDriver, type TelegramDriver } from './drivers/telegram.js';
import { startBotApiStub, type BotApiStub } from './helpers/bot-api-stub.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/*
 * The Telegram channel end to end: the real server, flows and locales, reached the way Telegram
 * reaches it. Long polling runs against telegram-test-api (a Bot API emulator); webhook mode
 * against a Bot API stub that records every call. Texts come from the locale files, so these
 * tests follow the content; the hotline numbers come from flows/hotlines.yaml.
 */

const root = resolve(import.meta.dirname, '../..');
// Distinctive, so that finding it in a log line cannot be a coincidence.
const CHAT_ID = 73_914_265;
const SLOW = 90_000;

type Json = { [key: string]: string | Json };

/** A translator over a locales folder, with English as the fallback, as the bot does. */
function localeTexts(localesDir: string) {
  const cache = new Map<string, Json>();
  const file = (language: string, name: string): Json => {
    const key = `${language}/${name}`;
    if (!cache.has(key)) {
      try {
        cache.set(key, JSON.parse(readFileSync(join(localesDir, language, `${name}.json`), 'utf8')) as Json);
      } catch {
        cache.set(key, {});
      }
    }
    return cache.get(key)!;
  };
  const lookup = (language: string, key: string): string | undefined => {
    const [name = '', ...path] = key.split('.');
    let node: string | Json | undefined = file(language, name);
    for (const part of path) node = typeof node === 'object' ? node[part] : undefined;
    return typeof node === 'string' ? node : undefined;
  };
  return (key: string, language = 'en'): string => {
    const text = lookup(language, key) ?? lookup('en', key);
    if (text === undefined) throw new Error(`no text for ${key}`);
    return text;
  };
}

interface Indicator {
  id: string;
  question: string;
  explanation?: string;
  flagWhen?: string[];
  answers: { id: string }[];
}

const indicators = (parse(readFileSync(join(root, 'flows/indicators.yaml'), 'utf8')) as { indicators: Indicator[] }).indicators;
const hotlines = parse(readFileSync(join(root, 'flows/hotlines.yaml'), 'utf8')) as {
  countries: Record<
    string,
    {
      languages?: string[];
      emergency: { number: string };
      helplines: { id: string; organisation: string; confidence: string; numbers: { number: string }[] }[];
    }
  >;
};
const MENU = ['check_offer', 'check_ad', 'rights', 'hotline', 'language', 'forget'].map((key) => `menu.${key}`);

/** The progress line of a screening question, e.g. "Question 3 of 12". */
function progressOf(text: string | undefined): { current: number; total: number } | undefined {
  const match = /Question (\d+) of (\d+)/.exec(text ?? '');
  return match ? { current: Number(match[1]), total: Number(match[2]) } : undefined;
}

describe('Telegram end to end: long polling against telegram-test-api, real server', () => {
  let driver: TelegramDriver;
  const t = localeTexts(join(root, 'locales'));
  const answerLabel = (answer: string) => t(`screening.answer.${answer}`);

  beforeAll(async () => {
    driver = await createTelegramDriver({ chatId: CHAT_ID, languageCode: 'en' });
  });

  afterAll(async () => {
    await driver?.close();
  });

  it('greets a /start md_en deep link and shows the main menu as inline buttons', async () => {
    const seen = await driver.act({ start: 'md_en' });
    expect(seen.texts).toHaveLength(1);
    expect(seen.texts[0]).toBe([t('menu.welcome'), t('menu.privacy'), t('menu.question')].join('\n\n'));
    expect(seen.buttons).toEqual(MENU.map((key) => t(key)));
  });

  it(
    'runs a full screening by buttons: progress on every question, then the explained result with the Moldova hotline',
    async () => {
      // One strong red flag in documents (passport kept) and no other flag: the rules give "high".
      const answerFor = (indicator: Indicator): string => {
        if (indicator.id === 'passport_kept') return 'yes';
        if (!indicator.flagWhen) return 'yes';
        return indicator.answers.map((a) => a.id).find((a) => a !== 'unsure' && !indicator.flagWhen!.includes(a))!;
      };
      let seen = await driver.act({ tap: t('menu.check_offer') });
      expect(seen.texts.join('\n')).toContain(t('check.intro'));
      const asked: string[] = [];
      let expected = 1;
      for (let guard = 0; guard < 30; guard++) {
        const last = seen.texts.at(-1) ?? '';
        const progress = progressOf(last);
        if (!progress) break;
        expect(progress.current, `progress after ${asked.join(', ')}`).toBe(expected);
        expect(progress.current).toBeLessThanOrEqual(progress.total);
        const indicator = indicators.find((i) => last.endsWith(t(i.question)));
        expect(indicator, `a screening question from indicators.yaml: ${last}`).toBeDefined();
        asked.push(indicator!.id);
        expect(seen.buttons).toEqual(indicator!.answers.map((a) => answerLabel(a.id)));
        seen = await driver.act({ tap: answerLabel(answerFor(indicator!)) });
        expected++;
      }
      expect(asked).toContain('passport_kept');
      expect(asked.length).toBeGreaterThanOrEqual(5);
      expect(new Set(asked).size).toBe(asked.length);
      // Before the result: where the job is (here, where the person is too).
      expect(seen.texts.at(-1)).toBe(t('country.job_question'));
      seen = await driver.act({ type: 'Moldova' });

      const result = seen.texts.join('\n\n');
      expect(result).toContain(`${t('screening.level.high.title')}\n${t('screening.level.high.text')}`);
      expect(t('screening.level.high.title')).toBe('Serious warning signs');
      expect(result).toContain(t('screening.passport_kept.explanation'));
      // Only the flag found is explained.
      for (const other of asked.filter((id) => id !== 'passport_kept')) {
        const explanation = indicators.find((i) => i.id === other)!.explanation;
        if (explanation) expect(result).not.toContain(t(explanation));
      }
      // La Strada Moldova's free line as published, then the dial form that phones make tappable.
      const laStrada = hotlines.countries.MD!.helplines.find((h) => h.id === 'md-lastrada')!;
      expect(laStrada.numbers[0]!.number).toBe('0 800 77777');
      expect(result).toMatch(/La Strada[^\n]*\n[^\n]*\n0 800 77777 \(\+37380077777\)/); // its title, what it is for, then its numbers
      expect(seen.buttons).toEqual([t('check.again'), t('menu.check_ad'), t('menu.hotline'), t('common.menu')]);
    },
    SLOW,
  );

  it(
    'accepts typed answers during a screening: "yes", "no", "not sure" and a button number',
    async () => {
      let seen = await driver.act({ tap: t('check.again') });
      expect(progressOf(seen.texts.at(-1))?.current).toBe(1);
      const typed = ['yes', 'no', 'not sure', '2'];
      for (const [index, text] of typed.entries()) {
        seen = await driver.act({ type: text });
        expect(seen.texts, `after typing "${text}"`).toHaveLength(1);
        expect(seen.texts[0]).not.toContain(t('system.not_understood'));
        expect(progressOf(seen.texts[0])?.current, `after typing "${text}"`).toBe(index + 2);
        expect(seen.buttons).toEqual(['yes', 'no', 'unsure'].map(answerLabel));
      }
      // Control: a word that is no answer is not taken as one.
      seen = await driver.act({ type: 'banana' });
      expect(seen.texts[0]).toContain(t('system.not_understood'));
      // "Did not understand" carries the emergency number with a one-tap SOS button (its own keyboard).
      expect(seen.texts[0]).toContain(t('system.danger_line').replace('{{number}}', '112'));
      expect(progressOf(seen.texts.at(-1))?.current).toBe(5);
    },
    SLOW,
  );

  it('answers a button from an earlier question with "expired" and the current question again', async () => {
    // Keyboards so far end with questions 3, 4, 5 and 5 again (after "banana"): this is question 3's "Yes".
    const seen = await driver.tapEarlier(answerLabel('yes'), 3);
    expect(seen.texts).toHaveLength(1);
    expect(seen.texts[0]).toMatch(/^That button has expired\./);
    expect(seen.texts[0]).toContain(t('system.expired'));
    expect(progressOf(seen.texts[0])?.current).toBe(5);
    expect(seen.buttons).toEqual(['yes', 'no', 'unsure'].map(answerLabel));
  });

  it('answers a sticker kindly and asks the current question again', async () => {
    const seen = await driver.sendSticker();
    expect(seen.texts).toHaveLength(2);
    expect(seen.texts[0]).toMatch(/^I can only read text and buttons/);
    expect(seen.texts[0]).toContain(t('system.unsupported'));
    expect(seen.texts[0]).toContain(t('system.danger_line').replace('{{number}}', '112'));
    expect(progressOf(seen.texts[1])?.current).toBe(5);
  });

  it('answers SOS mid-screening with 112 first, the Moldova hotlines, then the current question; the screening goes on', async () => {
    let seen = await driver.act({ type: 'SOS' });
    const all = seen.texts.join('\n\n');
    expect(all.startsWith(t('emergency.intro'))).toBe(true);
    const emergency = all.indexOf(': 112');
    const hotline = all.indexOf('0 800 77777 (+37380077777)');
    const question = all.indexOf('Question 5 of');
    expect(emergency).toBeGreaterThan(0);
    expect(hotline).toBeGreaterThan(emergency);
    expect(question).toBeGreaterThan(hotline);
    expect(seen.buttons).toEqual(['yes', 'no', 'unsure'].map(answerLabel));
    seen = await driver.act({ tap: answerLabel('no') });
    expect(progressOf(seen.texts.at(-1))?.current).toBe(6);
  });

  it('answered every button press, and logged neither the chat id nor what was typed', () => {
    expect(driver.calls).toContain('answerCallbackQuery');
    const logs = driver.logs();
    expect(logs).toContain('lantern is listening');
    for (const secret of [String(CHAT_ID), 'md_en', 'banana', 'not sure', 'Question']) expect(logs).not.toContain(secret);
  });
});

describe('Telegram end to end: webhook mode against a Bot API stub, real server', () => {
  const TOKEN = '888000:lantern-e2e-webhook';
  const SECRET = 'e2e_webhook-secret-0123456789';
  let stub: BotApiStub;
  let test: TestServer;
  let publicUrl = '';
  let webhookUrl = '';
  let nextUpdateId = 90_000;
  let nextUserMessageId = 1;
  let t: ReturnType<typeof localeTexts>;

  const user = (chatId: number, languageCode?: string) => ({
    id: chatId,
    is_bot: false,
    first_name: 'Ana',
    ...(languageCode ? { language_code: languageCode } : {}),
  });
  const chat = (chatId: number) => ({ id: chatId, type: 'private', first_name: 'Ana' });
  const textUpdate = (chatId: number, text: string, languageCode: string | undefined = 'en') => ({
    update_id: nextUpdateId++,
    message: {
      message_id: nextUserMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: chat(chatId),
      from: user(chatId, languageCode),
      text,
      ...(text.startsWith('/') ? { entities: [{ offset: 0, length: text.split(' ')[0]!.length, type: 'bot_command' }] } : {}),
    },
  });
  const callbackUpdate = (chatId: number, data: string, messageId: number) => ({
    update_id: nextUpdateId++,
    callback_query: {
      id: `cb-${nextUpdateId}`,
      from: user(chatId, 'en'),
      chat_instance: '1',
      data,
      message: {
        message_id: messageId,
        date: Math.floor(Date.now() / 1000),
        chat: chat(chatId),
        from: { id: 42, is_bot: true, first_name: 'Lantern' },
        text: '…',
      },
    },
  });
  const post = (update: object, secret: string | null = SECRET) =>
    fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }) },
      body: JSON.stringify(update),
    });
  const texts = (chatId: number) => stub.sent(chatId).map((call) => String(call.params.text));
  const keyboardOf = (chatId: number) => {
    const call = stub.sent(chatId).findLast((c) => c.params.reply_markup !== undefined);
    const rows = (call?.params.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] } | undefined)?.inline_keyboard ?? [];
    return rows.flat();
  };
  /** Posts an update, waits until the chat has `count` messages from the bot in all, and returns the webhook response's body. */
  const exchange = async (chatId: number, update: object, count: number): Promise<string> => {
    const res = await post(update);
    expect(res.status).toBe(200);
    const body = await res.text();
    await stub.until(() => stub.sent(chatId).length >= count, `message ${count} to chat ${chatId}`);
    return body;
  };

  beforeAll(async () => {
    stub = await startBotApiStub();
    test = await startTestServer((port) => {
      publicUrl = `http://127.0.0.1:${port}`;
      return { PUBLIC_URL: publicUrl, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: stub.url };
    });
    t = localeTexts(test.localesDir);
    webhookUrl = `${test.url}/telegram/webhook`;
  });

  afterAll(async () => {
    await test?.close();
    await stub?.close();
  });

  it('registers <PUBLIC_URL>/telegram/webhook with its secret at start, on the port it serves', () => {
    const setWebhook = stub.calls.filter((call) => call.method === 'setWebhook');
    expect(setWebhook).toHaveLength(1);
    expect(setWebhook[0]!.params).toMatchObject({ url: `${publicUrl}/telegram/webhook`, secret_token: SECRET });
    expect(`${publicUrl}/telegram/webhook`).toBe(webhookUrl);
    expect(stub.calls.some((call) => call.method === 'getUpdates')).toBe(false);
  });

  it('refuses an update without the secret header (401) or with a wrong one (403), and never answers it', async () => {
    const refused = 4_100_001;
    expect((await post(textUpdate(refused, '/start md_en'), null)).status).toBe(401);
    expect((await post(textUpdate(refused, '/start md_en'), 'not-the-secret-0123456789')).status).toBe(403);
    // A later, accepted update to another chat is answered: the refused ones would have been by then.
    await exchange(4_100_002, textUpdate(4_100_002, '/start md_en'), 1);
    expect(stub.sent(refused)).toHaveLength(0);
  });

  it('answers 200 to an update with the right header, and the reply reaches the Bot API', async () => {
    const chatId = 4_100_003;
    await exchange(chatId, textUpdate(chatId, '/start md_en'), 1);
    expect(stub.sent(chatId)[0]!.params).toMatchObject({ parse_mode: 'HTML', text: [t('menu.welcome'), t('menu.privacy'), t('menu.question')].join('\n\n') });
    expect(keyboardOf(chatId).map((b) => b.text)).toEqual(MENU.map((key) => t(key)));
  });

  it('answers an update delivered twice (same update_id) once', async () => {
    const chatId = 4_100_004;
    const update = textUpdate(chatId, '/start md_en');
    expect((await post(update)).status).toBe(200);
    expect((await post(update)).status).toBe(200);
    // Turns of one chat run in order, so once /help is answered a second welcome would be there too.
    await exchange(chatId, textUpdate(chatId, '/help'), 2);
    expect(texts(chatId)).toHaveLength(2);
    expect(texts(chatId)[0]).toContain(t('menu.welcome'));
    expect(texts(chatId)[1]).toContain(t('system.help'));
  });

  it('on /forget deletes every message of the chat, confirms, and forgets the session', async () => {
    const chatId = 4_100_005;
    const start = textUpdate(chatId, '/start md_en');
    await exchange(chatId, start, 1);
    const check = keyboardOf(chatId).find((b) => b.text === t('menu.check_offer'))!;
    const press = callbackUpdate(chatId, check.callback_data, stub.sent(chatId)[0]!.messageId!);
    // The press is answered in the webhook response (Telegram makes the call), not by a call of the bot's.
    expect(JSON.parse(await exchange(chatId, press, 2))).toEqual({ method: 'answerCallbackQuery', callback_query_id: press.callback_query.id });
    const yes = keyboardOf(chatId).find((b) => b.text === t('screening.answer.yes'))!;
    await exchange(chatId, callbackUpdate(chatId, yes.callback_data, stub.sent(chatId)[1]!.messageId!), 3);
    expect(progressOf(texts(chatId)[2])?.current).toBe(2);

    const botIds = stub.sent(chatId).map((call) => call.messageId!);
    const forget = textUpdate(chatId, '/forget');
    await exchange(chatId, forget, 4);
    expect(texts(chatId)[3]).toContain(t('system.forgotten'));
    const deleted = stub.calls
      .filter((call) => call.method === 'deleteMessage' && String(call.params.chat_id) === String(chatId))
      .map((call) => Number(call.params.message_id));
    // The bot's three messages and the user's two (/start and /forget); the confirmation stays.
    expect([...deleted].sort((a, b) => a - b)).toEqual([...botIds, start.message.message_id, forget.message.message_id].sort((a, b) => a - b));

    // The session is gone: the old question's button has expired, and a new message is welcomed.
    await exchange(chatId, textUpdate(chatId, 'hello'), 5);
    expect(texts(chatId)[4]).toContain(t('menu.welcome'));
    expect(texts(chatId)[4]).not.toContain('Question');
  });

  it(
    'reads /start <country>_<language> deep links for every shipped locale: that language, that country',
    async () => {
      expect(test.languages).toContain('en');
      let chatId = 4_200_000;
      for (const language of test.languages) {
        const country = Object.entries(hotlines.countries).find(([, c]) => c.languages?.includes(language))?.[0] ?? 'MD';
        chatId++;
        // No language from the app: only the deep link can choose it.
        await exchange(chatId, textUpdate(chatId, `/start ${country.toLowerCase()}_${language}`, undefined), 1);
        expect(texts(chatId)[0], language).toContain(t('menu.welcome', language));
        expect(
          keyboardOf(chatId).map((b) => b.text),
          language,
        ).toEqual(MENU.map((key) => t(key, language)));
        const hotline = keyboardOf(chatId).find((b) => b.text === t('menu.hotline', language))!;
        await exchange(chatId, callbackUpdate(chatId, hotline.callback_data, stub.sent(chatId)[0]!.messageId!), 2);
        const helplines = texts(chatId).slice(1).join('\n');
        // Organisation names are not translated: the country's first shown helpline proves the country.
        const first = hotlines.countries[country]!.helplines.find((h) => h.confidence !== 'unverified')!;
        expect(helplines, `${language} ${country}`).toContain(first.organisation);
        expect(helplines, `${language} ${country}`).toContain(hotlines.countries[country]!.emergency.number);
      }
    },
    SLOW,
  );

  it('logged no chat id and no message text', () => {
    const logs = test.logs();
    expect(logs).toContain('lantern is listening');
    for (const secret of ['4100005', '4100003', 'md_en', 'hello', '/forget']) expect(logs).not.toContain(secret);
  });
});
