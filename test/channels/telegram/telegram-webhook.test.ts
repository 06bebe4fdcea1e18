import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramChannel, type TelegramChannel } from '../../../src/channels/telegram/index.js';
import type { Inbound, TurnHandler } from '../../../src/engine/types.js';
import { scriptedFailure } from '../failing-turns.js';
import { close, eventually, listen, recordingLog, scriptedHandler } from './scripted.js';

/*
 * Webhook mode against a small Bot API stub on 127.0.0.1 that records every call and can
 * be told to fail the next calls of a method (429 with retry_after, 403 for a blocked user).
 */

const TOKEN = '654321:webhook-test-token';
const SECRET = 'test_secret-0123456789';

interface Call {
  method: string;
  params: Record<string, unknown>;
  at: number;
}

interface Failure {
  method: string;
  chat?: string;
  status: number;
  body: object;
  times: number;
}

function createBotApiStub() {
  const calls: Call[] = [];
  const failures: Failure[] = [];
  let nextMessageId = 500;
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const method = (req.url ?? '').split('/').pop() ?? '';
      const params = (raw === '' ? {} : JSON.parse(raw)) as Record<string, unknown>;
      calls.push({ method, params, at: performance.now() });
      const answer = (status: number, body: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      const failure = failures.find((f) => f.method === method && f.times > 0 && (f.chat === undefined || f.chat === String(params.chat_id)));
      if (failure) {
        failure.times--;
        return answer(failure.status, { ok: false, ...failure.body });
      }
      switch (method) {
        case 'getMe':
          return answer(200, { ok: true, result: { id: 42, is_bot: true, first_name: 'Lantern', username: 'lantern_test_bot' } });
        case 'sendMessage':
          return answer(200, {
            ok: true,
            result: { message_id: nextMessageId++, date: 1_700_000_000, chat: { id: Number(params.chat_id), type: 'private' }, text: params.text },
          });
        case 'setWebhook':
        case 'setMyCommands':
        case 'answerCallbackQuery':
        case 'deleteMessage':
          return answer(200, { ok: true, result: true });
        default:
          return answer(404, { ok: false, error_code: 404, description: 'Not Found' });
      }
    });
  });
  return { server, calls, failures };
}

let nextUpdateId = 10_000;
const user = (id: number) => ({ id, is_bot: false, first_name: 'Ana', language_code: 'uk' });

function textUpdate(chatId: number, text: string): object {
  const entities = text.startsWith('/') ? [{ offset: 0, length: text.split(' ')[0]!.length, type: 'bot_command' }] : undefined;
  return {
    update_id: nextUpdateId++,
    message: {
      message_id: nextUpdateId,
      date: 1_700_000_000,
      chat: { id: chatId, type: 'private', first_name: 'Ana' },
      from: user(chatId),
      text,
      ...(entities ? { entities } : {}),
    },
  };
}

function callbackUpdate(chatId: number, data: string): object {
  return {
    update_id: nextUpdateId++,
    callback_query: {
      id: `cb-${nextUpdateId}`,
      from: user(chatId),
      chat_instance: '-1234',
      data,
      message: {
        message_id: 501,
        date: 1_700_000_000,
        chat: { id: chatId, type: 'private', first_name: 'Ana' },
        from: { id: 42, is_bot: true, first_name: 'Lantern' },
        text: 'pick one',
      },
    },
  };
}

