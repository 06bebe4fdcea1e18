import type { Activity } from 'botbuilder';
import type { ChannelName, Log, TurnHandler } from '../../engine/types.js';
import type { FailureReply } from '../answer-turn.js';
import { errorName } from '../channel-error.js';
import { apologyFor, eventOfActivity, replyToActivity, type ActivityTurnOptions } from './activity-turn.js';

/** An activity as plain JSON: what crosses from a transport (such as our Direct Line) to the bot. */
export type ActivityJson = Record<string, unknown>;

/** Runs one incoming activity through the bot and resolves with the activities the bot sent. */
export type ActivityProcessor = (activity: ActivityJson) => Promise<ActivityJson[]>;

/** What createActivityProcessor needs. */
export interface ActivityProcessorOptions {
  handler: TurnHandler;
  /** The apology with the hotline, sent when a turn fails (the conversation service's `failure`). */
  failure: FailureReply;
  log: Log;
  /** The channel name the core sees; `webchat` for the self-hosted widget. */
  channel?: ChannelName;
}

/**
 * The same bot as /api/messages, behind a function a transport can call without knowing
 * botbuilder: the server hands this to the web chat as its `runTurn`. It needs no connector and
 * no botbuilder at all (the transport addresses the activities it returns), so the web chat
 * starts without loading it. A failure the turn's own policy could not answer (a bug in mapping
 * or rendering) is logged once and answered with the apology and hotline, as behind /api/messages.
 */
export function createActivityProcessor(options: ActivityProcessorOptions): ActivityProcessor {
  const turnOptions: ActivityTurnOptions = { handler: options.handler, failure: options.failure, log: options.log, channel: options.channel ?? 'webchat' };
  return async (json) => {
    const activity = json as Partial<Activity>;
    try {
      const event = eventOfActivity(activity);
      const sent = event ? await replyToActivity(activity, event, turnOptions) : [];
      return (sent ?? []).map((item) => ({ ...item }) as ActivityJson);
    } catch (error) {
      const fields = { channelId: activity.channelId, activityType: activity.type, error: errorName(error) };
      try {
        const apology = await apologyFor(activity, turnOptions);
        options.log.error(fields, 'bot framework turn failed: answered with the apology and hotline');
        return apology.map((item) => ({ ...item }) as ActivityJson);
      } catch (apologyError) {
        options.log.error({ ...fields, apologyError: errorName(apologyError) }, 'bot framework turn failed and the apology was not sent');
        return [];
      }
    }
  };
}
