/** Composes the running server: config, store, engine, channels and HTTP on one port. */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BotFrameworkChannel } from '../channels/botframework/index.js';
// Not through the channel's index: the activity processor needs no botbuilder, and the web chat must not load it.
import { createActivityProcessor } from '../channels/botframework/activity-processor.js';
import type { TelegramChannel } from '../channels/telegram/index.js';
import { createWebChat } from '../channels/webchat/index.js';
import { buildEngine, loadPublishable, type BuiltEngine } from '../engine/index.js';
import { createConversationService, type ConversationService } from './conversation-service.js';
import { FlowError, type Content, type ContentPaths } from '../content/index.js';
import { createConversationRelay, createSessionStore, createWindowCounter, type SessionStore } from '../store/index.js';
import { createClientLimit } from './client-limits.js';
import { loadConfig, type Config } from './config.js';
import { loadHashSecret } from './hash-secret.js';
import { createRouter, pathOf, send, type Route } from './http-router.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import { createSentIdStore } from './sent-id-store.js';

const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** A running Lantern server. */
export interface RunningServer {
  url: string;
  port: number;
  service: ConversationService;
  /** Reloads flows/ and locales/; a broken edit is rejected and the running version stays. */
  reload(): { ok: true } | { ok: false; error: FlowError };
  /** Stops taking updates, finishes turns in flight, closes the store. */
  close(): Promise<void>;
}

/** How content is loaded and checked: `loadPublishable` (every lint check), or a cache in front of it (the CLI's). */
type ContentLoader = (paths: ContentPaths) => ReturnType<typeof loadPublishable>;

/** Loads content and builds an engine; throws FlowError with every error `lantern lint` finds. */
export function loadEngine(
  config: Pick<Config, 'FLOWS_DIR' | 'LOCALES_DIR' | 'DEFAULT_LANGUAGE' | 'DEFAULT_COUNTRY'> & Partial<Pick<Config, 'SESSION_TTL'>>,
  load: ContentLoader = loadPublishable,
  previous?: BuiltEngine,
): BuiltEngine & { content: Content } {
  const paths = { flowsDir: resolve(config.FLOWS_DIR ?? join(projectRoot, 'flows')), localesDir: resolve(config.LOCALES_DIR ?? join(projectRoot, 'locales')) };
  const { content, problems } = load(paths);
  const errors = problems.filter((p) => p.severity === 'error');
  if (!content || errors.length) throw new FlowError(errors);
  const defaults = { language: config.DEFAULT_LANGUAGE, ...(config.DEFAULT_COUNTRY ? { country: config.DEFAULT_COUNTRY } : {}) };
  // On reload, conversations in the middle of a flow keep the version they started on until their next main menu;
  // a version is kept as long as a session that ran on it may still be in the store (SESSION_TTL).
  return { ...buildEngine(content, defaults, previous, config.SESSION_TTL ? { keepVersionsFor: config.SESSION_TTL } : {}), content };
}

