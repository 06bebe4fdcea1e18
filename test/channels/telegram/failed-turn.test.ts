/** A turn that fails on Telegram is answered with the engine's apology and the emergency number, and logged once. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramChannel, type TelegramChannel } from '../../../src/channels/telegram/index.js';
import type { TurnHandler } from '../../../src/engine/index.js';
import { startBotApiStub, type BotApiStub } from '../../e2e/helpers/bot-api-stub.js';
import { expectedApology, failingTurns, scriptedFailure } from '../failing-turns.js';
import { recordingLog } from './scripted.js';

const SECRET = 'failed_turn-secret-0123456789';
const CHAT = 4242;

describe('Telegram failed turns', () => {
  let stub: BotApiStub | undefined;
  let channel: TelegramChannel | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    await channel?.stop();
    server?.closeAllConnections();
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
    await stub?.close();
  });

  it.each([
    ['an engine whose step throws', failingTurns],
    ['a handler that rejects', () => ({ handler: (async () => Promise.reject(new RangeError('secret words'))) as TurnHandler, failure: scriptedFailure })],
  ])('answers %s with the apology and the emergency number', async (_what, options) => {
    stub = await startBotApiStub();
    const log = recordingLog();
    channel = createTelegramChannel({
      token: '123:failed-turn',
      ...options(),
      log,
      apiRoot: stub.url,
      webhook: { publicUrl: 'http://127.0.0.1:9', secret: SECRET },
    });
    await channel.start();
    const hook = channel;
    server = createServer((req, res) => void hook.webhookHandler(req, res));
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
    const update = {
      update_id: 1,
      message: {
        message_id: 7,
        date: 0,
        chat: { id: CHAT, type: 'private', first_name: 'A' },
        from: { id: CHAT, is_bot: false, first_name: 'A', language_code: 'en' },
        text: 'secret words',
      },
    };
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(update),
    });
    expect(res.status).toBe(200);
    await stub.until(() => stub!.sent(CHAT).length > 0, 'the apology');
    const shown = stub
      .sent(CHAT)
      .map((call) => String(call.params.text))
      .join('\n');
    expect(shown).toContain(expectedApology.text);
    expect(shown).toContain(expectedApology.emergencyNumber);
    const logged = JSON.stringify(log.entries);
    expect(logged).not.toMatch(/secret words|4242/);
  });
});
