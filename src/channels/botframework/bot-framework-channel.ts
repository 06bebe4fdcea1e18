import type { IncomingMessage, ServerResponse } from 'node:http';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Log, TurnHandler } from '../../engine/types.js';
import { LanternBot } from './lantern-bot.js';
import type { FailureReply } from '../answer-turn.js';
import { ChannelError, errorName } from '../channel-error.js';
import { readJsonBody } from '../read-body.js';
import { toBotRequest, toBotResponse } from './node-http-bridge.js';
import { createTurnErrorHandler } from './turn-error.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function isLoopbackUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return LOOPBACK_HOSTS.has(new URL(value).hostname);
  } catch {
    return false;
  }
}

/** What is wrong with the parts of an activity the turn relies on (ids that replies are addressed with), if anything. */
function activityProblem(activity: Record<string, unknown>): string | undefined {
  const account = (value: unknown) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { id?: unknown }).id === 'string' &&
    ['string', 'undefined'].includes(typeof (value as { name?: unknown }).name);
  if (typeof activity.type !== 'string') return 'an activity needs a type';
  for (const field of ['id', 'channelId', 'text', 'locale', 'name', 'replyToId'] as const)
    if (!['string', 'undefined'].includes(typeof activity[field])) return `${field} must be a string`;
  if (!account(activity.conversation)) return 'an activity needs conversation.id';
  for (const field of ['from', 'recipient'] as const)
    if (activity[field] !== undefined && !account(activity[field])) return `${field} needs a string id and name`;
  if (activity.membersAdded !== undefined && !(Array.isArray(activity.membersAdded) && activity.membersAdded.every(account)))
    return 'membersAdded needs accounts';
  return undefined;
}

/** Bot Framework activities are small; Teams' largest stay well under this. */
const MAX_BODY_BYTES = 256 * 1024;

/** The MICROSOFT_APP_* settings, passed in by the config module (never read from process.env here). */
export interface BotFrameworkChannelOptions {
  handler: TurnHandler;
  /** The apology with the hotline, sent when a turn fails (the conversation service's `failure`). */
  failure: FailureReply;
  log: Log;
  appId?: string;
  appPassword?: string;
  /** `MultiTenant` (default), `SingleTenant` or `UserAssignedMSI`. */
  appType?: string;
  tenantId?: string;
  /**
   * Without an app id: true posts replies to a loopback serviceUrl (the Emulator, local tests; the
   * config refuses it in production); false (default) answers in the HTTP response instead.
   */
  emulator?: boolean;
}

/** The /api/messages endpoint and the pieces behind it. */
export interface BotFrameworkChannel {
  /** Mount on POST /api/messages. */
  messagesHandler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  bot: LanternBot;
  adapter: CloudAdapter;
}

/**
 * Creates the Bot Framework channel (Azure Bot Service, Teams, Emulator). With an app id every
 * request must carry a valid channel token (401 otherwise). Without one, requests are
 * unauthenticated, so the server never calls an address the caller chose: the replies come back
 * in the HTTP response (deliveryMode expectReplies), or, with `emulator`, are posted to a
 * loopback serviceUrl only.
 */
export function createBotFrameworkChannel(options: BotFrameworkChannelOptions): BotFrameworkChannel {
  const { log } = options;
  const auth = new ConfigurationBotFrameworkAuthentication({
    ...(options.appId ? { MicrosoftAppId: options.appId } : {}),
    ...(options.appPassword ? { MicrosoftAppPassword: options.appPassword } : {}),
    ...(options.appType ? { MicrosoftAppType: options.appType } : {}),
    ...(options.tenantId ? { MicrosoftAppTenantId: options.tenantId } : {}),
  });
  if (!options.appId)
    log.warn(
      { channel: 'botframework' },
      options.emulator
        ? 'MICROSOFT_APP_ID is not set and BOT_EMULATOR is on: /api/messages posts replies to local (Emulator) serviceUrls only'
        : 'MICROSOFT_APP_ID is not set: /api/messages answers unauthenticated requests in the HTTP response and posts nothing',
    );
  const adapter = new CloudAdapter(auth);
  const bot = new LanternBot({ handler: options.handler, failure: options.failure, log, channel: 'botframework' });
  adapter.onTurnError = createTurnErrorHandler(log, bot);

  const messagesHandler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    if (options.appId && !req.headers.authorization) {
      // CloudAdapter would answer 401 too, but prints a stack for every such probe.
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' }).end('unauthorized');
      return;
    }
    let body: unknown;
    try {
      body = await readJsonBody(req, MAX_BODY_BYTES);
    } catch (error) {
      const status = error instanceof ChannelError && error.status ? error.status : 400;
      // Closing spares us reading the rest of an oversize upload.
      res
        .writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' })
        .end(error instanceof ChannelError ? error.message : 'bad request');
      return;
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('an activity object is required');
      return;
    }
    const malformed = activityProblem(body as Record<string, unknown>);
    if (malformed) {
      // Every channel sends these right; with them wrong the turn could only fail after the reply was promised.
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(malformed);
      return;
    }
    if (!options.appId && options.emulator && !isLoopbackUrl((body as { serviceUrl?: unknown }).serviceUrl)) {
      // Unauthenticated, the bot would post its replies to any URL a caller names.
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('with BOT_EMULATOR only a local serviceUrl (the Emulator) is accepted');
      return;
    }
    // Unauthenticated and no emulator: the turn's replies are buffered and returned in this response
    // ({ activities: [...] }); the connector at serviceUrl, whatever the caller named, is never called.
    if (!options.appId && !options.emulator) (body as Record<string, unknown>).deliveryMode = 'expectReplies';
    try {
      await adapter.process(toBotRequest(req, body as Record<string, unknown>), toBotResponse(res), (context) => bot.run(context));
    } catch (error) {
      // CloudAdapter throws before the turn only for malformed activities.
      log.warn({ channel: 'botframework', error: errorName(error) }, 'activity rejected');
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('invalid activity');
    }
  };

  return { messagesHandler, bot, adapter };
}
