import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip, gzipSync } from 'node:zlib';
import { WebSocketServer } from 'ws';
import type { Log } from '../../engine/types.js';
import type { ConversationRelay } from '../../store/index.js';
import { createLocalConversations } from './conversation-registry.js';
import type { ConversationHandle, Conversations, WireActivity } from './conversation-registry.js';
import { createTokenSigner } from './conversation-token.js';
import type { TokenClaims } from './conversation-token.js';
import { createSharedConversations } from './shared-conversations.js';
import { demoPage, demoPagePolicy } from './demo-page.js';
import { ChannelError, errorName } from '../channel-error.js';
import { readJsonBody } from '../read-body.js';
import { createCorsPolicy, sendError, sendJson } from './http-io.js';
import { renderWidgetScript } from './widget-script.js';
import { framePolicy, parseFrameRequest, renderFramePage } from './widget-frame.js';
import { renderLoaderScript } from './widget-loader.js';
import type { WidgetLanguage, WidgetTranslate } from './widget-words.js';

/** Runs one activity through the bot and resolves with what the bot sent (plain JSON both ways). */
export type RunTurn = (activity: WireActivity) => Promise<WireActivity[]>;

/** What createWebChat needs; everything but runTurn, secret and log has a safe default. */
export interface WebChatOptions {
  /** The bot, as composed by the server: `createActivityProcessor(...)` from the botframework channel. */
  runTurn: RunTurn;
  /** Signs conversation tokens (at least 16 characters; the same on every instance). */
  secret: string;
  log: Log;
  /** Origins whose pages may call the Direct Line endpoint (`*`, the default, for the demo). */
  allowedOrigins?: readonly string[] | '*';
  /** Where Quick exit sends the visitor; a page that looks ordinary on someone's screen. */
  exitUrl?: string;
  /** A fixed title of the chat panel in every language; unset: the translated `widget.title`. */
  title?: string;
  /**
   * The widget's words (`widget.open`, `widget.quick_exit`...) in a language, English when the
   * language lacks them. The server passes its translator, so a content reload reaches the widget.
   */
  translate?: WidgetTranslate;
  /** The picker's languages, read per request so that a reload shows a new locale. */
  languages?: () => readonly WidgetLanguage[];
  /** The public base URL (`PUBLIC_URL`); streamUrl is derived from the Host header without it. */
  publicUrl?: string;
  /**
   * Per-client rate limit on the doors open to anyone (starting a conversation, refreshing a
   * token): resolves with undefined to let the request in, or the seconds to wait (answered 429).
   */
  limitClient?: (req: IncomingMessage, door: 'start' | 'refresh') => Promise<number | undefined>;
  maxConversations?: number;
  /**
   * Shared transport state for several instances (STORE=redis): with it, a visitor's requests
   * may reach any instance and the buffers are encrypted with a key only the visitor's token
   * carries. Without it, conversations live in this process.
   */
  relay?: ConversationRelay;
  /** With a relay: an undelivered activity is dropped after this long (default 10 minutes). */
  bufferTtlMs?: number;
  /** Bytes of undelivered activities one conversation may buffer (default 256 KB). */
  maxConversationBytes?: number;
  /** Bytes all conversations may buffer together (default 64 MB). */
  maxBufferedBytes?: number;
  tokenTtlSeconds?: number;
  maxBodyBytes?: number;
  /** Clock for tests. */
  now?: () => number;
}

/** The web chat's HTTP face. */
export interface WebChat {
  /** Serves the request if the path is ours (`/`, `/widget.js`, `/webchat.js`, `/v3/directline/...`); false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** For the server's 'upgrade' event: takes Direct Line stream sockets, false for other paths. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** How many conversations are open and how many bytes of activities they buffer. */
  stats(): { conversations: number; bufferedBytes: number };
  /** Ends every conversation and socket of this process (shutdown, tests); shared conversations live on. */
  close(): void;
}

