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
 */
export { createWebChat } from './web-chat.js';
export type { RunTurn, WebChat, WebChatOptions } from './web-chat.js';
