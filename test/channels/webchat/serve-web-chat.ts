import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createActivityProcessor } from '../../../src/channels/botframework/index.js';
import { createWebChat } from '../../../src/channels/webchat/index.js';
import type { WebChat, WebChatOptions } from '../../../src/channels/webchat/index.js';
import type { FailureReply } from '../../../src/channels/answer-turn.js';
import type { TurnHandler } from '../../../src/engine/types.js';
import { scriptedFailure } from '../failing-turns.js';
import { createMemoryLog, createScriptedHandler } from '../botframework/scripted-handler.js';

/** A real HTTP server composed the way the lead's server does it: bot processor -> web chat. */
export async function serveWebChat({
  handler,
  failure,
  ...options
}: Partial<WebChatOptions> & { handler?: TurnHandler; failure?: FailureReply } = {}): Promise<{
  url: string;
  server: Server;
  webChat: WebChat;
  seen: ReturnType<typeof createScriptedHandler>['seen'];
  logEntries: string[];
  close(): Promise<void>;
}> {
  const scripted = createScriptedHandler();
  const memory = createMemoryLog();
  const runTurn = createActivityProcessor({ handler: handler ?? scripted.handler, failure: failure ?? scriptedFailure, log: memory.log });
  // The picker's languages as the server gives them (from locales/); a few suffice here.
  const languages = () =>
    [
      ['en', 'English', 'ltr'],
      ['uk', 'Українська', 'ltr'],
      ['ar', 'العربية', 'rtl'],
    ] as const;
  const webChat = createWebChat({ runTurn, secret: 'test-secret-0123456789abcdef', log: memory.log, languages, ...options });
  const server = createServer((req, res) => {
    void webChat.handle(req, res).then((owned) => {
      if (!owned) res.writeHead(404, { 'content-type': 'text/html' }).end('<!doctype html><title>Weather</title><p>neutral page</p>');
    });
  });
  server.on('upgrade', (req, socket, head) => {
    if (!webChat.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    server,
    webChat,
    seen: scripted.seen,
    logEntries: memory.entries,
    async close() {
      webChat.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