describe('Telegram channel, webhook mode against a Bot API stub', () => {
  const scripted = scriptedHandler();
  const log = recordingLog();
  const stub = createBotApiStub();
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const seen: Inbound[] = [];
  // Holds the turn for the text 'wait' until the test releases it, to show per-chat ordering.
  const handler: TurnHandler = async (inbound) => {
    seen.push(inbound);
    if (inbound.event.type === 'text' && inbound.event.text === 'wait') await gate;
    return scripted.handler(inbound);
  };
  let hookServer: Server;
  let hookUrl: string;
  let channel: TelegramChannel;

  const post = (body: unknown, headers: Record<string, string> = { 'x-telegram-bot-api-secret-token': SECRET }) =>
    fetch(hookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const sent = (chatId: number) => stub.calls.filter((call) => call.method === 'sendMessage' && call.params.chat_id === String(chatId));
  const sentTexts = (chatId: number) => sent(chatId).map((call) => call.params.text);

  beforeAll(async () => {
    const apiRoot = await listen(stub.server);
    channel = createTelegramChannel({
      token: TOKEN,
      handler,
      failure: scriptedFailure,
      log,
      apiRoot,
      webhook: { publicUrl: 'https://lantern.example.org/', secret: SECRET },
      commands: {
        'pt-BR': [{ command: 'esquecer', description: 'Apagar esta conversa' }],
        en: [{ command: '/forget', description: 'Delete this conversation' }],
        uk: [{ command: 'forget', description: 'Видалити цю розмову' }],
        default: [{ command: 'help', description: 'Help' }],
      },
    });
    hookServer = createServer((req, res) => void channel.webhookHandler(req, res));
    hookUrl = `${await listen(hookServer)}/telegram/webhook`;
    await channel.start();
  });

  afterAll(async () => {
    release();
    await channel?.stop();
    if (hookServer) await close(hookServer);
    await close(stub.server);
  });

  it('sets the webhook with its secret and a command menu per language at start', () => {
    expect(stub.calls.find((call) => call.method === 'setWebhook')?.params).toMatchObject({
      url: 'https://lantern.example.org/telegram/webhook',
      secret_token: SECRET,
    });
    const menus = stub.calls.filter((call) => call.method === 'setMyCommands').map((call) => call.params);
    expect(menus).toEqual(
      expect.arrayContaining([
        { commands: [{ command: 'forget', description: 'Delete this conversation' }], language_code: 'en' },
        { commands: [{ command: 'forget', description: 'Видалити цю розмову' }], language_code: 'uk' },
        { commands: [{ command: 'esquecer', description: 'Apagar esta conversa' }], language_code: 'pt' },
        { commands: [{ command: 'help', description: 'Help' }] },
      ]),
    );
    expect(menus).toHaveLength(4);
  });

  it('rejects requests without the secret (401) or with a wrong one (403), and other abuse', async () => {
    const update = textUpdate(301, 'should not arrive');
    expect((await post(update, {})).status).toBe(401);
    expect((await post(update, { 'x-telegram-bot-api-secret-token': 'wrong' })).status).toBe(403);
    expect((await fetch(hookUrl, { headers: { 'x-telegram-bot-api-secret-token': SECRET } })).status).toBe(405);
    expect((await post('{not json')).status).toBe(400);
    expect((await post({ message: {} })).status).toBe(400);
    expect((await post(`{"update_id":1,"pad":"${'x'.repeat(1_100_000)}"}`)).status).toBe(413);
    expect(seen.some((inbound) => inbound.conversation === '301')).toBe(false);
    expect(sent(301)).toHaveLength(0);
  });

  it('answers 200 and maps /start with a deep link', async () => {
    const response = await post(textUpdate(302, '/start _uk'));
    expect(response.status).toBe(200);
    await eventually(() => (sent(302).length === 1 ? true : undefined), 'the reply');
    expect(sent(302)[0]!.params).toMatchObject({
      text: 'start:_uk lang:uk\n\npick one',
      parse_mode: 'HTML',
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

  it('answers every callback query in the webhook response (no call of its own), and the choice id round-trips', async () => {
    const update = callbackUpdate(302, 'pick:alpha') as { callback_query: { id: string } };
    const res = await post(update);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ method: 'answerCallbackQuery', callback_query_id: update.callback_query.id });
    await eventually(() => (sent(302).length === 2 ? true : undefined), 'the reply');
    expect(sentTexts(302)[1]).toBe('chose:pick:alpha');
    expect(stub.calls.filter((call) => call.method === 'answerCallbackQuery')).toEqual([]);
  });

  it('answers a callback that leads nowhere (inline message, no chat) too', async () => {
    const update = {
      update_id: nextUpdateId++,
      callback_query: { id: 'cb-inline', from: user(303), chat_instance: '1', inline_message_id: 'AAAB', data: 'x' },
    };
    const res = await post(update);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ method: 'answerCallbackQuery', callback_query_id: 'cb-inline' });
    expect(seen.some((inbound) => inbound.conversation === '303')).toBe(false);
  });

  it('answers an update that is no button press with an empty 200', async () => {
    const res = await post(textUpdate(314, 'hello'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await eventually(() => (sent(314).length === 1 ? true : undefined), 'the reply');
  });

  it('handles a duplicate update_id once', async () => {
    const update = textUpdate(304, 'hello');
    expect((await post(update)).status).toBe(200);
    expect((await post(update)).status).toBe(200);
    await eventually(() => (sent(304).length >= 1 ? true : undefined), 'the reply');
    // A later update of the same chat is answered after the duplicate would have been.
    expect((await post(textUpdate(304, 'later'))).status).toBe(200);
    await eventually(() => (sent(304).length >= 2 ? true : undefined), 'the second reply');
    expect(sentTexts(304)).toEqual(['text:hello', 'text:later']);
    expect(seen.filter((inbound) => inbound.conversation === '304')).toHaveLength(2);
  });

  it('waits retry_after on a 429 and then sends', async () => {
    stub.failures.push({
      method: 'sendMessage',
      chat: '305',
      status: 429,
      body: { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } },
      times: 1,
    });
    await post(textUpdate(305, 'hello'));
    await eventually(() => (sent(305).length === 2 ? true : undefined), 'the retry', 400);
    const [first, second] = sent(305);
    expect(second!.params.text).toBe('text:hello');
    // A lower bound only: the retry must not come before Telegram allowed it.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  it('gives up after 3 tries of 429 and does not send the rest of the reply', async () => {
    stub.failures.push({
      method: 'sendMessage',
      chat: '306',
      status: 429,
      body: { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } },
      times: 3,
    });
    await post(textUpdate(306, 'two'));
    await eventually(
      () => (log.entries.some((entry) => entry.message === 'sending a message failed' && (entry.fields as { code?: number }).code === 429) ? true : undefined),
      'the give-up',
      400,
    );
    expect(sent(306)).toHaveLength(3);
    expect(sentTexts(306).every((text) => text === 'one of two')).toBe(true);
  });

  it('on 403 (bot blocked) sends the forget command to the core and stops sending', async () => {
    stub.failures.push({
      method: 'sendMessage',
      chat: '307',
      status: 403,
      body: { error_code: 403, description: 'Forbidden: bot was blocked by the user' },
      times: 99,
    });
    await post(textUpdate(307, 'two'));
    await eventually(() => (seen.filter((inbound) => inbound.conversation === '307').length === 2 ? true : undefined), 'the forget turn');
    expect(seen.filter((inbound) => inbound.conversation === '307').map((inbound) => inbound.event)).toEqual([
      { type: 'text', text: 'two' },
      { type: 'command', command: 'forget' },
    ]);
    // The second message of the reply and the forget turn's own reply were never attempted.
    expect(sent(307)).toHaveLength(1);
  });

  it('runs the turns of one chat in order and other chats meanwhile', async () => {
    await post(textUpdate(308, 'wait'));
    await post(textUpdate(308, 'after'));
    await post(textUpdate(309, 'other'));
    await eventually(() => (sent(309).length === 1 ? true : undefined), 'the other chat');
    // Chat 308 is still on its first turn: its second update has not reached the core.
    expect(seen.filter((inbound) => inbound.conversation === '308').map((inbound) => inbound.event)).toEqual([{ type: 'text', text: 'wait' }]);
    release();
    await eventually(() => (sent(308).length === 2 ? true : undefined), 'chat 308');
    expect(sentTexts(308)).toEqual(['text:wait', 'text:after']);
  });

  it('deletes the chat on a forget hint, ignoring messages too old to delete', async () => {
    stub.failures.push({ method: 'deleteMessage', status: 400, body: { error_code: 400, description: "Bad Request: message can't be deleted" }, times: 1 });
    await post(textUpdate(310, 'hello'));
    await eventually(() => (sent(310).length === 1 ? true : undefined), 'the reply');
    await post(textUpdate(310, '/forget'));
    await eventually(() => (sent(310).length === 2 ? true : undefined), 'the confirmation');
    const deleted = stub.calls.filter((call) => call.method === 'deleteMessage' && call.params.chat_id === '310').map((call) => call.params.message_id);
    // Two messages from the user (hello, /forget) and one from the bot; the confirmation stays.
    expect(deleted).toHaveLength(3);
    expect(sentTexts(310)[1]).toBe('forgotten');
  });

  it('passes no malformed id of an update on to the Bot API (found by fuzzing)', async () => {
    const chat = { id: 312, type: 'private', first_name: 'Ana' };
    // A press without a usable id is still a press (the choice runs) but is not answered with junk.
    await post({
      update_id: nextUpdateId++,
      callback_query: { id: { x: 1 }, from: user(312), chat_instance: '1', data: 'pick:beta', message: { message_id: 501, date: 0, chat, text: '…' } },
    });
    await eventually(() => (sent(312).length === 1 ? true : undefined), 'the reply to the press');
    expect(sentTexts(312)[0]).toBe('chose:pick:beta');
    // Chats without an integer id, and a press without `from`, reach no turn and no send.
    for (const id of ['abc', 1.5, null, {}, 0]) {
      expect(
        (await post({ update_id: nextUpdateId++, message: { message_id: 7, date: 0, chat: { id, type: 'private' }, from: user(313), text: 'hello' } })).status,
      ).toBe(200);
    }
    await post({
      update_id: nextUpdateId++,
      callback_query: { id: 'cb-nofrom', chat_instance: '1', data: 'pick:alpha', message: { message_id: 501, date: 0, chat: 'x' } },
    });
    // A message id that is not a Telegram message id is never asked to be deleted.
    await post({ update_id: nextUpdateId++, message: { message_id: -5, date: 0, chat, from: user(312), text: 'hello' } });
    await post({ update_id: nextUpdateId++, message: { message_id: '9', date: 0, chat, from: user(312), text: '/forget' } });
    await eventually(() => (sent(312).length === 3 ? true : undefined), 'the confirmation');
    expect(seen.filter((inbound) => !/^-?\d+$/.test(inbound.conversation))).toEqual([]);
    const junk = stub.calls.filter(
      (call) =>
        (call.method === 'answerCallbackQuery' && typeof call.params.callback_query_id !== 'string') ||
        (call.method === 'deleteMessage' && (typeof call.params.message_id !== 'number' || call.params.message_id <= 0)) ||
        (call.method === 'sendMessage' && !/^-?[1-9]\d*$/.test(String(call.params.chat_id))),
    );
    expect(junk).toEqual([]);
    expect(stub.calls.filter((call) => call.method === 'deleteMessage' && call.params.chat_id === '312').map((call) => call.params.message_id)).toHaveLength(2);
  });

  it('never logs message text, ids or the secret', () => {
    const logged = JSON.stringify(log.entries);
    for (const secret of ['hello', 'pick:alpha', '_uk', SECRET, '302', '307', 'cb-']) expect(logged).not.toContain(secret);
  });

  it('refuses updates once stopped', async () => {
    await channel.stop();
    expect((await post(textUpdate(311, 'late'))).status).toBe(503);
  });
});

describe('Telegram channel: message ids to delete on /forget', () => {
  it("writes a turn's ids (the user's message and every message sent) in one call, after the sends", async () => {
    const stub = createBotApiStub();
    const writes: { chatId: string; ids: number[]; sentBefore: number }[] = [];
    const sends = () => stub.calls.filter((call) => call.method === 'sendMessage').length;
    const sentIds = {
      add: async (chatId: string, ids: number | readonly number[]) =>
        void writes.push({ chatId, ids: typeof ids === 'number' ? [ids] : [...ids], sentBefore: sends() }),
      take: async () => writes.splice(0).flatMap((write) => write.ids),
    };
    const apiRoot = await listen(stub.server);
    const channel = createTelegramChannel({
      token: TOKEN,
      handler: scriptedHandler().handler,
      failure: scriptedFailure,
      log: recordingLog(),
      apiRoot,
      webhook: { publicUrl: 'https://lantern.example.org/', secret: SECRET },
      sentIds,
    });
    const hook = createServer((req, res) => void channel.webhookHandler(req, res));
    const url = `${await listen(hook)}/telegram/webhook`;
    try {
      await channel.start();
      const update = textUpdate(401, 'two') as { message: { message_id: number } };
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify(update),
      });
      await eventually(() => (writes.length > 0 ? true : undefined), 'the write');
      const sent = stub.calls.filter((call) => call.method === 'sendMessage');
      expect(sent).toHaveLength(2);
      expect(writes).toHaveLength(1);
      expect(writes[0]!.chatId).toBe('401');
      expect(writes[0]!.sentBefore).toBe(2);
      expect(writes[0]!.ids).toHaveLength(3);
      expect(writes[0]!.ids[0]).toBe(update.message.message_id);
    } finally {
      await channel.stop();
      await close(hook);
      await close(stub.server);
    }
  });
});
