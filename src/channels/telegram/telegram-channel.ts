import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Telegraf, TelegramError } from 'telegraf';
import type { Update } from 'telegraf/types';
import { createBotApi } from './bot-api.js';
import type { Inbound, Log, TurnHandler } from '../../engine/types.js';
import { answerTurn, type FailureReply } from '../answer-turn.js';
import { ChannelError, errorName } from '../channel-error.js';
import { parseJsonBody, readBody } from '../read-body.js';
import { callbackQueryIdOf, mapUpdate, privateMessageIdOf } from './map-update.js';
import { renderReply, type TelegramOperation } from './render.js';

/** One entry of a per-language command menu (the `/` menu in Telegram clients). */
export interface TelegramCommand {
  command: string;
  description: string;
}

/** How the server wires the Telegram channel. */
export interface TelegramChannelOptions {
  token: string;
  handler: TurnHandler;
  /** The apology with the hotline, sent when a turn fails (the conversation service's `failure`). */
  failure: FailureReply;
  log: Log;
  /** A self-hosted Bot API server (or a test emulator); defaults to Telegram's. */
  apiRoot?: string;
  /** Webhook mode instead of long polling; updates arrive at `${publicUrl}/telegram/webhook`. */
  webhook?: { publicUrl: string; secret: string };
  /** Command menus by language (BCP 47; `default` for everyone else). */
  commands?: Record<string, TelegramCommand[]>;
  /**
   * Claims an update id across instances (several servers behind one webhook URL): false means
   * another instance already took it. Each process also remembers recent ids by itself.
   */
  claimUpdate?: (updateId: number) => Promise<boolean>;
  /** Told (without any id) when a chat was forgotten: the user asked, or blocked the bot. */
  onForget?: (reason: 'user' | 'blocked') => void;
  /**
   * Where the ids of messages to delete on /forget are kept (`take` reads and removes them all).
   * Give a shared store so that any instance, or one restarted, can delete what another sent;
   * without it the ids live in this process's memory only. The channel adds a turn's ids (what
   * the user wrote and what the bot sent) in one call, after the turn's sends.
   */
  sentIds?: {
    add(chatId: string, messageIds: number | readonly number[]): Promise<void>;
    take(chatId: string): Promise<number[]>;
  };
}

/** A running Telegram channel. */
export interface TelegramChannel {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Serves `POST /telegram/webhook` in webhook mode; answers 404 in polling mode. */
  webhookHandler(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

const WEBHOOK_PATH = '/telegram/webhook';
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
// An update is a few KB; 1 MB leaves room for the largest and stops memory abuse.
const MAX_BODY_BYTES = 1024 * 1024;
const ALLOWED_UPDATES = ['message', 'edited_message', 'channel_post', 'callback_query'] as const;
const MAX_TRIES = 3;
const MAX_RETRY_AFTER_S = 30;
// Telegram redelivers recent updates only; a few thousand ids cover any retry window.
const RECENT_UPDATES = 2000;
// Telegram deletes only messages younger than 48 h; a chat rarely has more than this many.
const RECORDED_PER_CHAT = 100;
const RECORDED_CHATS = 10_000;
// A flood from one chat must not build an unbounded backlog.
const MAX_QUEUED_PER_CHAT = 20;

/**
 * Creates the Telegram channel: it maps updates to the core's Inbound, runs one turn per chat
 * at a time, renders replies natively, and deletes what it sent when a user asks to be forgotten.
 */
export function createTelegramChannel(options: TelegramChannelOptions): TelegramChannel {
  const { handler, log, webhook } = options;
  if (webhook && !/^[A-Za-z0-9_-]{1,256}$/.test(webhook.secret)) {
    throw new ChannelError('The Telegram webhook secret must be 1-256 characters of A-Z, a-z, 0-9, _ and - (set TELEGRAM_WEBHOOK_SECRET).');
  }
  const bot = new Telegraf(options.token, {
    telegram: { ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}), webhookReply: false },
  });
  const telegram = bot.telegram;
  // The calls a turn makes go through a lean client of our own (bot-api.ts); telegraf does the rest.
  const api = createBotApi(options.token, options.apiRoot ? { apiRoot: options.apiRoot } : {});
  // Hashed once: each request then costs one hash, not two.
  const expectedSecret = webhook ? digestOf(webhook.secret) : undefined;
  const seenUpdates = new RecentSet(RECENT_UPDATES);
  const sentIds = options.sentIds ?? new MessageRecord(RECORDED_CHATS, RECORDED_PER_CHAT);
  const queues = new Map<string, { tail: Promise<void>; size: number }>();
  const wakers = new Set<() => void>();
  let running: Promise<void> | undefined;
  let stopping = false;

