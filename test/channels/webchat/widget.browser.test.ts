import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../../helpers/chromium.js';
import { serveWebChat } from './serve-web-chat.js';

const available = chromiumAvailable();

describe.runIf(available)('official Web Chat (data-client="webchat") in a real browser', () => {
  let app: Awaited<ReturnType<typeof serveWebChat>>;
  let browser: BrowserContext;
  let chromiumSession: Awaited<ReturnType<typeof launchChromium>> | undefined;

  beforeAll(async () => {
    // A same-origin neutral page, so the test can read this origin's storage after the exit.
    app = await serveWebChat({ exitUrl: '/weather?q=today' });
    chromiumSession = await launchChromium({ viewport: { width: 1000, height: 720 } });
    browser = chromiumSession.browser;
  });

  afterAll(async () => {
    await chromiumSession?.close();
    await app?.close();
  });

  it('greets, answers a button and a typed message, follows the language picker, and quick exit leaves nothing of its own behind', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(new URL(socket.url()).pathname));
    // The demo page with the official Web Chat instead of the light widget.
    await page.goto(`${app.url}/?client=webchat`);
    const chat = page.locator('.lantern-chat');

    // Greeting with suggested actions.
    await expect.poll(() => chat.getByText('greeting', { exact: true }).count(), { timeout: 20_000 }).toBe(1);
    const start = app.seen.find((turn) => turn.event === 'start');
    expect(start?.channel).toBe('webchat');
    const conversation = start!.conversation;

    // A suggested action sends the choice id, not the label.
    await chat.getByRole('button', { name: 'My rights' }).first().click();
    await expect.poll(() => chat.getByText('choice:menu.rights', { exact: true }).count(), { timeout: 10_000 }).toBe(1);

    // A typed message: the scripted core answers with its length only.
    const input = chat.locator('[data-id="webchat-sendbox-input"]');
    await input.fill('hello there');
    await input.press('Enter');
    await expect.poll(() => chat.getByText('text:11', { exact: true }).count(), { timeout: 10_000 }).toBe(1);
    expect(app.seen.map((turn) => turn.event)).toEqual(expect.arrayContaining(['start', 'choice:menu.rights', 'text:11']));
    await page.screenshot({ path: '/tmp/lantern-widget.png' });

    // The picker sets the language (and the direction for Arabic).
    await page.selectOption('.lantern-lang', 'ar');
    await expect.poll(() => chat.getByText('command:language:ar', { exact: true }).count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getAttribute('.lantern-panel', 'dir')).toBe('rtl');
    expect(app.seen.at(-1)).toMatchObject({ conversation, languageHint: 'ar' });
    await page.screenshot({ path: '/tmp/lantern-widget-rtl.png' });

    // Something the NGO page itself stored: quick exit must leave it (the host site's storage is not ours).
    await page.evaluate(() => {
      localStorage.setItem('ngo.visited', 'yes');
      sessionStorage.setItem('ngo.form', 'draft');
    });
    expect(await page.evaluate(() => sessionStorage.getItem('lantern.lang'))).toBe('ar');

    await page.getByRole('button', { name: 'Quick exit' }).click();
    await page.waitForURL(/\/weather\?q=today$/);
    // The widget's own keys are gone; the host page's stay.
    const left = await page.evaluate(() => [Object.keys(localStorage), Object.keys(sessionStorage)]);
    expect(left).toEqual([['ngo.visited'], ['ngo.form']]);
    await expect.poll(() => app.seen.some((turn) => turn.conversation === conversation && turn.event === 'command:forget'), { timeout: 10_000 }).toBe(true);

    // location.replace: Back does not return to the chat page.
    await page.goBack().catch(() => null);
    expect(new URL(page.url()).pathname).not.toBe('/');
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
    // Web Chat used the stream socket rather than polling.
    expect(sockets).toEqual([expect.stringMatching(/^\/v3\/directline\/conversations\/[A-Za-z0-9_-]+\/stream$/)]);
    await page.close();
  });
});
