/** The channel-free turn contract: what every channel sends to the core and gets back. */

/** Channels that can talk to the core. */
export type ChannelName = 'telegram' | 'botframework' | 'webchat' | 'terminal' | 'test';

/** One user event, already mapped from the channel's protocol. */
export type InboundEvent =
  /** A new conversation, or Telegram `/start`; payload is a deep link such as `md_ro`. */
  | { type: 'start'; payload?: string }
  /** Typed text. Never stored, never logged. */
  | { type: 'text'; text: string }
  /** A button press: the id exactly as the core issued it (untrusted). */
  | { type: 'choice'; id: string }
  /** A command such as `menu`, `language`, `help`, `forget` (without the slash). */
  | { type: 'command'; command: string; args?: string }
  /** Anything the bot cannot read: photo, sticker, voice, location, document... */
  | { type: 'unsupported'; kind: string };

/** What a channel hands to the core for one turn. */
export interface Inbound {
  /**
   * The conversation's identity on its channel (e.g. the Telegram chat id). The core
   * never stores or logs it: store keys are an HMAC of channel and this value.
   */
  conversation: string;
  channel: ChannelName;
  /** The platform's language (BCP 47), if it told us. */
  languageHint?: string;
  /** An ISO 3166-1 alpha-2 country code, if the channel knows one. */
  countryHint?: string;
  event: InboundEvent;
}

/** A button the user can press. */
export interface Choice {
  /** Opaque id; carries the flow and state it belongs to. At most 64 bytes. */
  id: string;
  label: string;
}

/** One phone number of a line: as the operator publishes it, what to dial, and short marks ("free call"). */
export interface LineNumber {
  number: string;
  /** What to dial: E.164 or a short code. */
  dial: string;
  marks: string[];
}

/** A way to reach a line without calling (people who are watched or have no credit cannot call). */
export interface LineChannel {
  /** The channel's name as shown, e.g. "WhatsApp". */
  label: string;
  /** What the person sees: a number, a username or an address. */
  text: string;
  /** What a tap opens: https://wa.me/…, https://t.me/…, sms:…, https://… */
  url: string;
}

/** One line of a numbers answer: the emergency number or one helpline. */
export interface NumberLine {
  kind: 'emergency' | 'helpline';
  /** "Emergency number", or the organisation (as it writes its name) and the service's name. */
  title: string;
  /** What the line is for, in the user's language. */
  purpose?: string;
  numbers: LineNumber[];
  channels: LineChannel[];
  /** One short line: confidential, serves people without papers. */
  note?: string;
}

/** Lines under one heading (a country's name when an answer shows several countries). */
export interface NumberSection {
  heading?: string;
  lines: NumberLine[];
}

/** One channel-free message. Channels render each kind natively. */
export type Outbound =
  | { type: 'text'; text: string; key?: string }
  | { type: 'choices'; text: string; key?: string; choices: Choice[] }
  /**
   * A whole answer that shows numbers, as one message: the intro, the emergency number first, then
   * helplines, then the explanation. Channels lay it out with `layoutNumbers`, the same way everywhere.
   */
  | { type: 'numbers'; key: string; intro?: string; sections: NumberSection[]; outro?: string }
  /** A phone number to show so that a tap dials it. `dial` is what to dial (E.164 or a short code). */
  | { type: 'contact'; label: string; number: string; dial: string }
  | { type: 'link'; label: string; url: string }
  /** Hint: the conversation ended (the flow reached an end node). */
  | { type: 'end' }
  /** Hint: the user asked to forget them; delete what the channel keeps (sent messages, browser storage). */
  | { type: 'forget' };

/** The core's answer to one turn. */
export interface Reply {
  messages: Outbound[];
  /** The language the messages are written in (BCP 47). */
  language: string;
  /** Text direction of that language. */
  direction: 'ltr' | 'rtl';
}

/** What channels call: one inbound event in, the reply out. Never rejects. */
export type TurnHandler = (inbound: Inbound) => Promise<Reply>;

/** The logging surface the core and channels use (pino-compatible). Never pass message text or user ids. */
export interface Log {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}
