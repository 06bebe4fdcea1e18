/**
 * Bot Framework channel: the only folder that imports botbuilder.
 *
 * - `createBotFrameworkChannel` serves POST /api/messages (Azure Bot Service, Teams, Emulator).
 * - `createActivityProcessor` runs the same bot without a connector and returns what it sent.
 *   Channels never import each other, so the server composes them:
 *
 *     const runTurn = createActivityProcessor({ handler, failure, log });
 *     const webChat = createWebChat({ runTurn, secret, allowedOrigins, log });
 *
 *   The web chat only knows `runTurn(activity) => Promise<activity[]>` as plain JSON.
 *
 * The activity processor needs no botbuilder (activity-turn.ts holds what both share), so the
 * server imports it from './activity-processor.js' directly and loads this index, and botbuilder,
 * only for /api/messages.
 */

// Endpoint
export { createBotFrameworkChannel } from './bot-framework-channel.js';
export type { BotFrameworkChannel, BotFrameworkChannelOptions } from './bot-framework-channel.js';

// Bot logic for other transports
export { createActivityProcessor } from './activity-processor.js';
export type { ActivityJson, ActivityProcessor, ActivityProcessorOptions } from './activity-processor.js';
