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
 * request must carry a valid channel token (401 otherwise); without one, requests are accepted
 * unauthenticated (the Emulator and local tests), but only with a loopback serviceUrl.
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
    log.warn({ channel: 'botframework' }, 'MICROSOFT_APP_ID is not set: /api/messages accepts unauthenticated local (Emulator) requests only');
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
    if (!options.appId && !isLoopbackUrl((body as { serviceUrl?: unknown }).serviceUrl)) {
      // Unauthenticated, the bot would post its replies to any URL a caller names.
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('without MICROSOFT_APP_ID only a local serviceUrl (the Emulator) is accepted');
      return;
    }
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