/** Starts everything the configuration asks for. */
export async function startServer(
  options: { env?: Record<string, string | undefined>; log?: NodeJS.WritableStream; extraRoutes?: Route[]; loadContent?: ContentLoader } = {},
): Promise<RunningServer> {
  const config = loadConfig(options.env);
  // Before anything opens: a weak or unreadable secret stops the start with a ConfigError.
  const hashSecret = loadHashSecret(config);
  const log = createLogger(config.LOG_LEVEL, options.log);
  let built = loadEngine(config, options.loadContent);
  // The typed-text index is built before the first request: an emergency typed a second after
  // start must not wait for it (about half a second of work on an idle machine).
  built.engine.warm();
  const store: SessionStore = createSessionStore(
    config.STORE === 'redis'
      ? { kind: 'redis', url: config.REDIS_URL! }
      : config.STORE === 'memory'
        ? { kind: 'memory' }
        : { kind: 'sqlite', path: resolve(config.SQLITE_PATH) },
  );
  const metrics = createMetrics();
  const service = createConversationService({
    engine: () => built.engine,
    store,
    hashSecret,
    ttlMs: config.SESSION_TTL,
    rateLimit: config.RATE_LIMIT,
    log,
    onTurn: (report) => metrics.record(report),
  });
  let draining = false;

  // Channel SDKs load only when their channel is on: telegraf when a token is set; botbuilder (about
  // a second, the slowest part of a start) when /api/messages is first called, or in the background
  // once the server listens when MICROSOFT_APP_ID says a Bot Framework registration is configured.
  // The web chat runs the same bot without botbuilder. Requests waiting for it count as in flight for close().
  let telegram: TelegramChannel | undefined;
  if (config.TELEGRAM_BOT_TOKEN) {
    const { createTelegramChannel } = await import('../channels/telegram/index.js');
    telegram = createTelegramChannel({
      token: config.TELEGRAM_BOT_TOKEN,
      // The channel queues each chat's updates (turn and sends, in order): the service adds no second queue.
      handler: service.handleInOrder,
      failure: service.failure,
      log,
      ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {}),
      ...(config.PUBLIC_URL && config.TELEGRAM_WEBHOOK_SECRET ? { webhook: { publicUrl: config.PUBLIC_URL, secret: config.TELEGRAM_WEBHOOK_SECRET } } : {}),
      commands: commandMenus(built),
      // Several instances share one webhook URL: the first to store an update id answers it.
      // Kept in the store so that /forget deletes what any instance sent, even before a restart.
      sentIds: createSentIdStore(store, (chatId) => service.keyOf({ channel: 'telegram', conversation: chatId }), config.SESSION_TTL),
      ...(config.STORE === 'redis' ? { claimUpdate: async (id: number) => (await store.put(`telegram-update:${id}`, '1', 0, 24 * 3_600_000)) !== false } : {}),
    });
  }

  let botFrameworkChannel: Promise<BotFrameworkChannel> | undefined;
  const botFramework = () =>
    (botFrameworkChannel ??= import('../channels/botframework/index.js').then(({ createBotFrameworkChannel }) =>
      createBotFrameworkChannel({
        handler: service.handle,
        failure: service.failure,
        log,
        ...(config.MICROSOFT_APP_ID ? { appId: config.MICROSOFT_APP_ID } : {}),
        ...(config.MICROSOFT_APP_PASSWORD ? { appPassword: config.MICROSOFT_APP_PASSWORD } : {}),
        ...(config.MICROSOFT_APP_TYPE ? { appType: config.MICROSOFT_APP_TYPE } : {}),
        ...(config.MICROSOFT_APP_TENANT_ID ? { tenantId: config.MICROSOFT_APP_TENANT_ID } : {}),
        emulator: config.BOT_EMULATOR,
      }),
    ));
  const viaBotFramework = new Set<Promise<unknown>>();
  const throughBotFramework = <T>(use: (channel: BotFrameworkChannel) => Promise<T>): Promise<T> => {
    const request = botFramework().then(use);
    viaBotFramework.add(request);
    const forget = () => viaBotFramework.delete(request);
    request.then(forget, forget);
    return request;
  };
  // Per-client limits on the doors open without an account; on Redis so that every instance counts together.
  const rateCounter = config.CLIENT_RATE_LIMIT
    ? createWindowCounter(config.STORE === 'redis' ? { kind: 'redis', url: config.REDIS_URL! } : { kind: 'memory' })
    : undefined;
  const limitClient =
    rateCounter && config.CLIENT_RATE_LIMIT
      ? createClientLimit({ counter: rateCounter, secret: hashSecret, limit: config.CLIENT_RATE_LIMIT, trustProxy: config.TRUST_PROXY, log })
      : undefined;
  const runWebChatTurn = createActivityProcessor({ handler: service.handle, failure: service.failure, log });
  // On Redis every instance serves every web chat visitor: buffers, turn order, sockets and revocation are shared.
  const webChatRelay = config.STORE === 'redis' ? createConversationRelay({ url: config.REDIS_URL! }) : undefined;
  const webChat = createWebChat({
    runTurn: runWebChatTurn,
    // Derived from the hash secret so that every instance signs and checks the same tokens.
    secret: createHmac('sha256', hashSecret).update('lantern webchat tokens').digest('base64url'),
    log,
    allowedOrigins: config.WEBCHAT_ALLOWED_ORIGINS ?? '*',
    ...(limitClient ? { limitClient } : {}),
    ...(webChatRelay ? { relay: webChatRelay, bufferTtlMs: config.WEBCHAT_BUFFER_TTL } : {}),
    // The widget's own words (locales/<lang>/widget.json, English as fallback); read per request so a reload shows.
    translate: (language, key) => built.translator.t(language, key),
    // The picker's languages come from locales/: adding a locale adds it to the widget.
    languages: () => built.translator.languages.map((l) => [l, built.translator.nativeName(l), built.translator.direction(l)] as const),
    ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}),
  });

  const routes: Route[] = [
    (req, res) => {
      if (!draining || ['/healthz', '/readyz'].includes(pathOf(req))) return false;
      res.writeHead(503, { 'retry-after': '5', connection: 'close', 'content-type': 'text/plain; charset=utf-8' }).end('shutting down\n');
      return true;
    },
    async (req, res) => {
      const path = pathOf(req);
      if (path === '/healthz') {
        send(res, 200, 'application/json', JSON.stringify({ status: 'ok' }));
        return true;
      }
      if (path === '/readyz') {
        let storeOk = true;
        try {
          await store.ping();
        } catch {
          storeOk = false;
        }
        const ok = storeOk && !draining;
        send(
          res,
          ok ? 200 : 503,
          'application/json',
          JSON.stringify({ status: ok ? 'ready' : 'not ready', store: storeOk ? 'ok' : 'unreachable', flows: built.engine.flows.size, draining }),
        );
        return true;
      }
      if (path === '/metrics') {
        if (config.METRICS_TOKEN && !bearerIs(req.headers.authorization, config.METRICS_TOKEN)) {
          res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"', 'content-type': 'text/plain; charset=utf-8' }).end('unauthorized\n');
          return true;
        }
        send(res, 200, metrics.registry.contentType, await metrics.registry.metrics());
        return true;
      }
      return false;
    },
    ...(telegram
      ? [
          async (req: Parameters<Route>[0], res: Parameters<Route>[1]) => {
            if (pathOf(req) !== '/telegram/webhook') return false;
            await telegram!.webhookHandler(req, res);
            return true;
          },
        ]
      : []),
    async (req, res) => {
      if (pathOf(req) !== '/api/messages') return false;
      // Without MICROSOFT_APP_ID anyone may post here; Azure's connector authenticates and is never limited.
      const wait = config.MICROSOFT_APP_ID ? undefined : await limitClient?.(req, 'messages');
      if (wait !== undefined) {
        res.writeHead(429, { 'retry-after': String(wait), 'content-type': 'application/json' }).end('{"error":"too many requests"}');
        return true;
      }
      await throughBotFramework((channel) => channel.messagesHandler(req, res));
      return true;
    },
    (req, res) => webChat.handle(req, res),
    ...(options.extraRoutes ?? []),
  ];

  const server: Server = createServer(createRouter(routes, (error) => log.error({ err: error instanceof Error ? error.name : 'error' }, 'request failed')));
  server.requestTimeout = 30_000;
  server.on('upgrade', (req, socket, head) => {
    if (draining || !webChat.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((ok) => (config.HOST ? server.listen(config.PORT, config.HOST, ok) : server.listen(config.PORT, ok)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  // Where this process itself can reach the server (tests, `url`): the bound address unless it is every interface.
  const host = !config.HOST || ['0.0.0.0', '::'].includes(config.HOST) ? '127.0.0.1' : config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  if (telegram) await telegram.start();
  if (config.MICROSOFT_APP_ID)
    botFramework().catch((error: unknown) =>
      log.error({ err: error instanceof Error ? error.name : 'error' }, 'the Bot Framework channel could not be loaded'),
    );
  log.info(
    {
      port,
      ...(config.HOST ? { host: config.HOST } : {}),
      store: config.STORE,
      telegram: telegram ? (config.TELEGRAM_WEBHOOK_SECRET ? 'webhook' : 'polling') : 'off',
      flows: built.engine.flows.size,
    },
    'lantern is listening',
  );

  return {
    url: `http://${host}:${port}`,
    port,
    service,
    reload() {
      try {
        built = loadEngine(config, options.loadContent, built);
        // The new typed-text index is built right after the reload returns, not by the first person who types.
        const fresh = built;
        setImmediate(() => fresh.engine.warm());
        log.info({ flows: built.engine.flows.size }, 'content reloaded');
        return { ok: true };
      } catch (error) {
        if (error instanceof FlowError) {
          log.warn({ problems: error.problems.length }, 'reload rejected: the running version stays');
          return { ok: false, error };
        }
        throw error;
      }
    },
    async close() {
      // Stop taking updates first (new requests get 503 and are retried elsewhere or later),
      // then let the turns in flight finish on every channel.
      draining = true;
      const closed = new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeIdleConnections();
      });
      webChat.close();
      await telegram?.stop();
      await Promise.allSettled([...viaBotFramework]);
      await service.drain();
      // Keep-alive sockets that a browser opened but never used would hold close() open until
      // their timeout: once the turns in flight are done, nothing is left to answer on them.
      server.closeAllConnections();
      await closed;
      await rateCounter?.close();
      await webChatRelay?.close();
      await store.close();
    },
  };
}

/** True when an Authorization header carries exactly this bearer token (compared in constant time). */
function bearerIs(header: string | undefined, token: string): boolean {
  const given = createHash('sha256')
    .update(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '')
    .digest();
  return timingSafeEqual(given, createHash('sha256').update(token).digest());
}

/** Telegram's command menu in every shipped language. */
function commandMenus(built: BuiltEngine): Record<string, { command: string; description: string }[]> {
  const menu = (lng: string) =>
    ['menu', 'sos', 'language', 'help', 'forget'].map((command) => ({ command, description: built.translator.t(lng, `commands.${command}`) }));
  return Object.fromEntries([['default', menu('en')], ...built.translator.languages.map((l) => [l, menu(l)])]);
}
