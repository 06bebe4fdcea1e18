/**
 * The light widget (the default /widget.js) in Chromium, embedded on an NGO page on another origin:
 * the loader puts the frame on the page, the frame speaks our Direct Line, and Quick exit (button
 * or Escape) has the loader send the host page away and clear only lantern.* storage.
 */
import { readFileSync } from 'node:fs';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../../helpers/chromium.js';
import { startHostPage } from './host-page.js';
import { serveWebChat } from './serve-web-chat.js';

const available = chromiumAvailable();

/** The widget's words from locales/<lang>/widget.json, as the server's translator gives them. */
const widgetWords = (language: string, key: string): string | undefined => {
  const file = new URL(`../../../locales/${language}/widget.json`, import.meta.url);
  const words = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  return words[key.replace(/^widget\./, '')];
};

describe.runIf(available)('light web widget on another origin, in Chromium', () => {
  let app: Awaited<ReturnType<typeof serveWebChat>>;
  let host: Awaited<ReturnType<typeof startHostPage>> | undefined;
  let hostUrl: string;
  let chromiumSession: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let browser: BrowserContext;
  /** The script tag's attributes for the next page the host serves. */
  let attributes = '';

  beforeAll(async () => {
    app = await serveWebChat({ translate: widgetWords });
    host = await startHostPage(app.url, () => attributes);
    hostUrl = host.url;
    chromiumSession = await launchChromium({ viewport: { width: 1000, height: 720 } });
    browser = chromiumSession.browser;
  });

  afterAll(async () => {
    await chromiumSession?.close();
    await app?.close();
    await host?.close();
  });

  function watch(page: Page): string[] {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy|Refused/i.test(message.text())) errors.push(message.text());
    });
    return errors;
  }

  async function openWidget(page: Page, attrs = `data-open="true" data-exit-url="${hostUrl}/weather?q=today"`): Promise<Frame> {
    attributes = attrs;
    await page.goto(`${hostUrl}/`);
    await page.waitForSelector('iframe.lantern-frame');
    await expect.poll(() => page.frames().some((f) => f.url().startsWith(`${app.url}/widget/frame`)), { timeout: 10_000 }).toBe(true);
    return page.frames().find((f) => f.url().startsWith(`${app.url}/widget/frame`))!;
  }
  const bubbles = (frame: Frame, text: string) => frame.locator('.msg', { hasText: text }).count();

  it('greets, answers a button and typed text, shows tel: and https links from the bot, and the picker sets the language', async () => {
    const page = await browser.newPage();
    const errors = watch(page);
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(new URL(socket.url()).pathname));
    const frame = await openWidget(page);

    await expect.poll(() => bubbles(frame, 'greeting'), { timeout: 20_000 }).toBe(1);
    const start = app.seen.find((turn) => turn.event === 'start');
    // The browser's language (en-US), as the picker offers it.
    expect(start).toMatchObject({ channel: 'webchat', languageHint: 'en' });
    const conversation = start!.conversation;
    expect(await frame.locator('#status').count()).toBe(0);

    // A suggested action: a large button that sends the choice id and shows its label as the visitor's message.
    const rights = frame.getByRole('button', { name: 'My rights' });
    const box = await rights.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    await rights.click();
    await expect.poll(() => bubbles(frame, 'choice:menu.rights'), { timeout: 10_000 }).toBe(1);
    expect(await frame.locator('.msg.user', { hasText: 'My rights' }).count()).toBe(1);

    // Typed text, sent with the keyboard; the scripted core answers with the length only.
    await frame.locator('#input').fill('hello there');
    await frame.locator('#input').press('Enter');
    await expect.poll(() => bubbles(frame, 'text:11'), { timeout: 10_000 }).toBe(1);

    // The bot's phone contact is a tel: link (the number in order), its link opens in a new tab without a referrer.
    await frame.locator('#input').fill('/contact');
    await frame.locator('#input').press('Enter');
    await expect.poll(() => frame.locator('a.call').count(), { timeout: 10_000 }).toBe(1);
    expect(await frame.locator('a.call').getAttribute('href')).toBe('tel:+15550100');
    expect(await frame.locator('a.link').evaluate((a: HTMLAnchorElement) => [a.href, a.target, a.rel])).toEqual([
      'https://example.org/rights',
      '_blank',
      'noopener noreferrer',
    ]);
    // Hero-card buttons (choices that are not last) are buttons too.
    expect(await frame.locator('.msg .choice', { hasText: 'Check a job offer' }).count()).toBe(1);

    // The picker: the conversation takes the language for the next turns, the words and direction follow.
    await frame.selectOption('#lang', 'ar');
    await expect.poll(() => bubbles(frame, 'command:language:ar'), { timeout: 10_000 }).toBe(1);
    expect(app.seen.at(-1)).toMatchObject({ conversation, event: 'command:language:ar', languageHint: 'ar' });
    expect(await frame.evaluate(() => [document.documentElement.dir, document.documentElement.lang])).toEqual(['rtl', 'ar']);
    // Kept for the next page of the site by the loader, on the host page (third-party frames may have no storage).
    expect(await page.evaluate(() => sessionStorage.getItem('lantern.lang'))).toBe('ar');
    await frame.locator('#input').fill('next one');
    await frame.locator('#input').press('Enter');
    await expect.poll(() => app.seen.at(-1)?.event, { timeout: 10_000 }).toBe('text:8');
    expect(app.seen.at(-1)?.languageHint).toBe('ar');
    await page.screenshot({ path: '/tmp/lantern-light-widget.png' });

    // The stream socket carried the answers (no polling needed).
    expect(sockets).toEqual([expect.stringMatching(/^\/v3\/directline\/conversations\/[A-Za-z0-9_-]+\/stream$/)]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Quick exit: the host page goes to the exit address (Back does not return), only lantern.* storage is cleared, the conversation is forgotten', async () => {
    const page = await browser.newPage();
    const errors = watch(page);
    const frame = await openWidget(page);
    await expect.poll(() => bubbles(frame, 'greeting'), { timeout: 20_000 }).toBe(1);
    await frame.selectOption('#lang', 'uk');
    await expect.poll(() => page.evaluate(() => sessionStorage.getItem('lantern.lang')), { timeout: 10_000 }).toBe('uk');
    // The next page of the site opens the chat in the language picked.
    const next = await openWidget(page);
    expect(await next.locator('#lang').inputValue()).toBe('uk');
    await expect.poll(() => bubbles(next, 'greeting'), { timeout: 20_000 }).toBe(1);
    expect(app.seen.at(-1)?.languageHint).toBe('uk');
    await page.evaluate(() => {
      localStorage.setItem('ngo.visited', 'yes');
      localStorage.setItem('lantern.stale', 'x');
    });

    const conversation = app.seen.at(-1)!.conversation;
    await next.locator('#exit').click();
    await page.waitForURL(`${hostUrl}/weather?q=today`);
    expect(await page.evaluate(() => [Object.keys(localStorage), Object.keys(sessionStorage)])).toEqual([['ngo.visited'], []]);
    await expect.poll(() => app.seen.some((turn) => turn.conversation === conversation && turn.event === 'command:forget'), { timeout: 10_000 }).toBe(true);
    await page.goBack().catch(() => null);
    expect(page.url()).not.toBe(`${hostUrl}/`);

    // Back on the site, the chat starts afresh in the page's language: nothing of the last one is left.
    const again = await openWidget(page);
    expect(await again.locator('#lang').inputValue()).toBe('en');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Escape anywhere in the chat is Quick exit too', async () => {
    const page = await browser.newPage();
    const frame = await openWidget(page);
    await expect.poll(() => bubbles(frame, 'greeting'), { timeout: 20_000 }).toBe(1);
    await frame.locator('#input').focus();
    await page.keyboard.press('Escape');
    await page.waitForURL(`${hostUrl}/weather?q=today`);
    await page.close();
  });

  it('embed options: data-language, data-title and data-color; a launcher button opens the chat; keyboard users can reach everything', async () => {
    const page = await browser.newPage();
    const errors = watch(page);
    attributes = 'data-language="uk" data-title="Help desk" data-color="#006644" data-country="md"';
    await page.goto(`${hostUrl}/`);
    // Closed at first: only a button on the host page, no frame yet (nothing loads until it is wanted).
    expect(await page.locator('iframe').count()).toBe(0);
    await page.locator('button.lantern-open').click();
    await expect.poll(() => page.frames().some((f) => f.url().startsWith(`${app.url}/widget/frame`)), { timeout: 10_000 }).toBe(true);
    const frame = page.frames().find((f) => f.url().startsWith(`${app.url}/widget/frame`))!;
    await expect.poll(() => bubbles(frame, 'greeting'), { timeout: 20_000 }).toBe(1);
    expect(app.seen.at(-1)).toMatchObject({ languageHint: 'uk', countryHint: 'MD' });
    expect(await frame.locator('#title').textContent()).toBe('Help desk');
    expect(await frame.locator('#lang').inputValue()).toBe('uk');
    expect(await frame.locator('.head').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(0, 102, 68)');
    expect(await page.locator('iframe.lantern-frame').getAttribute('title')).toBe('Help desk');

    // Labels for screen readers, and Tab order: picker, exit, close, the log, the buttons, the input, send.
    expect(await frame.getByRole('textbox', { name: 'Напишіть повідомлення' }).count()).toBe(1);
    expect(await frame.getByRole('combobox', { name: 'Мова' }).count()).toBe(1);
    expect(await frame.getByRole('button', { name: 'Закрити' }).count()).toBe(1);
    expect(await frame.getByRole('log').count()).toBe(1);
    await frame.locator('#lang').focus();
    const order: string[] = [];
    for (let i = 0; i < 7; i++) {
      order.push(await frame.evaluate(() => document.activeElement?.id || document.activeElement?.className || ''));
      await page.keyboard.press('Tab');
    }
    expect(order.slice(0, 5)).toEqual(['lang', 'exit', 'close', 'log', 'choice']);

    // Close hands the focus back to the launcher on the host page.
    await frame.locator('#close').click();
    await expect.poll(() => page.locator('iframe.lantern-frame').isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('lantern-open');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('works on a 360 px wide phone: the chat fills the screen, nothing scrolls sideways, tap targets are large', async () => {
    const phone = await launchChromium({ viewport: { width: 360, height: 640 } });
    try {
      const page = await phone.browser.newPage();
      const frame = await openWidget(page);
      await expect.poll(() => bubbles(frame, 'greeting'), { timeout: 20_000 }).toBe(1);
      expect(await page.locator('iframe.lantern-frame').boundingBox()).toMatchObject({ x: 0, y: 0, width: 360, height: 640 });
      expect(await frame.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      const heights = await frame.locator('button, select, input, a').evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect().height));
      expect(Math.min(...heights)).toBeGreaterThanOrEqual(44);
      await page.screenshot({ path: '/tmp/lantern-light-widget-360.png' });
      await page.close();
    } finally {
      await phone.close();
    }
  });
  it('without the stream socket (a proxy that refuses WebSockets) it polls by watermark and the chat still works', async () => {
    const page = await browser.newPage();
    await page.routeWebSocket(/\/stream/, (socket) => socket.close({ code: 1011, reason: 'no sockets here' }));
    const polls: string[] = [];
    page.on('request', (req) => {
      if (req.method() === 'GET' && /\/activities\?watermark=/.test(req.url())) polls.push(new URL(req.url()).searchParams.get('watermark') ?? '');
    });
    const frame = await openWidget(page);
    await expect.poll(() => bubbles(frame, 'greeting'), { timeout: 20_000 }).toBe(1);
    await frame.getByRole('button', { name: 'My rights' }).click();
    await expect.poll(() => bubbles(frame, 'choice:menu.rights'), { timeout: 10_000 }).toBe(1);
    // Each answer shown once, and the watermark moved on.
    expect(await bubbles(frame, 'greeting')).toBe(1);
    expect(polls.length).toBeGreaterThan(0);
    expect(new Set(polls).size).toBeGreaterThan(1);
    await page.close();
  });

  it('over a slow mobile network (750 kbit/s, 150 ms) the greeting shows within 4 s, with at most 100 KB transferred', async () => {
    // One renderer for page and frame, so that the page's network emulation and byte count cover the frame too.
    const slow = await launchChromium({
      viewport: { width: 360, height: 640 },
      locale: 'en-US',
      args: ['--disable-site-isolation-trials', '--disable-features=IsolateOrigins,site-per-process'],
    });
    try {
      const page = await slow.browser.newPage();
      const cdp = await slow.browser.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 750_000 / 8, uploadThroughput: 750_000 / 8 });
      let bytes = 0;
      cdp.on('Network.loadingFinished', (event) => (bytes += event.encodedDataLength));
      cdp.on('Network.webSocketFrameReceived', (event) => (bytes += event.response.payloadData.length));
      attributes = 'data-open="true"';
      const started = Date.now();
      await page.goto(`${hostUrl}/`);
      const frame = await (await page.waitForSelector('iframe.lantern-frame')).contentFrame();
      await frame!.waitForSelector('.msg.bot', { timeout: 4_000 });
      const elapsed = Date.now() - started;
      console.log(`light widget over 750 kbit/s, 150 ms: greeting after ${elapsed} ms, ${bytes} bytes transferred (host page included)`);
      expect(elapsed).toBeLessThanOrEqual(4_000);
      expect(bytes).toBeLessThanOrEqual(100 * 1024);
      // The emulation did apply (four round trips at least: widget.js, frame, conversation, socket).
      expect(elapsed).toBeGreaterThanOrEqual(4 * 150);
      await page.close();
    } finally {
      await slow.close();
    }
  });
});
