import { layoutNumbers } from '../../engine/number-layout.js';
import type { Choice, Log, Reply } from '../../engine/types.js';

/** One inline keyboard button: a choice (callback) or a web link. */
type TelegramButton = { text: string; callback_data: string } | { text: string; url: string };

/** What the channel must do with the Bot API, in order, to show one reply. */
export type TelegramOperation =
  /** sendMessage with parse_mode HTML; `html` is already escaped and at most 4096 characters. */
  | { kind: 'send'; html: string; keyboard?: TelegramButton[][] }
  /** Delete every message recorded for this chat (the user asked to be forgotten). */
  | { kind: 'deleteRecorded' };

// Telegram's limits (Bot API: sendMessage text, InlineKeyboardButton callback_data).
const MAX_TEXT = 4096;
const MAX_CALLBACK_BYTES = 64;
// Labels up to this many characters fit two to a row on a small phone screen.
const SHORT_LABEL = 15;
const LRM = '\u200E';
// A `+` phone number; in RTL text the `+` would otherwise jump to the far end of the number.
const PLUS_NUMBER = /(^|[^\u200E\p{L}\p{N}])(\+\d[\d ()-]{4,}\d)/gu;

/**
 * Renders the core's channel-free reply as Telegram operations: text merged into as few
 * messages as fit, choices as an inline keyboard, phone numbers as tappable text, and a
 * `forget` hint as a delete of the chat's recorded messages, done first so the reply that
 * confirms it stays visible.
 */
export function renderReply(reply: Reply, log: Log): TelegramOperation[] {
  const rtl = reply.direction === 'rtl';
  const operations: TelegramOperation[] = [];
  let pending: string[] = [];

  const flush = (keyboard?: TelegramButton[][]) => {
    if (pending.length === 0) return;
    const chunks = splitText(pending.join('\n\n'), MAX_TEXT);
    pending = [];
    chunks.forEach((html, index) => {
      const last = index === chunks.length - 1;
      operations.push(last && keyboard && keyboard.length > 0 ? { kind: 'send', html, keyboard } : { kind: 'send', html });
    });
  };
  const add = (text: string) => {
    const html = escapeHtml(rtl ? markPlusNumbers(text) : text);
    if (html === '') return;
    // Merge while the message stays under the limit; a long text still splits on its own.
    if (pending.length > 0 && pending.join('\n\n').length + 2 + html.length > MAX_TEXT) flush();
    pending.push(html);
  };

  if (reply.messages.some((message) => message.type === 'forget')) operations.push({ kind: 'deleteRecorded' });

  for (const message of reply.messages) {
    switch (message.type) {
      case 'text':
        add(message.text);
        break;
      case 'contact':
        add(`${message.label}: ${contactNumber(message.number, message.dial)}`);
        break;
      case 'numbers':
        // One message; Telegram makes the E.164 form tappable and links the addresses itself.
        add(
          layoutNumbers(message, {
            text: (text) => text,
            number: (n) => contactNumber(n.number, n.dial),
            channel: (c) => (/^https?:/.test(c.url) ? c.url : c.text),
            isolate: (text) => (rtl ? `${LRM}${text}${LRM}` : text),
          }).join('\n\n'),
        );
        break;
      case 'link':
        // The address is shown, not hidden behind the label: users should see where a link goes.
        add(`${message.label}: ${message.url}`);
        break;
      case 'choices': {
        const keyboard = layoutKeyboard(message.choices, log);
        add(message.text);
        if (pending.length === 0) {
          // Telegram refuses a keyboard without text; a core bug must not hide the buttons.
          log.warn({ channel: 'telegram' }, 'choices without text');
          pending.push('…');
        }
        flush(keyboard);
        break;
      }
      case 'end':
      case 'forget':
        break;
    }
  }
  flush();
  return operations;
}

/*
 * The number as the organisation publishes it (what posters, other channels and the user's
 * friends show), then the dial form in brackets: Telegram makes an E.164 number tappable, but
 * not reliably a national form such as `0 800 77777`. A short code is the same in both forms.
 */
function contactNumber(published: string, dial: string): string {
  const shown = published.trim();
  if (shown === '' || shown === dial) return dial;
  return `${shown} (${dial})`;
}

/** Escapes the three characters that Telegram's HTML parse mode reads as markup. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function markPlusNumbers(text: string): string {
  return text.replace(PLUS_NUMBER, (_match, before: string, number: string) => `${before}${LRM}${number}`);
}

function layoutKeyboard(choices: readonly Choice[], log: Log): TelegramButton[][] {
  const buttons: TelegramButton[] = [];
  for (const choice of choices) {
    const bytes = Buffer.byteLength(choice.id, 'utf8');
    if (bytes === 0 || bytes > MAX_CALLBACK_BYTES || choice.label.trim() === '') {
      // Telegram rejects the whole message for one bad button; losing one button is better.
      log.warn({ channel: 'telegram', bytes, emptyLabel: choice.label.trim() === '' }, 'choice dropped: callback data must be 1-64 bytes with a label');
      continue;
    }
    buttons.push({ text: choice.label, callback_data: choice.id });
  }
  const perRow = buttons.every((button) => [...button.text].length <= SHORT_LABEL) ? 2 : 1;
  const rows: TelegramButton[][] = [];
  for (let i = 0; i < buttons.length; i += perRow) rows.push(buttons.slice(i, i + perRow));
  return rows;
}

/*
 * Splits escaped HTML into pieces of at most `max` UTF-16 units (Telegram counts after
 * parsing entities, so this is on the safe side), preferring paragraph, then line, then word
 * boundaries, and never cutting an entity such as `&amp;` or a surrogate pair.
 */
function splitText(html: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = html;
  while (rest.length > max) {
    const cut = findCut(rest, max);
    const piece = rest.slice(0, cut).trimEnd();
    if (piece !== '') pieces.push(piece);
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest.trim() !== '') pieces.push(rest);
  return pieces;
}

function findCut(text: string, max: number): number {
  const window = text.slice(0, max + 1);
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(separator);
    // Only accept a boundary that keeps the piece at least half full, so we don't send slivers.
    if (at >= max / 2 && at <= max) return at;
  }
  let cut = max;
  const entity = text.lastIndexOf('&', cut - 1);
  if (entity !== -1 && text.indexOf(';', entity) >= cut) cut = entity;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return cut;
}
