import { ActionTypes, ActivityTypes, CardFactory } from 'botbuilder';
import type { Activity, CardAction } from 'botbuilder';
import type { Choice, Reply } from '../../engine/types.js';

/** Bot Framework clients show at most this many suggested actions comfortably. */
const MAX_SUGGESTED_ACTIONS = 10;
/** Channels where we may send an event activity (the widget listens; Teams and others may reject it). */
const EVENT_CHANNELS = new Set(['webchat', 'directline', 'emulator']);
/** Event the widget reacts to by wiping what the browser keeps. */
const FORGET_EVENT = 'lantern/forget';

function choiceAction(choice: Choice): CardAction {
  // messageBack keeps the id out of the transcript: the user sees the label, the bot gets the id.
  return { type: ActionTypes.MessageBack, title: choice.label, text: choice.label, displayText: choice.label, value: { choice: choice.id } };
}

function message(text: string, locale: string, extra: Partial<Activity> = {}): Partial<Activity> {
  return { type: ActivityTypes.Message, ...(text ? { text } : {}), locale, ...extra };
}

/**
 * Renders the core's channel-free reply as Bot Framework activities, in order.
 * Suggested actions only survive on the last activity (clients drop them when another message
 * arrives), so choices anywhere else, too many choices, or Teams get a hero card instead.
 */
export function renderReply(reply: Reply, channelId: string | undefined): Partial<Activity>[] {
  const locale = reply.language;
  const activities: Partial<Activity>[] = [];
  const last = reply.messages.length - 1;
  reply.messages.forEach((outbound, index) => {
    switch (outbound.type) {
      case 'text':
        activities.push(message(outbound.text, locale));
        break;
      case 'choices': {
        const actions = outbound.choices.map(choiceAction);
        const asSuggestions = index === last && actions.length <= MAX_SUGGESTED_ACTIONS && channelId !== 'msteams';
        activities.push(
          asSuggestions
            ? message(outbound.text, locale, { suggestedActions: { actions, to: [] } })
            : message('', locale, { attachments: [CardFactory.heroCard('', outbound.text, undefined, actions)] }),
        );
        break;
      }
      case 'contact': {
        const call: CardAction = { type: ActionTypes.OpenUrl, title: `📞 ${outbound.number}`, value: `tel:${outbound.dial}` };
        // The number is in the text too, for clients that do not render card actions.
        activities.push(message(`${outbound.label}: ${outbound.number}`, locale, { attachments: [CardFactory.heroCard('', undefined, [call])] }));
        break;
      }
      case 'link': {
        const open: CardAction = { type: ActionTypes.OpenUrl, title: outbound.label, value: outbound.url };
        activities.push(message('', locale, { attachments: [CardFactory.heroCard('', undefined, [open])] }));
        break;
      }
      case 'forget':
        if (EVENT_CHANNELS.has(channelId ?? '')) activities.push({ type: ActivityTypes.Event, name: FORGET_EVENT, locale });
        break;
      case 'end':
        // A hint only: Bot Framework conversations stay open, the next message starts over.
        break;
    }
  });
  return activities;
}
