/**
 * A Telegram Bot API stand-in on 127.0.0.1 for webhook tests: it answers the methods the
 * Telegram channel calls, records every call, and lets a test wait for the bot's messages.
 */
import { createServer } from 'node:http';
import { closeServer, listen } from './test-server.js';

/** One Bot API call as the stub received it. */
export interface BotApiCall {
  method: string;
  params: Record<string, unknown>;
  /** The message id the stub gave a sendMessage. */
  messageId?: number;
}

/** A running Bot API stub. */
export interface BotApiStub {
  /** The apiRoot to give the bot (TELEGRAM_API_ROOT). */
  url: string;
  calls: BotApiCall[];
  /** sendMessage calls to one chat, in order. */
  sent(chatId: number): BotApiCall[];
  /** Waits until `check` holds (checked on every call and every 20 ms), at most `timeoutMs`. */
  until(check: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const ANSWERED_TRUE = new Set([
  'setWebhook',
  'deleteWebhook',
  'setMyCommands',
  'answerCallbackQuery',
  'deleteMessage',
  'editMessageReplyMarkup',
  'editMessageText',
]);

/** Starts the stub; message ids it hands out start at 1000. */
export async function startBotApiStub(): Promise<BotApiStub> {
  const calls: BotApiCall[] = [];
  const listeners = new Set<() => void>();
  let nextMessageId = 1000;
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const method = (req.url ?? '').split('?')[0]!.split('/').pop() ?? '';
      let params: Record<string, unknown> = {};
      try {
        params = raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error_code: 400, description: 'Bad Request: not JSON' }));
        return;
      }
      const answer = (status: number, body: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      const call: BotApiCall = { method, params };
      if (method === 'getMe') answer(200, { ok: true, result: { id: 42, is_bot: true, first_name: 'Lantern', username: 'lantern_e2e_bot' } });
      else if (method === 'sendMessage') {
        call.messageId = nextMessageId++;
        answer(200, {
          ok: true,
          result: { message_id: call.messageId, date: Math.floor(Date.now() / 1000), chat: { id: Number(params.chat_id), type: 'private' }, text: params.text },
        });
      } else if (ANSWERED_TRUE.has(method)) answer(200, { ok: true, result: true });
      else answer(404, { ok: false, error_code: 404, description: 'Not Found: method not in the stub' });
      // Recorded after answering, so that a waiter sees a call whose reply is on its way.
      calls.push(call);
      for (const listener of [...listeners]) listener();
    });
  });
  // Idle connections are kept as long as a real Bot API front end keeps them (minutes, not Node's 5 s
  // default): a client that reuses one the stub just closed gets ECONNRESET, which a loaded machine hit.
  server.keepAliveTimeout = 120_000;
  const url = await listen(server);
  return {
    url,
    calls,
    sent: (chatId) => calls.filter((call) => call.method === 'sendMessage' && String(call.params.chat_id) === String(chatId)),
    until(check, what, timeoutMs = 5000) {
      if (check()) return Promise.resolve();
      return new Promise((ok, fail) => {
        const done = (error?: Error) => {
          clearTimeout(timer);
          clearInterval(tick);
          listeners.delete(listener);
          if (error) fail(error);
          else ok();
        };
        const listener = () => {
          if (check()) done();
        };
        const timer = setTimeout(() => done(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
        const tick = setInterval(listener, 20);
        listeners.add(listener);
      });
    },
    close: () => closeServer(server),
  };
}
