import type { TurnContext } from 'botbuilder';
import type { Log } from '../../engine/types.js';

/** Short and language-neutral enough; the core's own error reply (with the hotline) is the real fallback. */
const APOLOGY = 'Sorry, something went wrong on our side. Please try again.';

/**
 * The one turn-error handler both adapters share. It logs the error's kind only: messages of
 * connector errors can carry conversation ids or URLs, and nothing here may log user text.
 */
export function createTurnErrorHandler(log: Log): (context: TurnContext, error: Error) => Promise<void> {
  return async (context, error) => {
    const status = (error as { statusCode?: unknown }).statusCode;
    log.error(
      { channelId: context.activity.channelId, activityType: context.activity.type, error: error.name, ...(typeof status === 'number' ? { status } : {}) },
      'bot framework turn failed',
    );
    try {
      await context.sendActivity(APOLOGY);
    } catch (sendError) {
      // The connector itself is failing; nothing more to tell the user through it.
      log.warn({ channelId: context.activity.channelId, error: (sendError as Error).name }, 'bot framework apology not sent');
    }
  };
}
