import type { Activity } from 'botbuilder';
import type { InboundEvent } from '../../engine/types.js';

/** Event activity names the web widget posts; other Bot Framework clients may post them too. */
const QUICK_EXIT_EVENT = 'quickExit';
const SET_LANGUAGE_EVENT = 'setLanguage';

const LANGUAGE_TAG = /^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8}){0,3}$/;
const COUNTRY_CODE = /^[A-Z]{2}$/;
const COMMAND = /^\/([a-zA-Z][a-zA-Z_]{0,31})(?:@\S+)?(?:\s+([\s\S]*))?$/;
/** A choice id is at most 64 bytes by contract; anything longer is not one of ours. */
const MAX_CHOICE_ID_BYTES = 64;

/** The BCP 47 tag the client reported, if it looks like one (it goes to the core only as a hint). */
export function languageOf(activity: Partial<Activity>): string | undefined {
  const locale = activity.locale;
  return typeof locale === 'string' && LANGUAGE_TAG.test(locale) ? locale : undefined;
}

/** Country hint stamped by our own Direct Line endpoint (from the NGO's embed), if any. */
export function countryOf(activity: Partial<Activity>): string | undefined {
  const data: unknown = activity.channelData;
  if (typeof data !== 'object' || data === null) return undefined;
  const lantern: unknown = (data as Record<string, unknown>).lantern;
  if (typeof lantern !== 'object' || lantern === null) return undefined;
  const country: unknown = (lantern as Record<string, unknown>).country;
  return typeof country === 'string' && COUNTRY_CODE.test(country) ? country : undefined;
}

/** The choice id a button press carries, from suggested actions, hero cards or card submits. */
function choiceIdOf(value: unknown): string | undefined {
  let id: unknown = value;
  if (typeof value === 'object' && value !== null) id = (value as Record<string, unknown>).choice;
  if (typeof id !== 'string' || id.length === 0) return undefined;
  return Buffer.byteLength(id, 'utf8') <= MAX_CHOICE_ID_BYTES ? id : undefined;
}

/** What the user sent in a message activity, or undefined for an empty one (nothing to answer). */
export function mapMessage(activity: Partial<Activity>): InboundEvent | undefined {
  if (activity.value !== undefined && activity.value !== null) {
    const id = choiceIdOf(activity.value);
    // A submit we did not issue is still a press: let the core answer it instead of silence.
    return id === undefined ? { type: 'unsupported', kind: 'card' } : { type: 'choice', id };
  }
  const text = typeof activity.text === 'string' ? activity.text.trim() : '';
  if (text.length > 0) {
    const command = COMMAND.exec(text);
    if (command?.[1]) {
      const args = command[2]?.trim();
      return { type: 'command', command: command[1].toLowerCase(), ...(args ? { args } : {}) };
    }
    return { type: 'text', text };
  }
  const first = activity.attachments?.[0];
  if (first) {
    const major = /^([a-z]+)\//.exec(first.contentType ?? '')?.[1];
    return { type: 'unsupported', kind: major ?? 'attachment' };
  }
  return undefined;
}

/** The Lantern event an `event` activity stands for, or undefined for events we ignore. */
export function mapEvent(activity: Partial<Activity>): InboundEvent | undefined {
  if (activity.name === QUICK_EXIT_EVENT) return { type: 'command', command: 'forget' };
  if (activity.name === SET_LANGUAGE_EVENT && typeof activity.value === 'string' && LANGUAGE_TAG.test(activity.value)) {
    return { type: 'command', command: 'language', args: activity.value };
  }
  return undefined;
}
