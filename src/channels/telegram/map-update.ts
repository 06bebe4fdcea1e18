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
 * a user talking to the bot (inline queries, member changes, service messages) and for
 * updates whose chat has no valid id: only Telegram knows the secret, but its payload is
 * still checked before a chat id reaches the store or the Bot API.
 */
export function mapUpdate(update: Update): Inbound | undefined {
  if ('callback_query' in update) {
    const query: unknown = update.callback_query;
    if (!isObject(query)) return undefined;
    const chat = isObject(query.message) ? chatOf(query.message.chat) : undefined;
    if (chat === undefined) return undefined;
    const event: InboundEvent =
      chat.type !== 'private'
        ? { type: 'unsupported', kind: 'group' }
        : typeof query.data === 'string'
          ? { type: 'choice', id: query.data }
          : { type: 'unsupported', kind: 'game' };
    return inbound(chat.id, languageOf(query.from), event);
  }
  if ('message' in update) {
    const message: unknown = update.message;
    const chat = isObject(message) ? chatOf(message.chat) : undefined;
    if (chat === undefined) return undefined;
    if (chat.type !== 'private') return inbound(chat.id, languageOf((message as Message).from), GROUP);
    const event = messageEvent(message as Message);
    return event && inbound(chat.id, languageOf((message as Message).from), event);
  }
  if ('edited_message' in update) {
    const message: unknown = update.edited_message;
    const chat = isObject(message) ? chatOf(message.chat) : undefined;
    if (chat === undefined) return undefined;
    const event: InboundEvent = chat.type !== 'private' ? GROUP : { type: 'unsupported', kind: 'edited' };
    return inbound(chat.id, languageOf((message as Message).from), event);
  }
  if ('channel_post' in update) {
    const post: unknown = update.channel_post;
    const chat = isObject(post) ? chatOf(post.chat) : undefined;
    return chat && inbound(chat.id, undefined, GROUP);
  }
  return undefined;
}

/** The id to answer a button press with, when the update carries one. */
export function callbackQueryIdOf(update: Update): string | undefined {
  const query: unknown = 'callback_query' in update ? update.callback_query : undefined;
  return isObject(query) && typeof query.id === 'string' && query.id !== '' ? query.id : undefined;
}

/** The id of what the user wrote in a private chat (bots may delete it when asked to forget). */
export function privateMessageIdOf(update: Update): number | undefined {
  const message: unknown = 'message' in update ? update.message : undefined;
  if (!isObject(message) || chatOf(message.chat)?.type !== 'private') return undefined;
  const id = message.message_id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A chat with a Bot API chat id (a non-zero integer), or undefined. */
function chatOf(chat: unknown): { id: number; type: unknown } | undefined {
  if (!isObject(chat) || typeof chat.id !== 'number' || !Number.isSafeInteger(chat.id) || chat.id === 0) return undefined;
  return { id: chat.id, type: chat.type };
}

function languageOf(from: unknown): string | undefined {
  return isObject(from) && typeof from.language_code === 'string' ? from.language_code : undefined;
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
