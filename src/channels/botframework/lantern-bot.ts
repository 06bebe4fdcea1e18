import { ActivityHandler } from 'botbuilder';
import type { Activity, TurnContext } from 'botbuilder';
import type { ChannelName, Inbound, InboundEvent, Log, TurnHandler } from '../../engine/types.js';
import { answerTurn, type FailureReply } from '../answer-turn.js';
import { ChannelError } from '../channel-error.js';
import { countryOf, languageOf, mapEvent, mapMessage } from './map-activity.js';
import { renderReply, type RenderStyle } from './render-reply.js';

/** What a Lantern bot needs: the core's turn handler and the channel name it reports. */
interface LanternBotOptions {
  handler: TurnHandler;
  /** The apology with the hotline for a failed turn. */
  failure: FailureReply;
  log: Log;
  /** `botframework` behind /api/messages, `webchat` behind the self-hosted Direct Line. */
  channel: ChannelName;
}

/**
 * The Bot Framework face of the core: maps each activity to one inbound event, runs the turn,
 * and renders the reply. It decides nothing about the dialogue.
 */
export class LanternBot extends ActivityHandler {
  /** Few activities behind the connector (each is a POST, and Teams throttles); the web chat keeps one per message. */
  private readonly style: RenderStyle;

  constructor(private readonly options: LanternBotOptions) {
    super();
    this.style = options.channel === 'botframework' ? 'combined' : 'per-message';
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

  /** The core's Inbound for an activity; `unsupported` when the activity itself could not be read. */
  inboundOf(context: TurnContext, event: InboundEvent = { type: 'unsupported', kind: 'activity' }): Inbound {
    const { activity } = context;
    // A language the user just picked outranks the locale their client still reports.
    const languageHint = event.type === 'command' && event.command === 'language' && event.args ? event.args : languageOf(activity);
    const countryHint = countryOf(activity);
    return {
      conversation: `${activity.channelId}:${activity.conversation?.id}`,
      channel: this.options.channel,
      ...(languageHint ? { languageHint } : {}),
      ...(countryHint ? { countryHint } : {}),
      event,
    };
  }

  /** Sends the apology with the hotline for a turn that failed before its reply was computed. */
  async apologise(context: TurnContext): Promise<void> {
    const inbound = this.inboundOf(context);
    await this.send(context, renderReply(await this.options.failure(inbound), context.activity.channelId, this.style));
  }

  private async turn(context: TurnContext, event: InboundEvent): Promise<void> {
    const activities = await answerTurn(this.inboundOf(context, event), this.options, (reply) => renderReply(reply, context.activity.channelId, this.style));
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
