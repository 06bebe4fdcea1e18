import { ActivityHandler } from 'botbuilder';
import type { Activity, TurnContext } from 'botbuilder';
import type { InboundEvent } from '../../engine/types.js';
import { ChannelError } from '../channel-error.js';
import { apologyFor, eventOfActivity, replyToActivity, type ActivityTurnOptions } from './activity-turn.js';

/**
 * The Bot Framework face of the core behind /api/messages: botbuilder's ActivityHandler routes
 * each activity to one inbound event (activity-turn.ts), runs the turn and sends the reply. It
 * decides nothing about the dialogue.
 */
export class LanternBot extends ActivityHandler {
  constructor(private readonly options: ActivityTurnOptions) {
    super();
    const answer = async (context: TurnContext, next: () => Promise<void>) => {
      const event = eventOfActivity(context.activity);
      if (event) await this.turn(context, event);
      await next();
    };
    this.onMessage(answer);
    this.onMembersAdded(answer);
    this.onEvent(answer);
  }

  /** Sends the apology with the hotline for a turn that failed before its reply was computed. */
  async apologise(context: TurnContext): Promise<void> {
    await this.send(context, await apologyFor(context.activity, this.options));
  }

  private async turn(context: TurnContext, event: InboundEvent): Promise<void> {
    const activities = await replyToActivity(context.activity, event, this.options);
    if (activities === undefined) return;
    await this.send(context, activities);
    this.options.log.debug({ channel: this.options.channel, event: `user.${event.type}`, sent: activities.length }, 'bot turn');
  }

  /** Sends a computed reply; a failure here is a SendFailed error, which the turn-error handler logs without retrying. */
  private async send(context: TurnContext, activities: Partial<Activity>[]): Promise<void> {
    if (activities.length === 0) return;
    try {
      await context.sendActivities(activities);
    } catch (error) {
      throw new ChannelError("The Bot Framework connector refused the reply; check the bot's app id, password and the channel's status.", { cause: error });
    }
  }
}
