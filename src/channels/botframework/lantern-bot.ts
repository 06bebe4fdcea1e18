import { ActivityHandler } from 'botbuilder';
import type { TurnContext } from 'botbuilder';
import type { ChannelName, InboundEvent, Log, TurnHandler } from '../../engine/types.js';
import { countryOf, languageOf, mapEvent, mapMessage } from './map-activity.js';
import { renderReply } from './render-reply.js';

/** What a Lantern bot needs: the core's turn handler and the channel name it reports. */
interface LanternBotOptions {
  handler: TurnHandler;
  log: Log;
  /** `botframework` behind /api/messages, `webchat` behind the self-hosted Direct Line. */
  channel: ChannelName;
}

/**
 * The Bot Framework face of the core: maps each activity to one inbound event, runs the turn,
 * and renders the reply. It decides nothing about the dialogue.
 */
export class LanternBot extends ActivityHandler {
  constructor(private readonly options: LanternBotOptions) {
    super();
    this.onMessage(async (context, next) => {
      const event = mapMessage(context.activity);
      if (event) await this.turn(context, event);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      // Greet once per update, and only when a person (not the bot itself) joined.
      const personJoined = (context.activity.membersAdded ?? []).some((member) => member.id !== botId);
      if (personJoined) await this.turn(context, { type: 'start' });
      await next();
    });
    this.onEvent(async (context, next) => {
      const event = mapEvent(context.activity);
      if (event) await this.turn(context, event);
      await next();
    });
  }

  private async turn(context: TurnContext, event: InboundEvent): Promise<void> {
    const { activity } = context;
    // A language the user just picked outranks the locale their client still reports.
    const languageHint = event.type === 'command' && event.command === 'language' && event.args ? event.args : languageOf(activity);
    const countryHint = countryOf(activity);
    const reply = await this.options.handler({
      conversation: `${activity.channelId}:${activity.conversation.id}`,
      channel: this.options.channel,
      ...(languageHint ? { languageHint } : {}),
      ...(countryHint ? { countryHint } : {}),
      event,
    });
    const activities = renderReply(reply, activity.channelId);
    if (activities.length > 0) await context.sendActivities(activities);
    this.options.log.debug({ channel: this.options.channel, event: `user.${event.type}`, sent: activities.length }, 'bot turn');
  }
}
