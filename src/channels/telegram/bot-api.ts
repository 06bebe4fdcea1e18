/**
 * The Bot API calls a turn makes (sendMessage, deleteMessage, answerCallbackQuery), over one
 * keep-alive connection pool with node:http(s). Telegraf's client builds a node-fetch request,
 * headers object and body stream per call; measured on loopback, this costs about half of that per
 * message, and the turn's send is most of what a Telegram update costs. Telegraf still does
 * everything else (polling, webhook set-up, commands), and its `TelegramError` is what callers see
 * here too, so a 429's retry_after and a 403 read the same from either.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { TelegramError } from 'telegraf';

/** Bot API answers to these calls are small; anything larger is not the Bot API. */
const MAX_ANSWER_BYTES = 1 << 20;
const DEFAULT_TIMEOUT_MS = 30_000;
const IDLE_MS = 50_000;

export interface BotApi {
  /** Calls `method` with `payload` as JSON; resolves with the answer's `result`, rejects with a TelegramError when the Bot API says no. */
  call<T>(method: string, payload: Record<string, unknown>): Promise<T>;
  /** Closes the kept-alive connections. */
  close(): void;
}

export function createBotApi(token: string, options: { apiRoot?: string; timeoutMs?: number } = {}): BotApi {
  const root = new URL(options.apiRoot ?? 'https://api.telegram.org');
  const secure = root.protocol === 'https:';
  // An idle connection is closed by us after 50 s, before a front end's usual 60-75 s: a send never
  // goes out on a connection the other side is closing at that moment (ECONNRESET, message lost).
  const pool = { keepAlive: true, keepAliveMsecs: 10_000, timeout: IDLE_MS };
  const agent = secure ? new HttpsAgent(pool) : new HttpAgent(pool);
  const request = secure ? httpsRequest : httpRequest;
  const prefix = `${root.pathname.replace(/\/+$/, '')}/bot${token}/`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  return {
    call<T>(method: string, payload: Record<string, unknown>): Promise<T> {
      const body = JSON.stringify(payload, (_key, value: unknown) => (value === null ? undefined : value));
      return send<T>(method, payload, body, true);
    },
    close: () => agent.destroy(),
  };

  /**
   * One attempt. A kept-alive connection can be closed by the other side (a proxy, a load balancer,
   * a Node server's 5 s default) just as a request goes out on it: the request then fails with
   * ECONNRESET or EPIPE before any answer, as a rule unread. Node's documentation advises retrying
   * exactly that case (`reusedSocket`); it is retried once, on a new connection. A reset on a fresh
   * connection, or after an answer began, is not retried: the message may have been sent.
   */
  function send<T>(method: string, payload: Record<string, unknown>, body: string, mayRetry: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let answered = false;
      // Errors never carry the path: it holds the bot token.
      const fail = (message: string) => reject(new Error(`Bot API ${method}: ${message}`));
      const req = request(
        {
          protocol: root.protocol,
          hostname: root.hostname,
          port: root.port,
          path: `${prefix}${method}`,
          method: 'POST',
          agent,
          timeout: timeoutMs,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res: IncomingMessage) => {
          answered = true;
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_ANSWER_BYTES) req.destroy(new Error('answer too large'));
            else chunks.push(chunk);
          });
          res.on('error', () => fail('the answer was cut off'));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            let answer: {
              ok?: boolean;
              result?: T;
              error_code?: number;
              description?: string;
              parameters?: { retry_after?: number; migrate_to_chat_id?: number };
            };
            try {
              answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof answer;
            } catch {
              // A proxy's error page: the status says what happened.
              reject(new TelegramError({ error_code: status, description: res.statusMessage ?? 'not a Bot API answer' }, { method, payload }));
              return;
            }
            if (answer.ok === true) resolve(answer.result as T);
            else
              reject(
                new TelegramError(
                  {
                    error_code: answer.error_code ?? status,
                    description: answer.description ?? 'unknown error',
                    ...(answer.parameters ? { parameters: answer.parameters } : {}),
                  },
                  { method, payload },
                ),
              );
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (error: NodeJS.ErrnoException) => {
        const stale = mayRetry && !answered && req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
        if (stale) send<T>(method, payload, body, false).then(resolve, reject);
        else fail(error.message);
      });
      req.end(body);
    });
  }
}