const PREFIX = '/v3/directline';
const DEFAULT_EXIT_URL = 'https://www.google.com/search?q=weather';
const LANGUAGE_TAG = /^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8}){0,3}$/;
const ID = '[A-Za-z0-9_-]{1,64}';
const CONVERSATION_PATH = new RegExp(`^${PREFIX}/conversations/(${ID})$`);
const ACTIVITIES_PATH = new RegExp(`^${PREFIX}/conversations/(${ID})/activities$`);
const STREAM_PATH = new RegExp(`^${PREFIX}/conversations/(${ID})/stream$`);
const HOST = /^[A-Za-z0-9.:[\]-]{1,255}$/;
/** More turns than this waiting in one conversation means a runaway client. */
const MAX_PENDING_TURNS = 8;
const MAX_SOCKETS_PER_CONVERSATION = 3;
/** A stream ticket opens one socket within this time, once. */
const STREAM_TICKET_MS = 60_000;
const MAX_STREAM_TICKETS = 4;
/** A visitor who spoke within this time is live: their conversation is never evicted to make room. */
const LIVE_MS = 10 * 60_000;
const QUICK_EXIT_EVENT = 'quickExit';
const BOT = { id: 'lantern', name: 'Lantern', role: 'bot' };
/** Fields of a bot activity the browser may see; connector details stay on the server. */
const BOT_FIELDS = [
  'type',
  'text',
  'locale',
  'textFormat',
  'suggestedActions',
  'attachments',
  'attachmentLayout',
  'name',
  'value',
  'inputHint',
  'speak',
] as const;

function webChatScriptPath(): string {
  // The package exports no subpath for dist/, so find it next to the CommonJS entry point.
  const entry = createRequire(import.meta.url).resolve('botframework-webchat');
  return join(dirname(entry), '..', 'dist', 'webchat.js');
}

/**
 * A self-hosted subset of Direct Line 3.0, enough for the official Web Chat without an Azure
 * account, plus the widget and demo page. Each conversation has its own signed, expiring token:
 * a token opens its own conversation and no other.
 */
