/**
 * A pasted job ad must never make the visitor's browser load anything: the widget, embedded on an
 * NGO's page on another origin (with no CSP of its own), shows what people type and the bot's
 * «quotes» of it as plain text. A trap server stands where the ad's images point. Both clients:
 * the light widget (the default) and the official Web Chat (`data-client="webchat"`).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { BrowserContext, FrameLocator, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inbound, Reply, TurnHandler } from '../../../src/engine/types.js';
import { chromiumAvailable, launchChromium } from '../../helpers/chromium.js';
import { closeServer, listen } from '../../helpers/net.js';
import { startHostPage } from './host-page.js';
import { serveWebChat } from './serve-web-chat.js';

const available = chromiumAvailable();

/** A bot that quotes the whole of what it was sent, the worst case of the ad check's «quotes». */
const quotingHandler: TurnHandler = async (inbound: Inbound): Promise<Reply> => {
  const { event } = inbound;
  const text = event.type === 'text' ? `⚠ «${event.text}»` : 'greeting';
  return { language: 'en', direction: 'ltr', messages: [{ type: 'text', text }] };
};

describe.runIf(available)('plain text in the widget embedded on another origin', () => {
  let app: Awaited<ReturnType<typeof serveWebChat>>;
  let host: Awaited<ReturnType<typeof startHostPage>> | undefined;
  let hostUrl: string;
  let trap: Server;
  let trapUrl: string;
  const hits: string[] = [];
  let chromiumSession: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let browser: BrowserContext;

  beforeAll(async () => {
    app = await serveWebChat({ handler: quotingHandler });
    trap = createServer((req: IncomingMessage, res) => {
      hits.push(`${req.method} ${req.url} referer=${req.headers.referer ?? '-'}`);
      res.writeHead(200, { 'content-type': 'image/gif' }).end();
    });
    trapUrl = await listen(trap);
    // The NGO's page; `?client=webchat` embeds the official Web Chat instead of the light widget.
    host = await startHostPage(app.url, (path) => `data-open="true"${path.includes('client=webchat') ? ' data-client="webchat"' : ''} defer`);
    hostUrl = host.url;
    chromiumSession = await launchChromium({ viewport: { width: 1000, height: 720 } });
    browser = chromiumSession.browser;
  });

  afterAll(async () => {
    await chromiumSession?.close();
    await app?.close();
    await host?.close();
    if (trap) await closeServer(trap);
  });

  const ad = () =>
    [
      'Factory work in Berlin, 3000 EUR, we keep your passport safe!',
      `<img src="${trapUrl}/x">`,
      `![](${trapUrl}/y)`,
      '[call](tel:+15550199)',
      `<a href="tel:+15550198">call us</a>`,
    ].join(' ');

  /** Where each client shows the chat, its input, and the bubbles' text (both the visitor's and the bot's). */
  const clients = {
    light: {
      query: '',
      chat: (page: Page): FrameLocator => page.frameLocator('iframe.lantern-frame'),
      input: (chat: FrameLocator | Locator) => chat.locator('#input'),
      bubble: '.msg',
    },
    webchat: {
      query: '?client=webchat',
      chat: (page: Page): Locator => page.locator('.lantern-chat'),
      input: (chat: FrameLocator | Locator) => chat.locator('[data-id="webchat-sendbox-input"]'),
      bubble: '.webchat__bubble__content',
    },
  } as const;
  type Client = (typeof clients)[keyof typeof clients];

  async function pasteAd(page: Page, client: Client): Promise<void> {
    await page.goto(`${hostUrl}/${client.query}`);
    const chat = client.chat(page);
    await expect.poll(() => chat.getByText('greeting', { exact: true }).count(), { timeout: 20_000 }).toBe(1);
    const input = client.input(chat);
    await input.fill(ad());
    await input.press('Enter');
    // The bot's quote of the ad has arrived (and the echo of the visitor's own message with it).
    await expect.poll(() => chat.getByText('⚠ «', { exact: false }).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(500);
  }

  async function expectPlain(page: Page, client: Client): Promise<void> {
    const chat = client.chat(page);
    expect(hits).toEqual([]);
    // Both the visitor's message and the bot's quote show the markup as the text it is (the
    // bubbles, and Web Chat's screen-reader copies of them).
    const shown = (text: string) => chat.locator(client.bubble).getByText(text, { exact: false }).count();
    expect(await shown(`![](${trapUrl}/y)`)).toBe(2);
    expect(await shown('[call](tel:+15550199)')).toBe(2);
    expect(await shown('<img src=')).toBe(2);
    expect(await chat.locator('img[src*="/x"], img[src*="/y"]').count()).toBe(0);
    expect(await chat.locator('a[href^="tel:"], a[href*="127.0.0.1"]').count()).toBe(0);
  }

  it.each(['light', 'webchat'] as const)('%s: a pasted ad with <img> and a Markdown image loads nothing, and a fake tel: link is text', async (name) => {
    const page = await browser.newPage();
    await pasteAd(page, clients[name]);
    await expectPlain(page, clients[name]);
    await page.close();
  });

  it.each(['light', 'webchat'] as const)(
    '%s: even if a message arrived without textFormat (Markdown by default), the widget renders no Markdown',
    async (name) => {
      const page = await browser.newPage();
      // The server marks every message plain; take that away on the wire to test the widget on its own.
      await page.routeWebSocket(/\/stream/, (socket) => {
        const server = socket.connectToServer();
        server.onMessage((message) => {
          const frame = typeof message === 'string' && message ? (JSON.parse(message) as { activities?: Record<string, unknown>[] }) : undefined;
          for (const activity of frame?.activities ?? []) delete activity.textFormat;
          socket.send(frame ? JSON.stringify(frame) : message);
        });
        socket.onMessage((message) => server.send(message));
      });
      await pasteAd(page, clients[name]);
      await expectPlain(page, clients[name]);
      await page.close();
    },
  );
});
