import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotFrameworkChannel } from '../../../src/channels/botframework/index.js';
import { numbersOf, type Reply } from '../../../src/engine/index.js';
import { createConversationService } from '../../../src/server/index.js';
import { createSessionStore } from '../../../src/store/index.js';
import { shippedEngine } from '../../helpers/content.js';
import { expectedApology, failingTurns, scriptedFailure } from '../failing-turns.js';
import { createMemoryLog, createScriptedHandler } from './scripted-handler.js';

interface Received {
  path: string;
  authorization: string | undefined;
  activity: Record<string, any>;
}

/** A Bot Connector stand-in: records every activity the bot sends to serviceUrl. */
async function startConnectorStub(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      received.push({ path: req.url ?? '', authorization: req.headers.authorization, activity: text ? JSON.parse(text) : {} });
      n += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `sent-${n}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('Bot Framework channel (/api/messages)', () => {
  const scripted = createScriptedHandler();
  const memory = createMemoryLog();
  let stub: Awaited<ReturnType<typeof startConnectorStub>>;
  let bot: Awaited<ReturnType<typeof serve>>;
  let sequence = 0;

  beforeAll(async () => {
    stub = await startConnectorStub();
    const channel = createBotFrameworkChannel({ handler: scripted.handler, failure: scriptedFailure, log: memory.log, emulator: true });
    bot = await serve(channel.messagesHandler);
  });
  afterAll(async () => {
    await close(bot.server);
    await close(stub.server);
  });

  function activity(extra: Record<string, unknown>): Record<string, unknown> {
    sequence += 1;
    return {
      id: `in-${sequence}`,
      channelId: 'emulator',
      serviceUrl: stub.url,
      conversation: { id: 'conv-1' },
      from: { id: 'user-1', name: 'User' },
      recipient: { id: 'bot-1', name: 'Lantern' },
      ...extra,
    };
  }

  async function post(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  }

  it('answers a text message at the connector with suggested actions carrying the choice ids', async () => {
    stub.received.length = 0;
    const res = await post(activity({ type: 'message', text: 'Привіт, є робота?', locale: 'uk-UA' }));
    expect(res.status).toBe(200);
    // One activity: both texts, then the question's buttons as suggested actions.
    expect(stub.received).toHaveLength(1);
    const [first] = stub.received.map((r) => r.activity);
    expect(stub.received[0]!.path).toMatch(/^\/v3\/conversations\/conv-1\/activities\/in-\d+$/);
    expect(first).toMatchObject({ type: 'message', text: `text:${'Привіт, є робота?'.length}\n\nnext`, locale: 'uk-UA', replyToId: expect.any(String) });
    expect(first!.suggestedActions.actions).toEqual([
      expect.objectContaining({ type: 'messageBack', title: 'Check a job offer', value: { choice: 'menu.screen' } }),
      expect.objectContaining({ type: 'messageBack', title: 'My rights', value: { choice: 'menu.rights' } }),
    ]);
    const turn = scripted.seen.at(-1)!;
    expect(turn).toMatchObject({ conversation: 'emulator:conv-1', channel: 'botframework', languageHint: 'uk-UA', event: expect.stringMatching(/^text:/) });
    // Without an app id the bot calls the connector anonymously.
    expect(stub.received[0]!.authorization).toBeUndefined();
  });

  it('maps a suggested-action press (value) to a choice, not to its label text', async () => {
    stub.received.length = 0;
    const res = await post(activity({ type: 'message', text: 'My rights', value: { choice: 'menu.rights' } }));
    expect(res.status).toBe(200);
    expect(scripted.seen.at(-1)!.event).toBe('choice:menu.rights');
    expect(stub.received[0]!.activity.text).toBe('choice:menu.rights\n\nnext');
  });

  it('greets on conversationUpdate when a person joins, but not when only the bot joins', async () => {
    stub.received.length = 0;
    const before = scripted.seen.length;
    await post(activity({ type: 'conversationUpdate', membersAdded: [{ id: 'bot-1' }] }));
    expect(scripted.seen.length).toBe(before);
    expect(stub.received).toHaveLength(0);
    const res = await post(activity({ type: 'conversationUpdate', locale: 'ar', membersAdded: [{ id: 'bot-1' }, { id: 'user-1' }] }));
    expect(res.status).toBe(200);
    expect(scripted.seen.at(-1)).toMatchObject({ event: 'start', languageHint: 'ar' });
    expect(stub.received.map((r) => r.activity.text)).toEqual(['greeting\n\npick one']);
    expect(stub.received[0]!.activity.suggestedActions.actions.map((a: { title: string }) => a.title)).toEqual(['Check a job offer', 'My rights']);
    expect(stub.received[0]!.activity.locale).toBe('ar');
  });

  it('maps attachments without text to unsupported, and slash commands to commands', async () => {
    stub.received.length = 0;
    await post(activity({ type: 'message', attachments: [{ contentType: 'image/png', contentUrl: 'https://example.org/x.png' }] }));
    expect(scripted.seen.at(-1)!.event).toBe('unsupported:image');
    await post(activity({ type: 'message', text: '/forget' }));
    expect(scripted.seen.at(-1)!.event).toBe('command:forget');
  });

  it('renders more than 10 choices as a hero card with messageBack buttons', async () => {
    stub.received.length = 0;
    await post(activity({ type: 'message', text: '/many' }));
    const sent = stub.received[0]!.activity;
    expect(sent.suggestedActions).toBeUndefined();
    const card = sent.attachments[0];
    expect(card.contentType).toBe('application/vnd.microsoft.card.hero');
    expect(card.content.text).toBe('many');
    expect(card.content.buttons).toHaveLength(12);
    expect(card.content.buttons[11]).toMatchObject({ type: 'messageBack', title: 'Option 11', value: { choice: 'many.11' } });
  });

  it('renders contacts as tel: Markdown links showing the number, links showing their address, and keeps order', async () => {
    stub.received.length = 0;
    await post(activity({ type: 'message', text: '/contact' }));
    const sent = stub.received.map((r) => r.activity);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({
      textFormat: 'markdown',
      text: 'Hotline: [+1 555 0100](tel:+15550100)\n\nRead more: [https://example.org/rights](https://example.org/rights)',
    });
    // Choices that are not last would lose suggested actions, so they end the message as a card.
    expect(sent[0]!.suggestedActions).toBeUndefined();
    expect(sent[0]!.attachments[0].content.text).toBe('not last');
    expect(sent[0]!.attachments[0].content.buttons.map((b: { value: unknown }) => b.value)).toEqual([{ choice: 'menu.screen' }, { choice: 'menu.rights' }]);
    expect(sent[1]!.text).toBe('after');
  });

  it('with the emulator setting and no app id, refuses a serviceUrl that is not local (replies would go anywhere)', async () => {
    const before = scripted.seen.length;
    const res = await post(activity({ type: 'message', text: 'hi', serviceUrl: 'https://example.org/' }));
    expect(res.status).toBe(403);
    expect(scripted.seen.length).toBe(before);
  });

  it('answers 400 to an activity whose ids or names are missing or not strings, with no turn and no failed-turn error (found by fuzzing)', async () => {
    const before = scripted.seen.length;
    const errors = () => memory.entries.filter((entry) => entry.includes('turn failed')).length;
    const errorsBefore = errors();
    const broken = [
      ...[undefined, {}, { id: { x: 1 } }, 'conv-1', null].map((conversation) => ({ conversation })),
      { from: { id: 'user-1', name: {} } },
      { recipient: ['bot-1'] },
      { id: [1, 2] },
      { text: { x: 1 } },
      { type: 'conversationUpdate', membersAdded: [null, 'x'] },
      { type: 7 },
    ];
    for (const fields of broken) {
      const res = await post({ ...activity({ type: 'message', text: 'hi' }), ...fields });
      expect(res.status, JSON.stringify(fields)).toBe(400);
    }
    expect(scripted.seen.length).toBe(before);
    expect(errors()).toBe(errorsBefore);
  });

  it('never logs message text', () => {
    expect(memory.entries.join('\n')).not.toContain('Привіт');
  });
});

describe('Bot Framework channel turn errors', () => {
  const post = (url: string, serviceUrl: string, text: string) =>
    fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: 'm1',
        text,
        channelId: 'emulator',
        locale: 'en',
        serviceUrl,
        conversation: { id: 'conv-9' },
        from: { id: 'user-9' },
        recipient: { id: 'bot' },
      }),
    });
  const shown = (received: Received[]) => JSON.stringify(received.map((entry) => entry.activity));

  it.each([
    [
      'a handler that rejects',
      () => ({
        handler: async (): Promise<never> => {
          throw new Error('handler failed on secret words');
        },
        failure: scriptedFailure,
      }),
    ],
    ['an engine whose step throws', failingTurns],
  ])('answers %s with the apology and the emergency number, and logs neither text nor ids', async (_what, options) => {
    const stub = await startConnectorStub();
    const memory = createMemoryLog();
    const channel = createBotFrameworkChannel({ ...options(), log: memory.log, emulator: true });
    const bot = await serve(channel.messagesHandler);
    try {
      const res = await post(bot.url, stub.url, 'secret words');
      expect(res.status).toBe(200);
      expect(stub.received[0]!.activity.text.split('\n\n')[0]).toBe(expectedApology.text);
      expect(shown(stub.received)).toContain(expectedApology.emergencyNumber);
      expect(stub.received.length).toBeLessThanOrEqual(3);
      const logged = memory.entries.join('\n');
      expect(logged).not.toMatch(/secret|user-9|conv-9/);
    } finally {
      await close(bot.server);
      await close(stub.server);
    }
  });

  it('logs a reply the connector refuses once, and does not send it again', async () => {
    const memory = createMemoryLog();
    let posts = 0;
    const refusing = createServer((req, res) => {
      posts += 1;
      req.resume();
      req.on('end', () => res.writeHead(500, { 'content-type': 'application/json' }).end('{}'));
    });
    const refusingUrl = `http://127.0.0.1:${await new Promise<number>((resolve) => refusing.listen(0, '127.0.0.1', () => resolve((refusing.address() as AddressInfo).port)))}`;
    const channel = createBotFrameworkChannel({ handler: createScriptedHandler().handler, failure: scriptedFailure, log: memory.log, emulator: true });
    const bot = await serve(channel.messagesHandler);
    try {
      await post(bot.url, refusingUrl, 'hello');
      // The connector client's own bounded retries (3) at most, never a loop of ours.
      expect(posts).toBeLessThanOrEqual(4);
      expect(memory.entries.filter((entry) => entry.includes('"error"') || entry.includes('not sent'))).toHaveLength(1);
      expect(memory.entries.join('\n')).toContain('ChannelError');
    } finally {
      await close(bot.server);
      await close(refusing);
    }
  });
});