export function createWebChat(options: WebChatOptions): WebChat {
  const { log, runTurn } = options;
  const now = options.now ?? Date.now;
  const tokenTtl = options.tokenTtlSeconds ?? 1800;
  const maxBody = options.maxBodyBytes ?? 64 * 1024;
  const signer = createTokenSigner(options.secret, tokenTtl, now);
  const cors = createCorsPolicy(options.allowedOrigins ?? '*');
  const limits = {
    maxConversationBytes: options.maxConversationBytes ?? 256 * 1024,
    maxPendingTurns: MAX_PENDING_TURNS,
    maxSocketsPerConversation: MAX_SOCKETS_PER_CONVERSATION,
    ticketMs: STREAM_TICKET_MS,
    idleMs: tokenTtl * 1000,
    now,
  };
  const conversations: Conversations = options.relay
    ? createSharedConversations({ ...limits, relay: options.relay, secret: options.secret, log, bufferTtlMs: options.bufferTtlMs ?? 10 * 60_000 })
    : createLocalConversations({
        ...limits,
        max: options.maxConversations ?? 10_000,
        maxTotalBytes: options.maxBufferedBytes ?? 64 * 1024 * 1024,
        liveMs: LIVE_MS,
        maxTickets: MAX_STREAM_TICKETS,
        onEnd: (reason) => log.debug({ channel: 'webchat', reason }, 'web chat conversation closed'),
      });
  // Rendered per request (a few dozen lookups) so that reloaded translations show at once.
  const loader = (): string =>
    renderLoaderScript({
      exitUrl: options.exitUrl ?? DEFAULT_EXIT_URL,
      ...(options.translate ? { translate: options.translate } : {}),
      ...(options.languages ? { languages: options.languages() } : {}),
    });
  const webChatLoader = (): string =>
    renderWidgetScript({
      exitUrl: options.exitUrl ?? DEFAULT_EXIT_URL,
      ...(options.title ? { title: options.title } : {}),
      ...(options.translate ? { translate: options.translate } : {}),
      ...(options.languages ? { languages: options.languages() } : {}),
    });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  let webChatGzip: Promise<Buffer> | undefined;
  let scriptPath: string | undefined;

  function claimsOf(req: IncomingMessage): TokenClaims | undefined {
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    return match?.[1] ? signer.verify(match[1]) : undefined;
  }

  /** The conversation the request's token opens, after answering 403/404 itself if there is none. */
  async function authorize(req: IncomingMessage, res: ServerResponse, id?: string): Promise<ConversationHandle | undefined> {
    const claims = claimsOf(req);
    if (!claims || (id !== undefined && claims.conversationId !== id)) {
      sendError(res, 403, 'TokenInvalid', 'The token is missing, expired, or not for this conversation.');
      return undefined;
    }
    const conversation = await conversations.open(claims.conversationId, claims.key);
    if (!conversation) sendError(res, 404, 'BadArgument', 'The conversation has ended.');
    return conversation;
  }

  async function streamUrl(req: IncomingMessage, conversation: ConversationHandle): Promise<string | undefined> {
    let base = options.publicUrl?.replace(/\/+$/, '');
    if (!base) {
      const host = req.headers.host;
      if (!host || !HOST.test(host)) return undefined;
      const secure = req.headers['x-forwarded-proto'] === 'https' || (req.socket as { encrypted?: boolean }).encrypted === true;
      base = `${secure ? 'https' : 'http'}://${host}`;
    }
    const ws = base.replace(/^http/, 'ws');
    // A one-time ticket, not the token: URLs end up in proxy logs and browser history.
    const { ticket, watermark } = await conversations.streamTicket(conversation);
    return `${ws}${PREFIX}/conversations/${conversation.id}/stream?watermark=${watermark}&ticket=${ticket}`;
  }

  /** This server's own origins as the browser sees them (http and https: a proxy may end TLS). */
  function ownOrigins(req: IncomingMessage): string[] {
    const base = options.publicUrl?.replace(/\/+$/, '');
    if (base) return [new URL(base).origin];
    const host = req.headers.host;
    return host && HOST.test(host) ? [`http://${host}`, `https://${host}`] : [];
  }

  /** The light widget's frame: a fresh nonce, a strict CSP, embedding only by the allowed sites. */
  function serveFrame(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    const languages = options.languages?.() ?? [];
    const request = parseFrameRequest(query, languages, options.exitUrl ?? DEFAULT_EXIT_URL);
    const nonce = randomBytes(18).toString('base64');
    const page = renderFramePage(request, {
      nonce,
      languages,
      ...(options.translate ? { translate: options.translate } : {}),
      ...(options.title ? { title: options.title } : {}),
    });
    const wsOrigins = ownOrigins(req).map((origin) => origin.replace(/^http/, 'ws'));
    sendCompressed(req, res, page, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': framePolicy(nonce, { allowedOrigins: options.allowedOrigins ?? '*', wsOrigins }),
      'referrer-policy': 'no-referrer',
    });
  }

  async function conversationAnswer(req: IncomingMessage, conversation: ConversationHandle): Promise<Record<string, unknown>> {
    const token = signer.issue(conversation.id, conversation.key);
    const stream = await streamUrl(req, conversation);
    return { conversationId: conversation.id, token, expires_in: tokenTtl, ...(stream ? { streamUrl: stream } : {}) };
  }

  function envelope(conversation: ConversationHandle, type: string, extra: WireActivity = {}): WireActivity {
    return {
      type,
      timestamp: new Date(now()).toISOString(),
      channelId: 'webchat',
      conversation: { id: conversation.id },
      from: { id: conversation.userId, role: 'user' },
      recipient: { ...BOT },
      ...(conversation.locale ? { locale: conversation.locale } : {}),
      ...extra,
      // The NGO's embed may name the country; the bot reads it as a hint.
      ...(conversation.country ? { channelData: { ...(extra.channelData as object | undefined), lantern: { country: conversation.country } } } : {}),
    };
  }

  /** The turn of one activity: the bot's answers, as the browser may see them. */
  function turnOf(conversation: ConversationHandle, activity: WireActivity, echo?: WireActivity): () => Promise<WireActivity[]> {
    return async () => {
      // The echo's id is assigned when it is stored, before the turn runs.
      if (echo?.id !== undefined) activity.id = echo.id;
      try {
        const sent = await runTurn(activity);
        const replyToId = typeof activity.id === 'string' ? activity.id : undefined;
        return sent.map((outgoing) => {
          const visible: WireActivity = {};
          for (const field of BOT_FIELDS) if (outgoing[field] !== undefined) visible[field] = outgoing[field];
          return {
            ...visible,
            // Our content has no Markdown, and a quote of what someone typed must never render as any.
            ...(visible.type === 'message' ? { textFormat: 'plain' } : {}),
            timestamp: new Date(now()).toISOString(),
            channelId: 'webchat',
            conversation: { id: conversation.id },
            from: { ...BOT },
            recipient: { id: conversation.userId, role: 'user' },
            ...(replyToId ? { replyToId } : {}),
          };
        });
      } catch (error) {
        // The bot answers failed turns itself (apology and hotline); this is a failure of that answer.
        log.error({ channel: 'webchat', error: errorName(error) }, 'web chat turn failed');
        return [];
      }
    };
  }

  /** Queues the greeting once, on whichever instance the conversation is first opened; false when it was started already. */
  async function start(conversation: ConversationHandle): Promise<boolean> {
    if (!(await conversations.markStarted(conversation))) return false;
    const update = envelope(conversation, 'conversationUpdate', { membersAdded: [{ id: conversation.userId, role: 'user' }] });
    await conversations.enqueue(conversation, [], turnOf(conversation, update));
    return true;
  }

  /** Runs the quick-exit turn (the core forgets the session), then drops the transport state everywhere. */
  async function endConversation(conversation: ConversationHandle, activity: WireActivity, echo: WireActivity[] = []): Promise<void> {
    const turn = turnOf(conversation, activity, echo[0]);
    const queued = await conversations.enqueue(conversation, echo, turn);
    // A quick exit is never refused: with too many turns waiting it runs at once, so the session is forgotten.
    if (queued === 'busy') await turn();
    else if (queued !== 'ended') await queued.done;
    await conversations.end(conversation);
    log.info({ channel: 'webchat' }, 'web chat conversation ended by the user');
  }

  async function readBody(req: IncomingMessage, res: ServerResponse): Promise<{ ok: true; body: unknown } | { ok: false }> {
    try {
      return { ok: true, body: await readJsonBody(req, maxBody) };
    } catch (error) {
      if (error instanceof ChannelError && error.status)
        sendError(res, error.status, error.status === 413 ? 'MessageSizeTooBig' : 'BadArgument', error.message);
      else sendError(res, 400, 'BadArgument', 'unreadable request body');
      return { ok: false };
    }
  }

  function startOptions(body: unknown): { locale: string | undefined; country: string | undefined } {
    const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const locale = typeof fields.locale === 'string' && LANGUAGE_TAG.test(fields.locale) ? fields.locale : undefined;
    const country = typeof fields.country === 'string' && /^[A-Za-z]{2}$/.test(fields.country) ? fields.country.toUpperCase() : undefined;
    return { locale, country };
  }

  /** Builds the activity the bot sees from what the browser posted, keeping only what we trust. */
  function inboundActivity(conversation: ConversationHandle, body: Record<string, unknown>): WireActivity | string {
    const type = body.type;
    if (type !== 'message' && type !== 'event') return 'only message and event activities are accepted';
    if (typeof body.locale === 'string' && LANGUAGE_TAG.test(body.locale)) conversation.locale = body.locale;
    const extra: WireActivity = {};
    if (typeof body.text === 'string') extra.text = body.text;
    if (body.value !== undefined) extra.value = body.value;
    if (type === 'event' && typeof body.name === 'string') extra.name = body.name.slice(0, 64);
    if (Array.isArray(body.attachments)) {
      // Only what kind of thing was sent; the bot cannot read files anyway.
      extra.attachments = body.attachments.slice(0, 10).map((item: unknown) => {
        const contentType = (item as { contentType?: unknown } | null)?.contentType;
        return { contentType: typeof contentType === 'string' ? contentType.slice(0, 100) : 'application/octet-stream' };
      });
    }
    const channelData = body.channelData as Record<string, unknown> | undefined;
    const clientActivityID = channelData?.clientActivityID;
    // Web Chat matches its own message to the echo by this id.
    if (typeof clientActivityID === 'string' && clientActivityID.length <= 128) extra.channelData = { clientActivityID };
    return envelope(conversation, type, extra);
  }

  async function postActivity(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const conversation = await authorize(req, res, id);
    if (!conversation) return;
    const read = await readBody(req, res);
    if (!read.ok) return;
    if (typeof read.body !== 'object' || read.body === null || Array.isArray(read.body)) {
      sendError(res, 400, 'BadArgument', 'an activity object is required');
      return;
    }
    const locale = conversation.locale;
    const activity = inboundActivity(conversation, read.body as Record<string, unknown>);
    if (typeof activity === 'string') {
      sendError(res, 400, 'BadArgument', activity);
      return;
    }
    if (conversation.locale !== locale) await conversations.saveLocale(conversation);
    // The echo (without the server-side hints) tells Web Chat the message arrived.
    // Plain text: Web Chat renders Markdown and HTML (images included) in messages without a textFormat.
    const plain: WireActivity = activity.type === 'message' ? { ...activity, textFormat: 'plain' } : activity;
    const { channelData, ...echo } = plain;
    const clientActivityID = (channelData as { clientActivityID?: string } | undefined)?.clientActivityID;
    if (clientActivityID) echo.channelData = { clientActivityID };
    if (activity.type === 'event' && activity.name === QUICK_EXIT_EVENT) {
      await endConversation(conversation, activity, [echo]);
      sendJson(res, 200, { id: echo.id });
      return;
    }
    const queued = await conversations.enqueue(conversation, [echo], turnOf(conversation, activity, echo));
    if (queued === 'busy') {
      sendError(res, 429, 'Throttled', 'Too many messages at once; wait for the answers.');
      return;
    }
    if (queued === 'ended') {
      sendError(res, 404, 'BadArgument', 'The conversation has ended.');
      return;
    }
    await queued.done;
    sendJson(res, 200, { id: echo.id });
  }

  async function serveWebChatScript(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (scriptPath ??= webChatScriptPath());
    const stat = statSync(path);
    const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
    const headers = {
      'content-type': 'application/javascript; charset=utf-8',
      'cache-control': 'public, max-age=86400',
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'cross-origin',
      etag,
      vary: 'Accept-Encoding',
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers).end();
      return;
    }
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      // 3.9 MB is a lot on a cheap phone's data plan; compress once, keep the ~1 MB result.
      webChatGzip ??= readAll(path).then((raw) => promisify(gzip)(raw, { level: 9 }));
      const body = await webChatGzip;
      res.writeHead(200, { ...headers, 'content-encoding': 'gzip', 'content-length': body.length }).end(body);
      return;
    }
    res.writeHead(200, { ...headers, 'content-length': stat.size });
    createReadStream(path).pipe(res);
  }

  /** Every slot holds a live visitor: a new conversation waits rather than pushing one of them out. */
  function full(res: ServerResponse): void {
    log.warn({ channel: 'webchat', conversations: conversations.stats().conversations }, 'web chat full of live conversations: a new one was refused');
    res.setHeader('retry-after', '30');
    sendError(res, 503, 'ServiceUnavailable', 'The chat is busy; try again in a minute.');
  }

  /** True when the client may pass this door; otherwise answers 429 itself. */
  async function admitted(req: IncomingMessage, res: ServerResponse, door: 'start' | 'refresh'): Promise<boolean> {
    const wait = await options.limitClient?.(req, door);
    if (wait === undefined) return true;
    res.setHeader('retry-after', String(wait));
    sendError(res, 429, 'Throttled', 'Too many requests from this address; try again in a moment.');
    return false;
  }

  async function handleDirectLine(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    cors.apply(req, res);
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') {
      res.writeHead(204, { 'content-length': 0 }).end();
      return;
    }
    const opensConversation = method === 'POST' && (path === `${PREFIX}/tokens/generate` || (path === `${PREFIX}/conversations` && !req.headers.authorization));
    if (opensConversation && !(await admitted(req, res, 'start'))) return;
    if (method === 'POST' && path === `${PREFIX}/tokens/refresh` && !(await admitted(req, res, 'refresh'))) return;
    if (path === `${PREFIX}/tokens/generate` && method === 'POST') {
      const read = await readBody(req, res);
      if (!read.ok) return;
      const { locale, country } = startOptions(read.body);
      const conversation = await conversations.create(locale, country);
      if (!conversation) return full(res);
      sendJson(res, 200, { conversationId: conversation.id, token: signer.issue(conversation.id, conversation.key), expires_in: tokenTtl });
      return;
    }
    if (path === `${PREFIX}/tokens/refresh` && method === 'POST') {
      const conversation = await authorize(req, res);
      if (conversation) sendJson(res, 200, { conversationId: conversation.id, token: signer.issue(conversation.id, conversation.key), expires_in: tokenTtl });
      return;
    }
    if (path === `${PREFIX}/conversations` && method === 'POST') {
      const read = await readBody(req, res);
      if (!read.ok) return;
      const { locale, country } = startOptions(read.body);
      let conversation: ConversationHandle | undefined;
      if (req.headers.authorization) {
        conversation = await authorize(req, res);
        if (!conversation) return;
        if (conversation.locale === undefined && locale !== undefined) {
          conversation.locale = locale;
          await conversations.saveLocale(conversation);
        }
      } else {
        conversation = await conversations.create(locale, country);
        if (!conversation) return full(res);
      }
      const fresh = await start(conversation);
      sendJson(res, fresh ? 201 : 200, await conversationAnswer(req, conversation));
      return;
    }
    const single = CONVERSATION_PATH.exec(path);
    if (single?.[1] && method === 'GET') {
      const conversation = await authorize(req, res, single[1]);
      if (conversation) sendJson(res, 200, await conversationAnswer(req, conversation));
      return;
    }
    if (single?.[1] && method === 'DELETE') {
      const conversation = await authorize(req, res, single[1]);
      if (!conversation) return;
      await endConversation(conversation, envelope(conversation, 'event', { name: QUICK_EXIT_EVENT }));
      res.writeHead(204, { 'cache-control': 'no-store' }).end();
      return;
    }
    const activities = ACTIVITIES_PATH.exec(path);
    if (activities?.[1] && method === 'GET') {
      const conversation = await authorize(req, res, activities[1]);
      if (!conversation) return;
      const watermark = Number.parseInt(query.get('watermark') ?? '0', 10) || 0;
      const found = await conversations.read(conversation, watermark);
      if (found) sendJson(res, 200, found);
      else sendError(res, 404, 'BadArgument', 'The conversation has ended.');
      return;
    }
    if (activities?.[1] && method === 'POST') {
      await postActivity(req, res, activities[1]);
      return;
    }
    sendError(res, 404, 'NotFound', 'This Direct Line endpoint is not available here.');
  }

  return {
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname;
      if (path === PREFIX || path.startsWith(`${PREFIX}/`)) {
        try {
          await handleDirectLine(req, res, path, url.searchParams);
        } catch (error) {
          // The shared store is unreachable (or slow): say so and when to try again, never crash.
          log.error({ channel: 'webchat', error: errorName(error) }, 'web chat request failed');
          if (!res.headersSent) {
            res.setHeader('retry-after', '5');
            sendError(res, 503, 'ServiceUnavailable', 'The chat is briefly unavailable; try again in a few seconds.');
          } else res.destroy();
        }
        return true;
      }
      if (req.method !== 'GET') return false;
      if (path === '/') {
        const nonce = randomBytes(18).toString('base64');
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          'content-security-policy': demoPagePolicy(nonce),
          'referrer-policy': 'no-referrer',
          'x-content-type-options': 'nosniff',
        });
        res.end(demoPage(nonce, url.searchParams.get('client') === 'webchat' ? 'webchat' : 'light'));
        return true;
      }
      if (path === '/widget.js' || path === '/widget-webchat.js') {
        sendCompressed(req, res, path === '/widget.js' ? loader() : webChatLoader(), {
          'content-type': 'application/javascript; charset=utf-8',
          'cache-control': 'public, max-age=300',
          'cross-origin-resource-policy': 'cross-origin',
        });
        return true;
      }
      if (path === '/widget/frame') {
        serveFrame(req, res, url.searchParams);
        return true;
      }
      if (path === '/webchat.js') {
        await serveWebChatScript(req, res);
        return true;
      }
      return false;
    },

    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const match = STREAM_PATH.exec(url.pathname);
      if (!match?.[1]) return false;
      const refuse = (status: string): true => {
        socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
        return true;
      };
      // Browsers send Origin on WebSocket upgrades but CORS does not apply: check it here.
      const origin = req.headers.origin;
      // The light widget's frame is served from here: its socket comes from this server's own origin.
      if (origin !== undefined && !cors.allows(origin) && !ownOrigins(req).includes(origin)) return refuse('403 Forbidden');
      const id = match[1];
      const watermark = Number.parseInt(url.searchParams.get('watermark') ?? '0', 10) || 0;
      conversations.redeemTicket(id, url.searchParams.get('ticket') ?? '').then(
        (conversation) => {
          if (!conversation) return refuse('403 Forbidden');
          sockets.handleUpgrade(req, socket, head, (ws) => {
            ws.on('error', () => ws.terminate());
            // The client's pings are empty messages; nothing comes upstream on this socket.
            void conversations.attach(conversation, ws, watermark);
          });
        },
        () => refuse('503 Service Unavailable'),
      );
      return true;
    },

    stats: () => conversations.stats(),

    close() {
      conversations.close();
      sockets.close();
    },
  };
}

/** A small text answer, gzipped when the browser accepts it (a cheap phone's data plan counts bytes). */
function sendCompressed(req: IncomingMessage, res: ServerResponse, text: string, headers: Record<string, string>): void {
  const raw = Buffer.from(text, 'utf8');
  const zipped = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = zipped ? gzipSync(raw, { level: 9 }) : raw;
  res.writeHead(200, {
    ...headers,
    'x-content-type-options': 'nosniff',
    vary: 'Accept-Encoding',
    ...(zipped ? { 'content-encoding': 'gzip' } : {}),
    'content-length': body.length,
  });
  res.end(body);
}

async function readAll(path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(path)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
