/**
 * The Telegram driver: a real Lantern server polling telegram-test-api (a Bot API emulator), and
 * one private chat driven the way a user would, by typing, sending a sticker and tapping inline
 * buttons. A small relay in front of the emulator paces empty polls (the emulator answers
 * getUpdates at once, real Telegram holds it open) and sees every Bot API call the bot makes.
 */
import { createServer, type Server } from 'node:http';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import type { TelegramClient } from 'telegram-test-api/lib/modules/telegramClient.js';
import { closeServer, freePort, listen, startTestServer, type TestServer } from '../helpers/test-server.js';
import type { ChannelDriver, Seen, UserAction } from './driver.js';

const TOKEN = '777000:lantern-e2e-polling';
// No new message for this long after the last one: the bot has said everything for this action.
const QUIET_MS = 150;
/** How long a reply whose last message has no keyboard must stay quiet to count as complete. */
const QUIET_WITHOUT_KEYBOARD_MS = 1_200;
// The first message of an answer must come within this; whole answers within twice that. Generous:
// on a loaded machine (two test runs at once) the first answer after start, while the bot is still
// starting to poll, has taken more than 8 s; a slow answer is not what these tests assert.
const FIRST_MESSAGE_MS = 30_000;
const EMPTY_POLL_PAUSE_MS = 40;

/** What the bot sent, as the user's app shows it. */
interface ShownMessage {
  messageId: number;
  text: string;
  /** Inline buttons in reading order: label and callback data. */
  buttons: { label: string; data: string }[];
}

/** The Telegram driver, with what only Telegram has: old keyboards, stickers, the Bot API calls. */
export interface TelegramDriver extends ChannelDriver {
  /** Taps a button on an earlier keyboard (1 = the keyboard before the most recent one), as a user who scrolls up. */
  tapEarlier(label: string, keyboardsBack: number): Promise<Seen>;
  /** Sends a sticker (the bot cannot read it). */
  sendSticker(): Promise<Seen>;
  /** Bot API methods the server called, in order (polls left out). */
  readonly calls: readonly string[];
  /** Message ids the bot asked Telegram to delete. */
  readonly deletedIds: readonly number[];
  /** Message ids shown in the chat so far, the user's and the bot's. */
  readonly shownIds: ReadonlySet<number>;
  /** The languages the server loaded. */
  readonly languages: readonly string[];
  /** What the server logged (pino JSON lines). */
  logs(): string;
  /** Another private chat with the same server and emulator (a second user); closing the driver closes it. */
  openChat(chatId: number, languageCode: string): ChannelDriver;
}

