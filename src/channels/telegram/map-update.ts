import type { Message, Update } from 'telegraf/types';
import type { Inbound, InboundEvent } from '../../engine/types.js';

/*
 * Media and other contents the bot cannot read, tested in this order. `animation` comes
 * before `document` (a GIF carries both) and `venue` before `location` (a venue carries a
 * location), so each message gets its most specific kind.
 */
const UNSUPPORTED_KINDS: readonly (readonly [field: string, kind: string])[] = [
  ['animation', 'animation'],
  ['sticker', 'sticker'],
  ['photo', 'photo'],
  ['video_note', 'video_note'],
  ['video', 'video'],
  ['voice', 'voice'],
  ['audio', 'audio'],
  ['document', 'document'],
  ['venue', 'location'],
  ['location', 'location'],
  ['contact', 'contact'],
  ['poll', 'poll'],
  ['dice', 'dice'],
  ['game', 'game'],
  ['story', 'story'],
];

// Bot API command syntax: 1-32 latin letters, digits or underscores, optionally @botname.
const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{1,64})?(?:\s+([\s\S]*))?$/;
// What Telegram itself allows in a `t.me/<bot>?start=` payload; anything else was typed by hand.
const DEEP_LINK_PAYLOAD = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Maps one Telegram update to the core's Inbound, or `undefined` for updates that are not
 * a user talking to the bot (inline queries, member changes, service messages).
 */
export function mapUpdate(update: Update): Inbound | undefined {
  if ('callback_query' in update) {
    const query = update.callback_query;
    const chat = query.message?.chat;
    if (chat === undefined) return undefined;
    const event: InboundEvent =
      chat.type !== 'private'
        ? { type: 'unsupported', kind: 'group' }
        : 'data' in query && typeof query.data === 'string'
          ? { type: 'choice', id: query.data }
          : { type: 'unsupported', kind: 'game' };
    return inbound(chat.id, query.from.language_code, event);
  }
  if ('message' in update) {
    const message = update.message;
    if (message.chat.type !== 'private') return inbound(message.chat.id, message.from?.language_code, GROUP);
    const event = messageEvent(message);
    return event && inbound(message.chat.id, message.from?.language_code, event);
  }
  if ('edited_message' in update) {
    const message = update.edited_message;
    const event: InboundEvent = message.chat.type !== 'private' ? GROUP : { type: 'unsupported', kind: 'edited' };
    return inbound(message.chat.id, message.from?.language_code, event);
  }
  if ('channel_post' in update) return inbound(update.channel_post.chat.id, undefined, GROUP);
  return undefined;
}

const GROUP: InboundEvent = { type: 'unsupported', kind: 'group' };

function inbound(chatId: number, languageCode: string | undefined, event: InboundEvent): Inbound {
  const result: Inbound = { conversation: String(chatId), channel: 'telegram', event };
  if (languageCode) result.languageHint = languageCode;
  return result;
}

function messageEvent(message: Message): InboundEvent | undefined {
  if ('text' in message && typeof message.text === 'string' && message.text !== '') return textEvent(message.text);
  for (const [field, kind] of UNSUPPORTED_KINDS) {
    if (field in message) return { type: 'unsupported', kind };
  }
  return undefined;
}

function textEvent(text: string): InboundEvent {
  const command = COMMAND.exec(text.trim());
  if (command === null) return { type: 'text', text };
  const name = (command[1] ?? '').toLowerCase();
  const args = command[2]?.trim() ?? '';
  if (name === 'start') {
    return DEEP_LINK_PAYLOAD.test(args) ? { type: 'start', payload: args } : { type: 'start' };
  }
  return args === '' ? { type: 'command', command: name } : { type: 'command', command: name, args };
}