  const fields = (updateType: string, error?: unknown) => ({
    channel: 'telegram',
    updateType,
    ...(error === undefined ? {} : { error: errorName(error), code: errorCode(error) }),
  });

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      wakers.add(wake);
    });

  async function withRetry<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof TelegramError) || error.code !== 429 || attempt >= MAX_TRIES || stopping) throw error;
        const seconds = Math.min(Math.max(error.parameters?.retry_after ?? 1, 1), MAX_RETRY_AFTER_S);
        await sleep(seconds * 1000);
      }
    }
  }

  // A store that fails must not break the turn: the messages are out, only their later deletion is lost.
  async function remember(chatId: string, messageIds: readonly number[], updateType: string): Promise<void> {
    if (messageIds.length === 0) return;
    try {
      await sentIds.add(chatId, messageIds);
    } catch (error) {
      log.warn(fields(updateType, error), 'remembering a message id failed');
    }
  }

  async function takeRecorded(chatId: string, updateType: string): Promise<number[]> {
    let ids: number[] = [];
    try {
      ids = await sentIds.take(chatId);
    } catch (error) {
      log.warn(fields(updateType, error), 'reading the message ids to delete failed');
    }
    // Whatever the store holds, one /forget never turns into an unbounded burst of calls.
    return ids.filter((id) => Number.isSafeInteger(id)).slice(-RECORDED_PER_CHAT);
  }

  /** Deletes what was recorded for the chat and `alsoIds`, this turn's ids that are not recorded yet. */
  async function deleteRecorded(chatId: string, updateType: string, alsoIds: readonly number[]): Promise<void> {
    let failed = 0;
    for (const messageId of [...(await takeRecorded(chatId, updateType)), ...alsoIds]) {
      // Older than 48 h or already gone: nothing more we can do for that one.
      await withRetry(() => api.call('deleteMessage', { chat_id: chatId, message_id: messageId })).catch(() => failed++);
    }
    if (failed > 0) log.info({ channel: 'telegram', failed }, 'some messages could not be deleted');
  }

  async function forgetBlocked(chatId: string, updateType: string): Promise<void> {
    await takeRecorded(chatId, updateType);
    // The reply is for a chat that no longer receives messages: only the session deletion matters.
    await handler({ conversation: chatId, channel: 'telegram', event: { type: 'command', command: 'forget' } });
    log.info(fields(updateType), 'bot blocked by the user: session forgotten');
    notifyForget('blocked');
  }

  function notifyForget(reason: 'user' | 'blocked'): void {
    try {
      options.onForget?.(reason);
    } catch (error) {
      log.warn(fields('forget', error), 'onForget failed');
    }
  }

  async function send(chatId: string, operation: Extract<TelegramOperation, { kind: 'send' }>): Promise<number> {
    const sent = await withRetry(() =>
      api.call<{ message_id: number }>('sendMessage', {
        chat_id: chatId,
        text: operation.html,
        parse_mode: 'HTML',
        // Previews cost data on cheap plans and add nothing to a link we show in full.
        link_preview_options: { is_disabled: true },
        ...(operation.keyboard ? { reply_markup: { inline_keyboard: operation.keyboard } } : {}),
      }),
    );
    return sent.message_id;
  }

  /**
   * Runs one turn and sends its reply. The ids to delete on /forget (the user's message, if any,
   * and every message sent) are written once, after the sends: one store write per turn.
   */
  async function runTurn(inbound: Inbound, updateType: string, userMessageId: number | undefined): Promise<void> {
    const chatId = inbound.conversation;
    const ids: number[] = userMessageId === undefined ? [] : [userMessageId];
    let failed = 0;
    let firstError: unknown;
    try {
      const operations = await answerTurn(inbound, options, (reply) => renderReply(reply, log));
      if (operations === undefined) return;
      for (const operation of operations) {
        if (operation.kind === 'deleteRecorded') {
          await deleteRecorded(chatId, updateType, ids.splice(0));
          notifyForget('user');
          continue;
        }
        try {
          ids.push(await send(chatId, operation));
        } catch (error) {
          if (error instanceof TelegramError && error.code === 403) {
            ids.length = 0;
            return await forgetBlocked(chatId, updateType);
          }
          failed++;
          firstError ??= error;
          // Still flooded after retrying: later messages would arrive out of order or not at all.
          if (error instanceof TelegramError && error.code === 429) break;
        }
      }
    } finally {
      await remember(chatId, ids, updateType);
    }
    // Once per turn, however many of its messages failed; each was tried at most MAX_TRIES times.
    if (failed > 0) log.warn({ ...fields(updateType, firstError), failed }, 'sending a message failed');
  }

  /** Queues a chat's turn behind its earlier ones; false when the update was dropped. */
  function enqueue(chatId: string, updateType: string, task: () => Promise<void>): boolean {
    const entry = queues.get(chatId) ?? { tail: Promise.resolve(), size: 0 };
    if (entry.size >= MAX_QUEUED_PER_CHAT) {
      log.warn(fields(updateType), 'too many pending updates for one chat: update dropped');
      return false;
    }
    entry.size++;
    queues.set(chatId, entry);
    entry.tail = entry.tail
      .then(task)
      // answerTurn already answered a failed turn; what lands here is a bug in the channel itself.
      .catch((error: unknown) => log.error(fields(updateType, error), 'turn failed'))
      .finally(() => {
        entry.size--;
        if (entry.size === 0 && queues.get(chatId) === entry) queues.delete(chatId);
      });
    return true;
  }

  /**
   * Handles one update from either mode. `queryAnswered`: the webhook response already answered
   * the button press (the Bot API's webhook reply), which saves a call per press.
   */
  async function handleUpdate(update: Update, queryAnswered: boolean): Promise<void> {
    const updateType = updateTypeOf(update);
    if (!seenUpdates.add(update.update_id)) {
      log.debug(fields(updateType), 'duplicate update ignored');
      return;
    }
    // A shared store that cannot be reached must not silence the bot: answer rather than lose the update.
    if (options.claimUpdate && !(await options.claimUpdate(update.update_id).catch(() => true))) {
      log.debug(fields(updateType), 'duplicate update ignored (taken by another instance)');
      return;
    }
    const queryId = queryAnswered ? undefined : callbackQueryIdOf(update);
    if (queryId !== undefined) {
      // Answered before anything can fail, so the button never spins forever.
      await api
        .call('answerCallbackQuery', { callback_query_id: queryId })
        .catch((error: unknown) => log.warn(fields(updateType, error), 'answerCallbackQuery failed'));
    }
    const inbound = mapUpdate(update);
    if (inbound === undefined) return;
    const chatId = inbound.conversation;
    const userMessageId = privateMessageIdOf(update);
    // Bots may delete incoming messages in private chats: forgetting covers what the user wrote too.
    // The turn records it with its own messages, and a /forget turn deletes it with the rest.
    const queued = enqueue(chatId, updateType, () => runTurn(inbound, updateType, userMessageId));
    if (!queued && userMessageId !== undefined) void remember(chatId, [userMessageId], updateType);
  }
  bot.use((ctx) => handleUpdate(ctx.update, false));
  bot.catch((error, ctx) => log.error(fields(updateTypeOf(ctx.update), error), 'update handling failed'));

  async function setCommands(): Promise<void> {
    const done = new Set<string>();
    // Plain languages first, so `pt` wins over `pt-BR` for Telegram's two-letter language_code.
    const entries = Object.entries(options.commands ?? {}).sort(([a], [b]) => a.length - b.length);
    for (const [language, commands] of entries) {
      const code = language === 'default' ? '' : (language.split('-')[0] ?? '').toLowerCase();
      if ((code !== '' && !/^[a-z]{2}$/.test(code)) || done.has(code)) continue;
      done.add(code);
      const menu = commands
        .map((entry) => ({ command: entry.command.replace(/^\//, '').toLowerCase(), description: entry.description.trim().slice(0, 256) }))
        .filter((entry) => /^[a-z0-9_]{1,32}$/.test(entry.command) && entry.description !== '');
      try {
        await telegram.setMyCommands(menu, code === '' ? {} : { language_code: code });
      } catch (error) {
        // A missing menu is cosmetic: the commands still work when typed.
        log.warn({ ...fields('setMyCommands', error), language: code || 'default' }, 'setMyCommands failed');
      }
    }
  }

  async function start(): Promise<void> {
    stopping = false;
    bot.botInfo = await telegram.getMe();
    await setCommands();
    if (webhook) {
      await telegram.setWebhook(`${webhook.publicUrl.replace(/\/+$/, '')}${WEBHOOK_PATH}`, {
        secret_token: webhook.secret,
        allowed_updates: [...ALLOWED_UPDATES],
      });
      log.info({ channel: 'telegram', mode: 'webhook' }, 'telegram channel started');
      return;
    }
    await new Promise<void>((resolve, reject) => {
      running = bot.launch({ allowedUpdates: [...ALLOWED_UPDATES] }, resolve);
      running.catch(reject);
    });
    running?.catch((error: unknown) => log.error(fields('polling', error), 'telegram polling stopped'));
    log.info({ channel: 'telegram', mode: 'polling' }, 'telegram channel started');
  }

  async function stop(): Promise<void> {
    stopping = true;
    if (running) {
      const launched = running;
      let settled = false;
      void launched.catch(() => undefined).finally(() => (settled = true));
      // telegraf starts polling only after its deleteWebhook call returns; until then stop() throws.
      for (let tries = 0; !settled; tries++) {
        try {
          bot.stop('stop');
          break;
        } catch (error) {
          if (tries >= 200) throw error;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      }
      await launched.catch(() => undefined);
      running = undefined;
    }
    for (const wake of [...wakers]) wake();
    // Turns already taken finish (without waiting out rate limits) so no reply is cut in half.
    for (let round = 0; round < 10 && queues.size > 0; round++) {
      await Promise.all([...queues.values()].map((entry) => entry.tail));
    }
    // Idle kept-alive connections go; a later start opens new ones.
    api.close();
  }

  async function webhookHandler(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!webhook) return respond(res, 404);
    if (stopping) return respond(res, 503);
    if (req.method !== 'POST') return respond(res, 405);
    const token = req.headers[SECRET_HEADER];
    if (typeof token !== 'string' || token === '') return respond(res, 401);
    if (!sameSecret(token, expectedSecret!)) return respond(res, 403);
    let body: Buffer;
    try {
      body = await readBody(req, MAX_BODY_BYTES);
    } catch (error) {
      return respond(res, error instanceof ChannelError && error.status === 413 ? 413 : 400);
    }
    let update: Update;
    try {
      update = parseJsonBody(body) as Update;
    } catch {
      return respond(res, 400);
    }
    if (typeof update !== 'object' || update === null || !Number.isSafeInteger(update.update_id)) return respond(res, 400);
    // Answer at once: Telegram waits for this before sending the chat's next update. A button
    // press is answered in the same response (a webhook reply), so the button stops spinning
    // without a call of ours. Telegraf's handleUpdate is not needed here: the update goes
    // straight to the handler, without a context and a timeout timer per update.
    const queryId = callbackQueryIdOf(update);
    if (queryId === undefined) respond(res, 200);
    else answerInResponse(res, { method: 'answerCallbackQuery', callback_query_id: queryId });
    await handleUpdate(update, queryId !== undefined).catch((error: unknown) => log.error(fields(updateTypeOf(update), error), 'update handling failed'));
  }

  return { start, stop, webhookHandler };
}

function respond(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...(status === 413 ? { connection: 'close' } : {}) });
  res.end(status === 200 ? '' : String(status));
}

/** Answers a webhook request with a Bot API call for Telegram to make (a "webhook reply"; its result is never known). */
function answerInResponse(res: ServerResponse, call: { method: string } & Record<string, unknown>): void {
  if (res.headersSent) return;
  const body = JSON.stringify(call);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Secrets are compared as digests: equal lengths for timingSafeEqual, and no length leaked. */
function digestOf(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function sameSecret(given: string, expectedDigest: Buffer): boolean {
  return timingSafeEqual(digestOf(given), expectedDigest);
}

function updateTypeOf(update: Update): string {
  return Object.keys(update).find((key) => key !== 'update_id') ?? 'unknown';
}

function errorCode(error: unknown): number | undefined {
  return error instanceof TelegramError ? error.code : undefined;
}

/** A bounded set of recent keys; `add` says whether the key was new. */
class RecentSet {
  private readonly keys = new Set<number>();
  constructor(private readonly max: number) {}

  add(key: number): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.keys.size > this.max) this.keys.delete(this.keys.values().next().value as number);
    return true;
  }
}

/** Message ids per chat, in memory only, least recently used chats evicted first. */
class MessageRecord implements NonNullable<TelegramChannelOptions['sentIds']> {
  private readonly chats = new Map<string, number[]>();
  constructor(
    private readonly maxChats: number,
    private readonly maxPerChat: number,
  ) {}

  async add(chatId: string, messageIds: number | readonly number[]): Promise<void> {
    const ids = this.chats.get(chatId) ?? [];
    this.chats.delete(chatId);
    if (typeof messageIds === 'number') ids.push(messageIds);
    else ids.push(...messageIds);
    if (ids.length > this.maxPerChat) ids.splice(0, ids.length - this.maxPerChat);
    this.chats.set(chatId, ids);
    if (this.chats.size > this.maxChats) this.chats.delete(this.chats.keys().next().value as string);
  }

  async take(chatId: string): Promise<number[]> {
    const ids = this.chats.get(chatId) ?? [];
    this.chats.delete(chatId);
    return ids;
  }
}
