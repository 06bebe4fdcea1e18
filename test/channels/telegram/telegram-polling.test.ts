import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import type { TelegramClient } from 'telegram-test-api/lib/modules/telegramClient.js';
import { createTelegramChannel, type TelegramChannel } from '../../../src/channels/telegram/index.js';
import { scriptedFailure } from '../failing-turns.js';
import { close, eventually, freePort, listen, LONG_PARAGRAPHS, recordingLog, scriptedHandler } from './scripted.js';

/*
 * Long polling against telegram-test-api, a Bot API emulator. The emulator answers
 * getUpdates at once instead of holding it open, so a small relay in front of it paces empty
 * polls (as Telegram's long polling would) and records which Bot API methods the bot called.
 */

const TOKEN = '123456:polling-test-token';
const CHAT_ID = 4242;

interface SentMessage {
  chat_id: number | string;
  text: string;
  parse_mode?: string;
  reply_markup?: { inline_keyboard: { text: string; callback_data?: string }[][] };
}

describe('Telegram channel, long polling against telegram-test-api', () => {
  const { handler, inbounds } = scriptedHandler();
  const log = recordingLog();
  const calls: string[] = [];
  // Message ids the chat holds, as the emulator reported them, and the ids the bot deleted.
  const shownIds = new Set<number>();
  const deletedIds: number[] = [];
  let emulator: TelegramServer;
  let relay: Server;
  let client: TelegramClient;
  let channel: TelegramChannel;

  beforeAll(async () => {
    emulator = new TelegramServer({ port: await freePort(), host: '127.0.0.1' });
    await emulator.start();
    relay = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const method = (req.url ?? '').split('/').pop() ?? '';
        if (method !== 'getUpdates') calls.push(method);
        try {
          const upstream = await fetch(`${emulator.config.apiURL}${req.url}`, {
            method: req.method ?? 'POST',
            headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
            ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}),
          });
          const body = await upstream.text();
          noteIds(method, Buffer.concat(chunks).toString('utf8'), body);
          if (method === 'getUpdates' && body.includes('"result":[]')) await new Promise((resolve) => setTimeout(resolve, 50));
          res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(body);
        } catch {
          res.writeHead(502).end();
        }
      });
    });
    const relayUrl = await listen(relay);
    client = emulator.getClient(TOKEN, { chatId: CHAT_ID, userId: CHAT_ID, timeout: 8000, interval: 25 });
    channel = createTelegramChannel({
      token: TOKEN,
      handler,
      failure: scriptedFailure,
      log,
      apiRoot: relayUrl,
      commands: { en: [{ command: 'forget', description: 'Delete this conversation' }] },
    });
    await channel.start();
  });

  afterAll(async () => {
    await channel?.stop();
    if (relay) await close(relay);
    await emulator?.stop();
  });

  function noteIds(method: string, request: string, response: string): void {
    if (method === 'deleteMessage') deletedIds.push(Number((JSON.parse(request) as { message_id: number }).message_id));
    if (method === 'sendMessage') shownIds.add((JSON.parse(response) as { result: { message_id: number } }).result.message_id);
    if (method === 'getUpdates') {
      for (const update of (JSON.parse(response) as { result: { message?: { message_id: number } }[] }).result) {
        if (update.message) shownIds.add(update.message.message_id);
      }
    }
  }

  /** Reads the bot's next `count` messages to the chat, however many polls that takes. */
  async function botMessages(count: number): Promise<SentMessage[]> {
    const messages: SentMessage[] = [];
    for (let i = 0; i < 20 && messages.length < count; i++) {
      const updates = await client.getUpdates();
      messages.push(...updates.result.map((update) => update.message as unknown as SentMessage));
    }
    return messages;
  }

  it('starts polling even though the emulator has no setMyCommands (logged, not fatal)', async () => {
    expect(calls).toContain('getMe');
    await eventually(() => (calls.includes('deleteWebhook') ? true : undefined), 'polling to start');
    expect(log.entries.some((entry) => entry.level === 'warn' && entry.message === 'setMyCommands failed')).toBe(true);
  });

  it('maps /start with a deep link and renders the choices as an inline keyboard', async () => {
    await client.sendCommand(client.makeCommand('/start md_ro', { from: { language_code: 'ro' } as never }));
    const [message] = await botMessages(1);
    expect(inbounds.at(-1)).toEqual({ conversation: String(CHAT_ID), channel: 'telegram', languageHint: 'ro', event: { type: 'start', payload: 'md_ro' } });
    expect(message).toMatchObject({
      chat_id: String(CHAT_ID),
      parse_mode: 'HTML',
      text: 'start:md_ro lang:ro\n\npick one',
      reply_markup: {
        inline_keyboard: [
          [
            { text: 'Alpha', callback_data: 'pick:alpha' },
            { text: 'Beta', callback_data: 'pick:beta' },
          ],
        ],
      },
    });
  });

  it('answers a button press and round-trips the choice id', async () => {
    const answeredBefore = calls.filter((method) => method === 'answerCallbackQuery').length;
    await client.sendCallback(client.makeCallbackQuery('pick:beta'));
    const [message] = await botMessages(1);
    expect(message?.text).toBe('chose:pick:beta');
    expect(inbounds.at(-1)?.event).toEqual({ type: 'choice', id: 'pick:beta' });
    expect(calls.filter((method) => method === 'answerCallbackQuery').length).toBe(answeredBefore + 1);
  });

  it('passes typed text and escapes it in the HTML reply', async () => {
    await client.sendMessage(client.makeMessage('fee <300> & passport'));
    const [message] = await botMessages(1);
    expect(inbounds.at(-1)?.event).toEqual({ type: 'text', text: 'fee <300> & passport' });
    expect(message?.text).toBe('text:fee &lt;300&gt; &amp; passport');
  });

  it('maps a sticker to an unsupported inbound', async () => {
    const sticker = client.makeMessage('', {
      sticker: { file_id: 'CAACAgIAAxkBAAIB', file_unique_id: 'AgADAQAD', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false },
    } as never) as Record<string, unknown>;
    delete sticker.text;
    await client.sendMessage(sticker as never);
    const [message] = await botMessages(1);
    expect(inbounds.at(-1)?.event).toEqual({ type: 'unsupported', kind: 'sticker' });
    expect(message?.text).toBe('unsupported:sticker');
  });

  it('splits a reply longer than 4096 characters at a paragraph boundary', async () => {
    await client.sendMessage(client.makeMessage('long'));
    const messages = await botMessages(2);
    expect(messages).toHaveLength(2);
    for (const message of messages) expect(message.text.length).toBeLessThanOrEqual(4096);
    expect(messages.map((message) => message.text)).toEqual([LONG_PARAGRAPHS.slice(0, 2).join('\n\n'), LONG_PARAGRAPHS[2]]);
  });

  it('on /forget deletes what it sent and what the user wrote, then confirms', async () => {
    await client.sendCommand(client.makeCommand('/forget'));
    const [message] = await botMessages(1);
    expect(message?.text).toBe('forgotten');
    expect(inbounds.at(-1)?.event).toEqual({ type: 'command', command: 'forget' });
    // Every message of the chat so far (5 from the user, /forget included, and 6 from the
    // bot) is deleted, and the confirmation that came after is not.
    const confirmation = Math.max(...shownIds);
    const expected = [...shownIds].filter((id) => id !== confirmation).sort((a, b) => a - b);
    expect(expected).toHaveLength(11);
    expect([...deletedIds].sort((a, b) => a - b)).toEqual(expected);
    expect(emulator.storage.botMessages.map((update) => update.message.text)).toContain('forgotten');
  });

  it('never logs message text or the chat id', () => {
    const logged = JSON.stringify(log.entries);
    for (const secret of ['passport', 'md_ro', 'pick:beta', 'lorem', String(CHAT_ID)]) expect(logged).not.toContain(secret);
  });
});