/** Starts an emulator, a relay and a real server in polling mode, and drives one private chat. */
export async function createTelegramDriver(options: { chatId?: number; languageCode?: string; env?: Record<string, string> } = {}): Promise<TelegramDriver> {
  const chatId = options.chatId ?? 5150;
  const languageCode = options.languageCode ?? 'en';
  const emulator = new TelegramServer({ port: await freePort(), host: '127.0.0.1' });
  await emulator.start();
  const client: TelegramClient = emulator.getClient(TOKEN, { chatId, userId: chatId, firstName: 'Ana' });

  const calls: string[] = [];
  const deletedIds: number[] = [];
  const shownIds = new Set<number>();
  // What each chat's app shows, by chat id: a reply sent to the wrong chat lands in the wrong list.
  const shownByChat = new Map<string, ShownMessage[]>();
  const shownIn = (id: number | string) => {
    let list = shownByChat.get(String(id));
    if (!list) shownByChat.set(String(id), (list = []));
    return list;
  };
  // Bot API calls under way: a message on its way means the bot is not quiet yet.
  let inFlight = 0;
  // The driver acts only once the bot polls: a user's first message then meets a bot that reads.
  let polling: () => void = () => undefined;
  const firstPoll = new Promise<void>((resolve) => (polling = resolve));
  const relay: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const method = (req.url ?? '').split('?')[0]!.split('/').pop() ?? '';
      const request = Buffer.concat(chunks);
      const counted = method !== 'getUpdates';
      if (counted) inFlight++;
      try {
        const upstream = await fetch(`${emulator.config.apiURL}${req.url}`, {
          method: req.method ?? 'POST',
          headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
          ...(req.method === 'POST' ? { body: request } : {}),
        });
        const body = await upstream.text();
        if (method !== 'getUpdates') calls.push(method);
        else polling();
        note(method, request.toString('utf8'), body);
        if (method === 'getUpdates' && body.includes('"result":[]')) await new Promise((resolve) => setTimeout(resolve, EMPTY_POLL_PAUSE_MS));
        res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(body);
      } catch {
        res.writeHead(502).end();
      } finally {
        if (counted) inFlight--;
      }
    });
  });

  function note(method: string, request: string, response: string): void {
    const parse = (text: string) => (text === '' ? {} : (JSON.parse(text) as Record<string, unknown>));
    if (method === 'deleteMessage') deletedIds.push(Number(parse(request).message_id));
    if (method === 'getUpdates') {
      for (const update of (parse(response).result ?? []) as { message?: { message_id: number } }[])
        if (update.message) shownIds.add(update.message.message_id);
    }
    if (method !== 'sendMessage') return;
    const params = parse(request) as {
      chat_id: string | number;
      text: string;
      reply_markup?: { inline_keyboard?: { text: string; callback_data?: string }[][] };
    };
    const result = (parse(response) as { result?: { message_id: number } }).result;
    if (!result) return;
    if (String(params.chat_id) === String(chatId)) shownIds.add(result.message_id);
    shownIn(params.chat_id).push({
      messageId: result.message_id,
      text: decodeHtml(params.text),
      buttons: (params.reply_markup?.inline_keyboard ?? [])
        .flat()
        .flatMap((b) => (b.callback_data === undefined ? [] : [{ label: b.text, data: b.callback_data }])),
    });
  }

  let test: TestServer | undefined;
  try {
    const relayUrl = await listen(relay);
    test = await startTestServer({ ...options.env, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: relayUrl });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the bot did not poll the Bot API within ${FIRST_MESSAGE_MS / 1000} s`)), FIRST_MESSAGE_MS);
    });
    try {
      await Promise.race([firstPoll, late]);
    } catch (error) {
      await test.close();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  } catch (error) {
    await closeServer(relay);
    await emulator.stop();
    throw error;
  }
  const server = test;

  /** The server's warnings and errors so far, for a failure message (Lantern logs no message text). */
  function serverTrouble(): string {
    const lines = server
      .logs()
      .split('\n')
      .filter((line) => /"level":(4|5|6)\d/.test(line))
      .slice(-5);
    return lines.length === 0 ? '' : `; the server logged:\n${lines.join('\n')}`;
  }

  /** One private chat: what its user types and taps, and what its app shows. */
  function chat(id: number, language: string, user: TelegramClient) {
    const from = { id, is_bot: false, first_name: 'Ana', language_code: language };
    const shown = shownIn(id);
    const keyboards = () => shown.filter((m) => m.buttons.length > 0);

    async function collect(before: number): Promise<Seen> {
      const deadline = Date.now() + FIRST_MESSAGE_MS;
      while (shown.length === before && Date.now() < deadline) await pause(20);
      if (shown.length === before) throw new Error(`no reply within ${FIRST_MESSAGE_MS / 1000} s${serverTrouble()}`);
      // Quiet for QUIET_MS, but never longer than another FIRST_MESSAGE_MS in all.
      const end = Date.now() + FIRST_MESSAGE_MS;
      let count = shown.length;
      // Lantern's replies end with a keyboard almost always: without one yet, quiet must last longer, so a
      // machine that stalls between two sends of one turn is not taken for the end of the reply.
      let quietFor = 0;
      while (count > before && Date.now() < end) {
        await pause(QUIET_MS);
        quietFor = shown.length === count && inFlight === 0 ? quietFor + QUIET_MS : 0;
        if (quietFor > 0 && (shown.at(-1)!.buttons.length > 0 || quietFor >= QUIET_WITHOUT_KEYBOARD_MS)) break;
        count = shown.length;
      }
      const fresh = shown.slice(before);
      return {
        texts: fresh.map((m) => m.text.trim()),
        buttons:
          fresh
            .filter((m) => m.buttons.length > 0)
            .at(-1)
            ?.buttons.map((b) => b.label) ?? [],
      };
    }

    async function press(keyboard: ShownMessage | undefined, label: string): Promise<Seen> {
      const button = keyboard?.buttons.find((b) => b.label === label);
      if (!keyboard || !button)
        throw new Error(
          `no button "${label}" on that keyboard; it has: ${keyboard?.buttons.map((b) => `"${b.label}"`).join(', ') ?? 'no keyboard at all'}${serverTrouble()}`,
        );
      const before = shown.length;
      await emulator.addUserCallback(
        user.makeCallbackQuery(button.data, {
          from,
          message: { message_id: keyboard.messageId, from: { id: 42, is_bot: true, first_name: 'Lantern' } },
        }) as never,
      );
      return collect(before);
    }

    async function type(text: string): Promise<Seen> {
      const before = shown.length;
      if (text.startsWith('/')) await emulator.addUserCommand(user.makeCommand(text, { from }) as never);
      else await emulator.addUserMessage(user.makeMessage(text, { from }) as never);
      return collect(before);
    }

    return {
      act(action: UserAction) {
        if ('type' in action) return type(action.type);
        if ('tap' in action) return press(keyboards().at(-1), action.tap);
        return type(action.start === null ? '/start' : `/start ${action.start}`);
      },
      tapEarlier(label: string, keyboardsBack: number) {
        return press(keyboards().at(-1 - keyboardsBack), label);
      },
      async sendSticker() {
        const before = shown.length;
        const sticker = user.makeMessage('', {
          from,
          sticker: { file_id: 'CAACAgIAAxkBAAE', file_unique_id: 'AgADBAAD', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false },
        } as never) as Record<string, unknown>;
        delete sticker.text;
        await emulator.addUserMessage(sticker as never);
        return collect(before);
      },
    };
  }

  const first = chat(chatId, languageCode, client);
  return {
    name: 'telegram',
    calls,
    deletedIds,
    shownIds,
    languages: server.languages,
    logs: () => server.logs(),
    act: first.act,
    tapEarlier: first.tapEarlier,
    sendSticker: first.sendSticker,
    openChat(otherId, otherLanguage) {
      const other = chat(otherId, otherLanguage, emulator.getClient(TOKEN, { chatId: otherId, userId: otherId, firstName: 'Ion' }));
      return { name: 'telegram', act: other.act, close: async () => undefined };
    },
    async close() {
      await server.close();
      await closeServer(relay);
      await emulator.stop();
    },
  };
}

/** Undoes the channel's HTML escaping, so tests compare what the user reads. */
function decodeHtml(html: string): string {
  return html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
