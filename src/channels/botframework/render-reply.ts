import type { Activity, Attachment, CardAction } from 'botbuilder';
import { layoutNumbers, LTR_ISOLATE } from '../../engine/number-layout.js';
import type { Choice, LineChannel, LineNumber, Outbound, Reply } from '../../engine/types.js';

// The schema's names, written out: this module runs for the web chat too, which never loads botbuilder.
const MESSAGE = 'message';
const EVENT = 'event';
const MESSAGE_BACK = 'messageBack';
const OPEN_URL = 'openUrl';

/** A hero card with optional text and buttons (the shape botbuilder's CardFactory.heroCard builds). */
function heroCard(text: string | undefined, buttons: CardAction[]): Attachment {
  return { contentType: 'application/vnd.microsoft.card.hero', content: { ...(text ? { text } : {}), buttons } };
}

/** What a tel: link carries: digits, +, * and #. */
const telOf = (dial: string): string => dial.replace(/[^\d+*#]/g, '');
/** A button that dials a number. */
const callAction = (n: LineNumber): CardAction => ({ type: OPEN_URL, title: `📞 ${n.number}`, value: `tel:${telOf(n.dial)}` });
/** A button that opens another way to reach a line (WhatsApp, Telegram, SMS, web). */
const openAction = (c: LineChannel): CardAction => ({ type: OPEN_URL, title: `${c.label}: ${c.text}`, value: c.url });
/** Buttons on one numbers card: every number of a full answer, and then some ways to write. */
const MAX_CARD_BUTTONS = 12;

/** Bot Framework clients show at most this many suggested actions comfortably. */
const MAX_SUGGESTED_ACTIONS = 10;
/** Channels where we may send an event activity (the widget listens; Teams and others may reject it). */
const EVENT_CHANNELS = new Set(['webchat', 'directline', 'emulator']);
/** Event the widget reacts to by wiping what the browser keeps. */
const FORGET_EVENT = 'lantern/forget';

/**
 * How a reply becomes activities. `combined`: as few as possible, for /api/messages, where each
 * activity is a POST to the connector and Teams throttles. `per-message`: one activity per
 * message with call and link buttons, for the self-hosted Direct Line, where activities cost no
 * connector call and the widget shows text as plain text (a Markdown link would show its brackets).
 */
export type RenderStyle = 'combined' | 'per-message';

function choiceAction(choice: Choice): CardAction {
  // messageBack keeps the id out of the transcript: the user sees the label, the bot gets the id.
  return { type: MESSAGE_BACK, title: choice.label, text: choice.label, displayText: choice.label, value: { choice: choice.id } };
}

function message(text: string, locale: string, extra: Partial<Activity> = {}): Partial<Activity> {
  return { type: MESSAGE, ...(text ? { text } : {}), locale, ...extra };
}

/** Suggested actions only survive on the last message (clients drop them when another message arrives). */
function asSuggestions(messages: readonly Outbound[], index: number, count: number, channelId: string | undefined): boolean {
  if (count > MAX_SUGGESTED_ACTIONS || channelId === 'msteams') return false;
  for (let later = index + 1; later < messages.length; later++) {
    const type = messages[later]!.type;
    if (type !== 'end' && type !== 'forget') return false;
  }
  return true;
}

/**
 * Renders the core's channel-free reply as Bot Framework activities, in order. Choices that are
 * not last, too many choices, or Teams get a hero card instead of suggested actions.
 */
export function renderReply(reply: Reply, channelId: string | undefined, style: RenderStyle = 'combined'): Partial<Activity>[] {
  return style === 'combined' ? renderCombined(reply, channelId) : renderPerMessage(reply, channelId);
}

/** Text for inside a Markdown link's brackets. */
function linkText(text: string): string {
  return text.replace(/[[\]]/g, '');
}

/**
 * Text for a Markdown message, with what makes links, images and HTML escaped: our content has no
 * Markdown, and a «quote» of what someone pasted (a job ad) must not become an image or a link.
 */
function markdownText(text: string): string {
  return text.replace(/[\\[\]<]/g, '\\$&');
}

/**
 * Texts, phone numbers (as `tel:` Markdown links, the number shown so that clients that do not
 * open tel: links still show it) and links go into one Markdown message, which ends with the
 * choices as suggested actions. Choices that cannot be suggested actions end their message with a
 * hero card (the question on it), and what follows starts a new one. The emergency and hotline answers are one activity.
 */
function renderCombined(reply: Reply, channelId: string | undefined): Partial<Activity>[] {
  const locale = reply.language;
  const rtl = reply.direction === 'rtl';
  const activities: Partial<Activity>[] = [];
  let paragraphs: string[] = [];
  const flush = (extra?: Partial<Activity>) => {
    if (paragraphs.length === 0 && extra === undefined) return;
    activities.push(message(paragraphs.join('\n\n'), locale, { ...(paragraphs.length > 0 ? { textFormat: 'markdown' } : {}), ...extra }));
    paragraphs = [];
  };
  const { messages } = reply;
  messages.forEach((outbound, index) => {
    switch (outbound.type) {
      case 'text':
        if (outbound.text) paragraphs.push(markdownText(outbound.text));
        break;
      case 'choices': {
        const actions = outbound.choices.map(choiceAction);
        if (asSuggestions(messages, index, actions.length, channelId)) {
          if (outbound.text) paragraphs.push(markdownText(outbound.text));
          flush({ suggestedActions: { actions, to: [] } });
        } else {
          // The question stays on the card with its buttons; what came before is the message's text.
          flush({ attachments: [heroCard(outbound.text, actions)] });
        }
        break;
      }
      case 'contact':
        paragraphs.push(`${outbound.label}: [${linkText(outbound.number)}](tel:${telOf(outbound.dial)})`);
        break;
      case 'numbers':
        paragraphs.push(
          ...layoutNumbers(outbound, {
            text: markdownText,
            number: (n) => `[${linkText(n.number)}](tel:${telOf(n.dial)})`,
            channel: (c) => `[${linkText(c.text)}](${c.url.replace(/[()\s]/g, encodeURIComponent)})`,
            isolate: (text) => (rtl ? `${LTR_ISOLATE.start}${text}${LTR_ISOLATE.end}` : text),
          }),
        );
        break;
      case 'link':
        // The address is shown, not hidden behind the label: users should see where a link goes.
        paragraphs.push(`${outbound.label}: [${linkText(outbound.url)}](${outbound.url.replace(/[()\s]/g, encodeURIComponent)})`);
        break;
      case 'forget':
        flush();
        if (EVENT_CHANNELS.has(channelId ?? '')) activities.push({ type: EVENT, name: FORGET_EVENT, locale });
        break;
      case 'end':
        // A hint only: Bot Framework conversations stay open, the next message starts over.
        break;
    }
  });
  flush();
  return activities;
}

function renderPerMessage(reply: Reply, channelId: string | undefined): Partial<Activity>[] {
  const locale = reply.language;
  const rtl = reply.direction === 'rtl';
  const activities: Partial<Activity>[] = [];
  const { messages } = reply;
  messages.forEach((outbound, index) => {
    switch (outbound.type) {
      case 'text':
        activities.push(message(outbound.text, locale, { textFormat: 'plain' }));
        break;
      case 'choices': {
        const actions = outbound.choices.map(choiceAction);
        activities.push(
          index === messages.length - 1 && asSuggestions(messages, index, actions.length, channelId)
            ? message(outbound.text, locale, { textFormat: 'plain', suggestedActions: { actions, to: [] } })
            : message('', locale, { attachments: [heroCard(outbound.text, actions)] }),
        );
        break;
      }
      case 'contact': {
        const call: CardAction = { type: OPEN_URL, title: `📞 ${outbound.number}`, value: `tel:${outbound.dial}` };
        // The number is in the text too, for clients that do not render card actions.
        activities.push(message(`${outbound.label}: ${outbound.number}`, locale, { textFormat: 'plain', attachments: [heroCard(undefined, [call])] }));
        break;
      }
      case 'numbers': {
        // One bubble: the whole answer as plain text, and a button for each number and each way to write.
        const text = layoutNumbers(outbound, {
          text: (t) => t,
          number: (n) => n.number,
          channel: (c) => c.text,
          isolate: (t) => (rtl ? `${LTR_ISOLATE.start}${t}${LTR_ISOLATE.end}` : t),
        }).join('\n\n');
        const lines = outbound.sections.flatMap((s) => s.lines);
        const buttons = [...lines.flatMap((l) => l.numbers.map(callAction)), ...lines.flatMap((l) => l.channels.map(openAction))].slice(0, MAX_CARD_BUTTONS);
        activities.push(message(text, locale, { textFormat: 'plain', attachments: [heroCard(undefined, buttons)] }));
        break;
      }
      case 'link': {
        const open: CardAction = { type: OPEN_URL, title: outbound.label, value: outbound.url };
        activities.push(message('', locale, { attachments: [heroCard(undefined, [open])] }));
        break;
      }
      case 'forget':
        if (EVENT_CHANNELS.has(channelId ?? '')) activities.push({ type: EVENT, name: FORGET_EVENT, locale });
        break;
      case 'end':
        break;
    }
  });
  return activities;
}
