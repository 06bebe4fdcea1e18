/** The Telegram channel (telegraf): maps updates to the core's Inbound and renders replies natively. */
export { createTelegramChannel } from './telegram-channel.js';
export type { TelegramChannel, TelegramChannelOptions, TelegramCommand } from './telegram-channel.js';
