/**
 * /forget across instances: two real servers in webhook mode share one Redis and one Bot API
 * stub; the messages instance A sent (and the user's own) are deleted when /forget reaches B.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionStore, type SessionStore } from '../../src/store/index.js';
import { redisReachable, requireService } from '../helpers/requires.js';
import { startBotApiStub, type BotApiStub } from './helpers/bot-api-stub.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TOKEN = '888001:lantern-e2e-forget';
const SECRET = 'e2e_forget-secret-0123456789';

const reachable = await redisReachable(REDIS_URL);

describe.runIf(requireService('Redis', reachable, `no server answers at ${REDIS_URL}`))('Telegram /forget across two instances on one Redis', () => {
  // Unique per run, so that keys and claimed update ids of an earlier run can never match.
  const hashSecret = `e2e-forget-${randomBytes(16).toString('hex')}`;
  const chatId = 5_000_000 + randomInt(1_000_000);
  let nextUpdateId = 600_000_000 + randomInt(100_000_000);
  let nextUserMessageId = 1;
  const updateIds: number[] = [];
  let stub: BotApiStub;
  let store: SessionStore;
  const instances: TestServer[] = [];

  const textUpdate = (text: string) => {
    const update = {
      update_id: nextUpdateId++,
      message: {
        message_id: nextUserMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: 'private', first_name: 'Ana' },
        from: { id: chatId, is_bot: false, first_name: 'Ana', language_code: 'en' },
        text,
        ...(text.startsWith('/') ? { entities: [{ offset: 0, length: text.length, type: 'bot_command' }] } : {}),
      },
    };
    updateIds.push(update.update_id);
    return update;
  };
  const post = async (instance: TestServer, update: object) => {
    const res = await fetch(`${instance.url}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(update),
    });
    expect(res.status).toBe(200);
  };
  const exchange = async (instance: TestServer, update: object, count: number) => {
    await post(instance, update);
    await stub.until(() => stub.sent(chatId).length >= count, `message ${count} to the chat`);
  };
  const sessionKey = () => instances[0]!.server.service.keyOf({ channel: 'telegram', conversation: String(chatId) });
  const storedIds = async (): Promise<unknown> => {
    const got = await store.get(`${sessionKey()}:sent`);
    return got === undefined ? undefined : JSON.parse(got.value);
  };
  /** An instance stores an id just after the Bot API returns it: wait (bounded) until the list matches. */
  const settledIds = async (expected: unknown): Promise<unknown> => {
    for (let tries = 0; tries < 250; tries++) {
      const ids = await storedIds();
      if (JSON.stringify(ids) === JSON.stringify(expected)) return ids;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return storedIds();
  };

  beforeAll(async () => {
    stub = await startBotApiStub();
    store = createSessionStore({ kind: 'redis', url: REDIS_URL });
    for (let i = 0; i < 2; i++) {
      instances.push(
        await startTestServer((port) => ({
          STORE: 'redis',
          REDIS_URL,
          HASH_SECRET: hashSecret,
          PUBLIC_URL: `http://127.0.0.1:${port}`,
          TELEGRAM_WEBHOOK_SECRET: SECRET,
          TELEGRAM_BOT_TOKEN: TOKEN,
          TELEGRAM_API_ROOT: stub.url,
        })),
      );
    }
    // The config's hook timeout (two servers start here; a loaded machine takes longer than 30 s).
  });

  afterAll(async () => {
    const key = instances[0] ? sessionKey() : undefined;
    // Closed first: a turn still in flight would write its ids after the clean-up.
    for (const instance of instances) await instance.close();
    if (store && key) {
      await Promise.all([store.delete(key), store.delete(`${key}:sent`), ...updateIds.map((id) => store.delete(`telegram-update:${id}`))]);
    }
    await store?.close();
    await stub?.close();
  });

  it("deletes on instance B the messages instance A sent, and the user's own, then drops the id list", async () => {
    const [a, b] = instances as [TestServer, TestServer];
    const start = textUpdate('/start md_en');
    await exchange(a, start, 1);
    const help = textUpdate('/help');
    await exchange(a, help, 2);
    const fromA = stub.sent(chatId).map((call) => call.messageId!);
    const expectedFromA = [start.message.message_id, fromA[0]!, help.message.message_id, fromA[1]!];
    // Numbers only, in the order they were sent: no text, no user id.
    expect(await settledIds(expectedFromA)).toEqual(expectedFromA);

    const forget = textUpdate('/forget');
    await exchange(b, forget, 3);
    const deleted = stub.calls
      .filter((call) => call.method === 'deleteMessage' && String(call.params.chat_id) === String(chatId))
      .map((call) => Number(call.params.message_id));
    // A's two messages, the user's /start, /help and /forget; B's confirmation stays.
    expect([...deleted].sort((x, y) => x - y)).toEqual([...expectedFromA, forget.message.message_id].sort((x, y) => x - y));
    // The list was emptied: only B's confirmation, sent after the deletions, is recorded anew.
    const confirmation = stub.sent(chatId)[2]!.messageId!;
    expect(await settledIds([confirmation])).toEqual([confirmation]);
  });

  it('logged no chat id and no message text on either instance', () => {
    for (const instance of instances) {
      const logs = instance.logs();
      expect(logs).toContain('lantern is listening');
      for (const secret of [String(chatId), 'md_en', '/forget', '/help']) expect(logs).not.toContain(secret);
    }
  });
});
