/**
 * The Bot Framework face of the core, without botbuilder (types only): which Lantern event an
 * activity stands for, its Inbound, and the rendered reply. `LanternBot` (behind /api/messages)
 * and the activity processor (behind the self-hosted Direct Line) both use it, so the web chat
 * never loads botbuilder, the slowest package to load by far.
 */
import type { Activity } from 'botbuilder';
import type { ChannelName, Inbound, InboundEvent } from '../../engine/types.js';
import { answerTurn, type TurnOptions } from '../answer-turn.js';
import { countryOf, languageOf, mapEvent, mapMessage } from './map-activity.js';
import { renderReply, type RenderStyle } from './render-reply.js';

/** What a turn on an activity needs: the core's turn handler, the apology, and the channel name reported. */
export interface ActivityTurnOptions extends TurnOptions {
  /** `botframework` behind /api/messages, `webchat` behind the self-hosted Direct Line. */
  channel: ChannelName;
}

/** Few activities behind the connector (each is a POST, and Teams throttles); the web chat keeps one per message. */
export function styleFor(channel: ChannelName): RenderStyle {
  return channel === 'botframework' ? 'combined' : 'per-message';
}

/**
 * The event an activity stands for, or undefined when it asks for no answer: a message, a person
 * (not the bot itself) joining, or one of our event activities.
 */
export function eventOfActivity(activity: Partial<Activity>): InboundEvent | undefined {
  switch (activity.type) {
    case 'message':
      return mapMessage(activity);
    case 'conversationUpdate': {
      const botId = activity.recipient?.id;
      // Greet once per update, and only when a person (not the bot itself) joined.
      return (activity.membersAdded ?? []).some((member) => member.id !== botId) ? { type: 'start' } : undefined;
    }
    case 'event':
      return mapEvent(activity);
    default:
      return undefined;
  }
}

/** The core's Inbound for an activity; `unsupported` when the activity itself could not be read. */
export function inboundOfActivity(activity: Partial<Activity>, channel: ChannelName, event: InboundEvent = { type: 'unsupported', kind: 'activity' }): Inbound {
  // A language the user just picked outranks the locale their client still reports.
  const languageHint = event.type === 'command' && event.command === 'language' && event.args ? event.args : languageOf(activity);
  const countryHint = countryOf(activity);
  return {
    conversation: `${activity.channelId}:${activity.conversation?.id}`,
    channel,
    ...(languageHint ? { languageHint } : {}),
    ...(countryHint ? { countryHint } : {}),
    event,
  };
}

/** Runs the turn and renders its reply (the apology with the hotline when the turn failed; undefined when even that failed). */
export function replyToActivity(activity: Partial<Activity>, event: InboundEvent, options: ActivityTurnOptions): Promise<Partial<Activity>[] | undefined> {
  return answerTurn(inboundOfActivity(activity, options.channel, event), options, (reply) => renderReply(reply, activity.channelId, styleFor(options.channel)));
}

/** The apology with the hotline, rendered, for a turn that failed before its reply was computed. */
export async function apologyFor(activity: Partial<Activity>, options: ActivityTurnOptions): Promise<Partial<Activity>[]> {
  return renderReply(await options.failure(inboundOfActivity(activity, options.channel)), activity.channelId, styleFor(options.channel));
}
