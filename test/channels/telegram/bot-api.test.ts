/** The lean Bot API client: what it sends, and how it reports what the Bot API (or a proxy) answers. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TelegramError } from 'telegraf';
import { afterEach, describe, expect, it } from 'vitest';
import { createBotApi, type BotApi } from '../../../src/channels/telegram/bot-api.js';

const TOKEN = '123456:secret-token-part';

async function stub(answer: (req: IncomingMessage, body: string, res: ServerResponse) => void) {
  const seen: { url: string; body: string; type: string | undefined }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ url: req.url ?? '', body, type: req.headers['content-type'] });
      answer(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { root, seen, close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) };
}

describe('the Bot API client', () => {
  const open: { api: BotApi; close: () => Promise<void> }[] = [];
  afterEach(async () => {
    for (const { api, close } of open.splice(0)) {
      api.close();
      await close();
    }
  });
  const start = async (answer: Parameters<typeof stub>[0], timeoutMs?: number) => {
    const s = await stub(answer);
    const api = createBotApi(TOKEN, { apiRoot: s.root, ...(timeoutMs ? { timeoutMs } : {}) });
    open.push({ api, close: s.close });
    return { api, seen: s.seen };
  };
  const json = (res: ServerResponse, status: number, value: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));

  it('posts the payload as JSON to /bot<token>/<method> (nulls left out) and resolves with the result', async () => {
    const { api, seen } = await start((_req, body, res) => json(res, 200, { ok: true, result: { message_id: 7, echo: JSON.parse(body) } }));
    const result = await api.call<{ message_id: number; echo: unknown }>('sendMessage', { chat_id: '42', text: 'héllo', reply_markup: null });
    expect(result.message_id).toBe(7);
    expect(result.echo).toEqual({ chat_id: '42', text: 'héllo' });
    expect(seen[0]).toMatchObject({ url: `/bot${TOKEN}/sendMessage`, type: 'application/json' });
    // Kept-alive: a second call works on the same pool.
    await expect(api.call('sendMessage', { chat_id: '42', text: 'again' })).resolves.toBeDefined();
  });

  it('rejects a refusal with a TelegramError carrying the code and retry_after, as telegraf does', async () => {
    const { api } = await start((_req, _body, res) =>
      json(res, 429, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } }),
    );
    const error = await api.call('sendMessage', { chat_id: '1', text: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelegramError);
    expect((error as TelegramError).code).toBe(429);
    expect((error as TelegramError).parameters?.retry_after).toBe(3);
  });

  it('reports a proxy error page by its status, and a blocked bot as 403', async () => {
    let call = 0;
    const { api } = await start((_req, _body, res) =>
      call++ === 0
        ? res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad gateway</html>')
        : json(res, 403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' }),
    );
    const proxy = await api.call('sendMessage', { chat_id: '1', text: 'x' }).catch((e: unknown) => e);
    expect((proxy as TelegramError).code).toBe(502);
    const blocked = await api.call('sendMessage', { chat_id: '1', text: 'x' }).catch((e: unknown) => e);
    expect((blocked as TelegramError).code).toBe(403);
  });

  it('sends again, once, on a new connection when a kept-alive one was closed under the request', async () => {
    // The second request on a connection is dropped unanswered, as by a server closing an idle
    // connection at that moment; the first request on a connection is answered.
    const { api, seen } = await start((req, body, res) => {
      const socket = req.socket as typeof req.socket & { served?: number };
      socket.served = (socket.served ?? 0) + 1;
      if (socket.served > 1) socket.destroy();
      else json(res, 200, { ok: true, result: { message_id: seen.length, text: (JSON.parse(body) as { text: string }).text } });
    });
    await api.call('sendMessage', { chat_id: '1', text: 'first' });
    const again = await api.call<{ text: string }>('sendMessage', { chat_id: '1', text: 'second' });
    expect(again.text).toBe('second');
    expect(seen.map((s) => (JSON.parse(s.body) as { text: string }).text)).toEqual(['first', 'second', 'second']);
  });

  it('does not send again when a fresh connection is reset: the message may have gone out', async () => {
    const { api, seen } = await start((req) => req.socket.destroy());
    const error = (await api.call('sendMessage', { chat_id: '1', text: 'x' }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^Bot API sendMessage: /);
    expect(seen).toHaveLength(1);
  });

  it('gives up on a silent server after its timeout, without the token in the error', async () => {
    const { api } = await start(() => undefined, 200);
    const error = (await api.call('sendMessage', { chat_id: '1', text: 'x' }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/sendMessage: no answer within 200 ms/);
    expect(error.message).not.toContain(TOKEN);
  });

  it('refuses to read an answer larger than a Bot API answer can be', async () => {
    const { api } = await start((_req, _body, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('x'.repeat(2 << 20)));
    const error = (await api.call('sendMessage', { chat_id: '1', text: 'x' }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/too large/);
  });
});
