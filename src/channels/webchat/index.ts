/**
 * Self-hosted web chat: a Direct Line 3.0 subset under /v3/directline, the embeddable /widget.js
 * (by default the light widget: a chat button and an iframe, /widget/frame, in plain DOM; with
 * `data-client="webchat"` the official Web Chat through /widget-webchat.js and /webchat.js),
 * and a demo page at / (`/?client=webchat` for the official one).
 *
 * It does not import botbuilder or the botframework channel (channels never import each other).
 * The server composes them; mount `handle` before other routes and `handleUpgrade` on the HTTP
 * server's 'upgrade' event (without it Web Chat cannot open its stream socket):
 *
 *     const runTurn = createActivityProcessor({ handler, failure, log });   // from ../botframework
 *     const webChat = createWebChat({ runTurn, secret, allowedOrigins, log });
 *     server.on('upgrade', (req, socket, head) => { if (!webChat.handleUpgrade(req, socket, head)) socket.destroy(); });
 *
 * Conversations live in this process, or, given `relay` (STORE=redis: `createConversationRelay`
 * from the store), on Redis for every instance: buffers sealed with a key only the visitor's
 * token carries, one turn queue per conversation across instances, sockets fed by one
 * subscription per instance, and a quick exit that ends the conversation everywhere.
 */
export { createWebChat } from './web-chat.js';
export type { RunTurn, WebChat, WebChatOptions } from './web-chat.js';