describe('Bot Framework channel with an app id', () => {
  it('rejects a request without a valid token with 401 and never runs the turn', async () => {
    const scripted = createScriptedHandler();
    const { log } = createMemoryLog();
    const channel = createBotFrameworkChannel({
      handler: scripted.handler,
      failure: scriptedFailure,
      log,
      appId: '00000000-0000-0000-0000-000000000001',
      appPassword: 'not-a-real-password',
    });
    const bot = await serve(channel.messagesHandler);
    try {
      const body = JSON.stringify({
        type: 'message',
        text: 'hi',
        id: 'x',
        channelId: 'emulator',
        serviceUrl: 'http://127.0.0.1:9',
        conversation: { id: 'c' },
        from: { id: 'u' },
        recipient: { id: 'b' },
      });
      const noAuth = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(noAuth.status).toBe(401);
      const forged = await fetch(`${bot.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer not.a.jwt' },
        body,
      });
      expect(forged.status).toBe(401);
      expect(scripted.seen).toHaveLength(0);
    } finally {
      await close(bot.server);
    }
  });

  it('answers 405 to GET and 413 to an oversize body', async () => {
    const scripted = createScriptedHandler();
    const { log } = createMemoryLog();
    const channel = createBotFrameworkChannel({ handler: scripted.handler, failure: scriptedFailure, log });
    const bot = await serve(channel.messagesHandler);
    try {
      expect((await fetch(`${bot.url}/api/messages`)).status).toBe(405);
      const big = JSON.stringify({ type: 'message', text: 'x'.repeat(300 * 1024) });
      const res = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
      expect(res.status).toBe(413);
      expect(scripted.seen).toHaveLength(0);
    } finally {
      await close(bot.server);
    }
  });
});

describe('Bot Framework channel: activities per answer (Teams throttles every POST to the connector)', () => {
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  let stub: Awaited<ReturnType<typeof startConnectorStub>>;
  let bot: Awaited<ReturnType<typeof serve>>;
  const replies: Reply[] = [];
  let sequence = 0;

  beforeAll(async () => {
    stub = await startConnectorStub();
    const { engine } = shippedEngine({ language: 'en', country: 'MD' });
    const service = createConversationService({
      engine: () => engine,
      store: createSessionStore({ kind: 'memory' }),
      hashSecret: 'activity-count-secret-0123',
      ttlMs: 60_000,
      log: silent,
    });
    // The core's replies are kept, so the test can check that the activities show all of each.
    const handler = async (inbound: Parameters<typeof service.handle>[0]) => {
      const reply = await service.handle(inbound);
      replies.push(reply);
      return reply;
    };
    const channel = createBotFrameworkChannel({ handler, failure: service.failure, log: silent, emulator: true });
    bot = await serve(channel.messagesHandler);
  });
  afterAll(async () => {
    await close(bot.server);
    await close(stub.server);
  });

  /** Posts one activity; returns the core's reply and the activities the connector received for it. */
  async function turn(extra: Record<string, unknown>): Promise<{ reply: Reply; sent: Record<string, any>[] }> {
    sequence += 1;
    stub.received.length = 0;
    const res = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: `in-${sequence}`,
        channelId: 'emulator',
        locale: 'en',
        serviceUrl: stub.url,
        conversation: { id: 'conv-count' },
        from: { id: 'user-count' },
        recipient: { id: 'bot' },
        ...extra,
      }),
    });
    expect(res.status).toBe(200);
    return { reply: replies.at(-1)!, sent: stub.received.map((r) => r.activity) };
  }

  /** Every text, number, link and button of the reply is in the activities, in the reply's order. */
  function expectAllShown(reply: Reply, sent: Record<string, any>[]): void {
    const shown = JSON.stringify(sent);
    // Looked for as they appear in the JSON of the activities.
    const json = (text: string) => JSON.stringify(text).slice(1, -1);
    const parts: string[] = [];
    for (const outbound of reply.messages) {
      if (outbound.type === 'text') parts.push(json(outbound.text));
      if (outbound.type === 'choices') parts.push(json(outbound.text), ...outbound.choices.flatMap((c) => [json(c.label), JSON.stringify({ choice: c.id })]));
      if (outbound.type === 'contact') parts.push(json(outbound.label), json(outbound.number), `tel:${outbound.dial.replace(/[^\d+*#]/g, '')}`);
      if (outbound.type === 'link') parts.push(json(outbound.label), json(outbound.url));
      if (outbound.type === 'numbers') {
        if (outbound.intro) parts.push(json(outbound.intro));
        for (const line of outbound.sections.flatMap((s) => s.lines))
          parts.push(
            json(line.title),
            ...line.numbers.flatMap((n) => [json(n.number), `tel:${n.dial.replace(/[^\d+*#]/g, '')}`]),
            ...line.channels.map((c) => json(c.url)),
          );
        if (outbound.outro) parts.push(json(outbound.outro));
      }
    }
    let from = 0;
    for (const part of parts.filter(Boolean)) {
      const at = shown.indexOf(part, from);
      expect(at, part).toBeGreaterThanOrEqual(0);
      from = at;
    }
  }

  it('sends the greeting as one activity with the menu as suggested actions', async () => {
    const { reply, sent } = await turn({ type: 'conversationUpdate', membersAdded: [{ id: 'bot' }, { id: 'user-count' }] });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.suggestedActions.actions.length).toBeGreaterThan(0);
    expectAllShown(reply, sent);
  });

  it('sends the emergency answer for Moldova (112, La Strada) in at most 3 activities, every number a tel: link', async () => {
    const { reply, sent } = await turn({ type: 'message', text: 'SOS' });
    const contacts = numbersOf(reply.messages);
    expect(contacts.map((c) => c.number)).toContain(expectedApology.emergencyNumber);
    expect(contacts.length).toBeGreaterThanOrEqual(3);
    // Before one layout for numbers the self-hosted Direct Line sent 7 activities for this answer; /api/messages 1.
    expect(sent.length).toBeLessThanOrEqual(3);
    expectAllShown(reply, sent);
    expect(sent.at(-1)!.suggestedActions?.actions.length).toBeGreaterThan(0);
  });

  it('sends the hotline answer for Moldova in at most 3 activities', async () => {
    const menu = await turn({ type: 'message', text: '/menu' });
    const hotline = menu.reply.messages.flatMap((m) => (m.type === 'choices' ? m.choices : [])).find((c) => c.id.endsWith('/hotline'));
    expect(hotline).toBeDefined();
    const { reply, sent } = await turn({ type: 'message', text: hotline!.label, value: { choice: hotline!.id } });
    expect(
      numbersOf(reply.messages).length +
        reply.messages.flatMap((m) => (m.type === 'numbers' ? m.sections.flatMap((s) => s.lines.flatMap((l) => l.channels)) : [])).length,
    ).toBeGreaterThanOrEqual(5);
    expect(sent.length).toBeLessThanOrEqual(3);
    expectAllShown(reply, sent);
  });
});
