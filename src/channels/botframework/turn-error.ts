import type { TurnContext } from 'botbuilder';
import type { Log } from '../../engine/types.js';
import { ChannelError, errorName } from '../channel-error.js';
import type { LanternBot } from './lantern-bot.js';

/**
 * The one turn-error handler both adapters share, for what the bot's own policy could not answer.
 * A reply that was computed but could not be sent (ChannelError) is logged once and not retried:
 * the connector is failing, and another send would fail again. Anything else failed before a
 * reply existed: it is logged once and answered with the engine's apology and hotline.
 * Only error class names are logged: messages of connector errors can carry conversation ids or URLs.
 */
export function createTurnErrorHandler(log: Log, bot: LanternBot): (context: TurnContext, error: Error) => Promise<void> {
  return async (context, error) => {
    const cause = error instanceof ChannelError ? error.cause : error;
    const status = (cause as { statusCode?: unknown } | undefined)?.statusCode;
    const fields = {
      channelId: context.activity.channelId,
      activityType: context.activity.type,
      error: errorName(error),
      ...(error instanceof ChannelError ? { cause: errorName(cause) } : {}),
      ...(typeof status === 'number' ? { status } : {}),
    };
    if (error instanceof ChannelError) {
      log.error(fields, 'bot framework reply not sent');
      return;
    }
    try {
      await bot.apologise(context);
      log.error(fields, 'bot framework turn failed: answered with the apology and hotline');
    } catch (apologyError) {
      log.error({ ...fields, apologyError: errorName(apologyError) }, 'bot framework turn failed and the apology was not sent');
    }
  };
}
