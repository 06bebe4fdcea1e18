/** Two instances behind one webhook URL: an update Telegram delivers to both is answered once. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramChannel, type TelegramChannel } from '../../../src/channels/telegram/index.js';
import type { TurnHandler } from '../../../src/engine/index.js';
import { createSessionStore } from '../../../src/store/index.js';
import { scriptedFailure } from '../failing-turns.js';
import { startBotApiStub, type BotApiStub } from '../../e2e/helpers/bot-api-stub.js';

const SECRET = 'shared_secret-0123456789';
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const handler: TurnHandler = async () => ({ messages: [{ type: 'text', text: 'answer' }], language: 'en', direction: 'ltr' });

describe('Telegram updates shared by several instances', () => {
  const store = createSessionStore({ kind: 'memory' });
  const claimUpdate = async (id: number) => (await store.put(`telegram-update:${id}`, '1', 0, 60_000)) !== false;
  let stub: BotApiStub;
  const channels: TelegramChannel[] = [];
  const servers: Server[] = [];
  const urls: string[] = [];

  beforeAll(async () => {
    stub = await startBotApiStub();
    for (let i = 0; i < 2; i++) {
      const channel = createTelegramChannel({
        token: '123:shared',
        handler,
        failure: scriptedFailure,
        log: silent,
        apiRoot: stub.url,
        webhook: { publicUrl: 'http://127.0.0.1:9', secret: SECRET },
        claimUpdate,
      });
      await channel.start();
      const server = createServer((req, res) => void channel.webhookHandler(req, res));
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      channels.push(channel);
      servers.push(server);
      urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/webhook`);
    }
  });

  afterAll(async () => {
    for (const c of channels) await c.stop();
    for (const s of servers) await new Promise((done) => s.close(done));
    await stub?.close();
  });

  const update = (id: number, chat: number) => ({
    update_id: id,
    message: { message_id: id, date: 0, chat: { id: chat, type: 'private' }, from: { id: chat, is_bot: false, first_name: 'x' }, text: 'hi' },
  });
  const post = (url: string, body: unknown) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: JSON.stringify(body) });

  it('answers an update delivered to both instances once, and distinct updates each once', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await Promise.all(urls.map((url) => post(url, update(500 + i, 77))));
      expect(res.map((r) => r.status)).toEqual([200, 200]);
    }
    await stub.until(() => stub.sent(77).length >= 10, '10 answers');
    await new Promise((done) => setTimeout(done, 300)); // would a duplicate still arrive?
    expect(stub.sent(77)).toHaveLength(10);
  });
});
