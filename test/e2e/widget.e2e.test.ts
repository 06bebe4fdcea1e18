/**
 * The web widget end to end against the real server and engine: the light widget (the default)
 * embedded on an NGO page on another origin, and the official Web Chat (`data-client="webchat"`)
 * on the demo page talking to the self-hosted Direct Line; Quick exit leaves nothing in the
 * browser nor in the server's store. Expected texts come from locales/ and flows/hotlines.yaml.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createWebChat } from '../../src/channels/webchat/index.js';
import { loadChecked } from '../../src/engine/index.js';
import { loadEngine } from '../../src/server/index.js';
import { chromiumAvailable, launchChromium as launchFreshChromium } from '../helpers/chromium.js';
import { createBotFrameworkDriver } from './drivers/botframework.js';
import { startE2eServer } from './drivers/start-server.js';
import { createWebChatDriver } from './drivers/webchat.js';
import type { ChannelDriver, Seen, UserAction } from './drivers/driver.js';
import type { E2eServer } from './drivers/start-server.js';

const available = chromiumAvailable();
const SCREENSHOT = '/tmp/lantern-widget-e2e.png';
/** The server's default Quick exit address; the browser never reaches it (the test answers for it). */
const EXIT = /^https:\/\/www\.google\.com\/search\?q=weather$/;

const LOCALES = fileURLToPath(new URL('../../locales', import.meta.url));
const locale = (language: string, file: string): Record<string, any> => JSON.parse(readFileSync(join(LOCALES, language, `${file}.json`), 'utf8'));
const en = (file: string): Record<string, any> => locale('en', file);
const menu = en('menu');
const facts = en('facts');
const emergency = en('emergency');
const widget = en('widget');
const hotlines = parse(readFileSync(new URL('../../flows/hotlines.yaml', import.meta.url), 'utf8')) as {
  countries: Record<string, { emergency: { number: string }; helplines: { numbers: { number: string }[] }[] }>;
};
const emergencyByCountry = new Map(
  Object.entries(hotlines.countries).map(([code, entry]) => [new Intl.DisplayNames('en', { type: 'region' }).of(code)!, entry.emergency.number]),
);

describe('web chat driver (Direct Line over plain HTTP, no browser)', () => {
  const script: UserAction[] = [{ start: 'md' }, { tap: menu.rights }, { tap: facts.topic.rights }, { type: 'SOS' }, { type: '/menu' }];

  async function run(driver: ChannelDriver): Promise<Seen[]> {
    try {
      const seen: Seen[] = [];
      for (const action of script) seen.push(await driver.act(action));
      return seen;
    } finally {
      await driver.close();
    }
  }

  it('drives the real server, and sees exactly what the Bot Framework driver sees for the same dialogue', async () => {
    const webchat = await run(await createWebChatDriver());
    const [greeting, topics, fact, sos, back] = webchat as [Seen, Seen, Seen, Seen, Seen];
    expect(greeting.texts).toEqual([menu.welcome, menu.privacy, menu.question]);
    expect(greeting.buttons).toContain(menu.rights);
    expect(topics).toEqual({
      texts: [facts.pick],
      buttons: [facts.topic.rights, facts.topic.recruitment, facts.topic.scale, facts.topic.myths, en('common').menu],
    });
    expect(fact.texts.length).toBeGreaterThanOrEqual(2);
    expect(fact.buttons).toEqual([facts.another, facts.other_topics, en('common').menu]);
    // The start payload named Moldova: its emergency number comes first, as in the directory.
    // One message: the intro, then the emergency number, then the helplines.
    expect(sos.texts[0]).toBe(emergency.intro);
    expect(sos.texts[1]).toBe(`🆘 Emergency number: ${hotlines.countries.MD!.emergency.number}`);
    expect(back.buttons).toEqual(greeting.buttons);

    // Facts are picked at random, so compare everything but the fact's own text.
    const botframework = await run(await createBotFrameworkDriver());
    const withoutFact = (seen: Seen[]) => seen.map((s, i) => (i === 2 ? { ...s, texts: s.texts.slice(-1) } : s));
    expect(withoutFact(botframework)).toEqual(withoutFact(webchat));
  });
});

/** Chromium with a fresh profile; nothing leaves the machine (the exit page is answered here, anything else remote fails). */
async function launchChromium(): Promise<{ browser: BrowserContext; close(): Promise<void> }> {
  const session = await launchFreshChromium({ locale: 'en-US', viewport: { width: 1000, height: 760 } });
  await session.browser.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) =>
    EXIT.test(route.request().url())
      ? route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>weather</title><p>Sunny.</p>' })
      : route.abort(),
  );
  return session;
}

describe.runIf(available)('web widget against the real server, in Chromium', () => {
  function watch(page: Page): { errors: string[] } {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) errors.push(message.text());
    });
    return { errors };
  }

  describe('a conversation and Quick exit', () => {
    let server: E2eServer;
    let chromiumSession: Awaited<ReturnType<typeof launchChromium>> | undefined;
    let db: Database.Database | undefined;

    beforeAll(async () => {
      // SQLite, so the test can look into the store the way an attacker with the disk could.
      server = await startE2eServer({ sqlite: true });
      chromiumSession = await launchChromium();
    });
    afterAll(async () => {
      // The browser first: a socket Chromium opened ahead of time (and never used) would keep
      // the server's close() waiting for the request timeout.
      await chromiumSession?.close();
      db?.close();
      await server?.close();
    });

    it('greets, answers a button and "SOS", and Quick exit leaves nothing in the browser or the store', async () => {
      const page = await chromiumSession!.browser.newPage();
      const { errors } = watch(page);
      const generated = page.waitForResponse((res) => res.url().endsWith('/v3/directline/tokens/generate'));
      // The demo page with the official Web Chat (the light widget is the default).
      await page.goto(`${server.url}/?client=webchat`);
      const { conversationId, token } = (await (await generated).json()) as { conversationId: string; token: string };
      const chat = page.locator('.lantern-chat');

      // The official Web Chat renders the real greeting and the main menu as buttons.
      await expect.poll(() => chat.getByText(menu.welcome, { exact: true }).count(), { timeout: 30_000 }).toBe(1);
      await expect.poll(() => chat.getByRole('button', { name: menu.rights }).count(), { timeout: 10_000 }).toBeGreaterThan(0);
      expect(await page.locator('.lantern-title').textContent()).toBe(widget.title);
      expect(await page.locator('.lantern-exit').textContent()).toBe(widget.quick_exit);

      // The session lives in the store under an HMAC of the conversation, never its raw id.
      db = new Database(server.sqlitePath!, { readonly: true, fileMustExist: true });
      const key = server.running.service.keyOf({ channel: 'webchat', conversation: `webchat:${conversationId}` });
      const rows = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM sessions WHERE key = ?');
      expect(rows.get(key)?.n).toBe(1);
      expect(db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM sessions WHERE key LIKE '%' || ? || '%'").get(conversationId)?.n).toBe(0);

      await chat.getByRole('button', { name: menu.rights }).first().click();
      await expect.poll(() => chat.getByText(facts.pick, { exact: true }).count(), { timeout: 10_000 }).toBe(1);
      for (const topic of Object.values(facts.topic) as string[]) expect(await chat.getByRole('button', { name: topic }).count(), topic).toBeGreaterThan(0);

      const input = chat.locator('[data-id="webchat-sendbox-input"]');
      await input.fill('SOS');
      await input.press('Enter');
      await expect.poll(() => chat.getByText(emergency.intro_no_country, { exact: true }).count(), { timeout: 10_000 }).toBe(1);
      // Each country's heading and the "Emergency number: <n>" under it must be that country's number in the directory.
      const shown = [...(await chat.innerText()).matchAll(/^(.+)\n+🆘 Emergency number: (\S+)$/gmu)].map((m) => [m[1]!.trim(), m[2]!] as const);
      expect(shown.length).toBeGreaterThan(0);
      for (const [country, number] of shown) expect(number, country).toBe(emergencyByCountry.get(country));
      expect(await chat.locator('a[href^="tel:"], button:has-text("📞")').count()).toBeGreaterThan(0);
      await page.screenshot({ path: SCREENSHOT });

      // Something the NGO page itself keeps: Quick exit leaves it (only the widget's own keys go).
      await page.evaluate(() => localStorage.setItem('ngo.visited', 'yes'));
      expect(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('lantern.')).length)).toBeGreaterThan(0);

      const forgotten = page.waitForRequest((req) => req.method() === 'DELETE' && req.url().includes(`/v3/directline/conversations/${conversationId}`));
      await page.locator('.lantern-exit').click();
      await page.waitForURL(EXIT);
      await forgotten;

      // The store row is gone (the core forgot the session), and the Direct Line conversation too.
      await expect.poll(() => rows.get(key)?.n, { timeout: 10_000 }).toBe(0);
      const after = await fetch(`${server.url}/v3/directline/conversations/${conversationId}/activities`, { headers: { authorization: `Bearer ${token}` } });
      expect(after.status).toBe(404);

      // Back on the server's origin in the same tab: nothing of the chat is left in its storage.
      await page.goto(`${server.url}/healthz`);
      expect(await page.evaluate(() => [Object.keys(localStorage), Object.keys(sessionStorage)])).toEqual([['ngo.visited'], []]);
      expect(errors).toEqual([]);
      await page.close();
    });
  });

  describe('widget words from locales/<lang>/widget.json', () => {
    let dir: string;
    let http: Server;
    let url: string;
    let webChat: ReturnType<typeof createWebChat>;
    let chromiumSession: Awaited<ReturnType<typeof launchChromium>> | undefined;

    beforeAll(async () => {
      // English plus a test language whose widget.json translates every word but `close`.
      dir = mkdtempSync(join(tmpdir(), 'lantern-e2e-words-'));
      cpSync(join(LOCALES, 'en'), join(dir, 'en'), { recursive: true });
      cpSync(join(LOCALES, 'en'), join(dir, 'fr'), { recursive: true });
      writeFileSync(join(dir, 'fr', '_meta.json'), JSON.stringify({ ...en('_meta'), name: 'French', nativeName: 'Français' }));
      const french = {
        open: 'Discuter',
        title: "Chat d'aide",
        quick_exit: 'Sortie rapide',
        quick_exit_hint: 'Quitter cette page et effacer la discussion de ce navigateur',
        language: 'Langue',
        unavailable: "Le chat n'est pas disponible pour le moment.",
        loading: 'Connexion…',
        message: 'Écrivez votre message',
        send: 'Envoyer',
      };
      expect(Object.keys(widget).filter((key) => !(key in french))).toEqual(['close']);
      writeFileSync(join(dir, 'fr', 'widget.json'), JSON.stringify(french));
      // The lighter check: the publish gate refuses a missing word, and this test is about the fallback behind it.
      const built = loadEngine({ LOCALES_DIR: dir, DEFAULT_LANGUAGE: 'en' }, loadChecked);
      const silent = { debug() {}, info() {}, warn() {}, error() {} };
      // The composition the server uses: the widget asks the translator for its words.
      webChat = createWebChat({
        runTurn: async () => [],
        secret: 'e2e-words-secret-0123456789',
        log: silent,
        exitUrl: '/weather',
        translate: (language, key) => built.translator.t(language, key),
        languages: () => built.translator.languages.map((l) => [l, built.translator.nativeName(l), built.translator.direction(l)] as const),
      });
      http = createServer((req, res) => {
        void webChat.handle(req, res).then((owned) => {
          if (!owned) res.writeHead(404, { 'content-type': 'text/html' }).end('<!doctype html><title>weather</title>');
        });
      });
      http.on('upgrade', (req, socket, head) => {
        if (!webChat.handleUpgrade(req, socket, head)) socket.destroy();
      });
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      chromiumSession = await launchChromium();
    });
    afterAll(async () => {
      await chromiumSession?.close();
      webChat?.close();
      http?.closeAllConnections();
      await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("shows the chosen language's words, English for the words and languages that lack them", async () => {
      const page = await chromiumSession!.browser.newPage();
      const { errors } = watch(page);
      await page.goto(`${url}/?client=webchat`);
      const words = () =>
        page.evaluate(() => ({
          title: document.querySelector('.lantern-title')?.textContent,
          exit: document.querySelector('.lantern-exit')?.textContent,
          hint: (document.querySelector('.lantern-exit') as HTMLElement | null)?.title,
          bubble: document.querySelector('.lantern-bubble')?.textContent,
          language: document.querySelector('.lantern-lang')?.getAttribute('aria-label'),
          close: document.querySelector('.lantern-close')?.getAttribute('aria-label'),
        }));
      expect(await words()).toEqual({
        title: widget.title,
        exit: widget.quick_exit,
        hint: widget.quick_exit_hint,
        bubble: widget.open,
        language: widget.language,
        close: widget.close,
      });

      await page.selectOption('.lantern-lang', 'fr');
      expect(await words()).toEqual({
        title: "Chat d'aide",
        exit: 'Sortie rapide',
        hint: 'Quitter cette page et effacer la discussion de ce navigateur',
        bubble: 'Discuter',
        language: 'Langue',
        close: widget.close,
      });
      expect(await page.getByRole('button', { name: 'Sortie rapide' }).count()).toBe(1);

      // The picker offers the languages of locales/ (here English and the French copy), no list in code.
      const offered = await page.evaluate(() =>
        Array.from(document.querySelectorAll('.lantern-lang option')).map((o) => [(o as HTMLOptionElement).value, o.textContent]),
      );
      expect(offered).toEqual([
        ['en', 'English'],
        ['fr', 'Français'],
      ]);

      // Only the words that differ from English travel for other languages.
      const source = await (await fetch(`${url}/widget-webchat.js`)).text();
      expect(source).toContain('"fr":{"open":"Discuter"');
      expect(source).not.toContain('"uk":{');
      expect(errors).toEqual([]);
      await page.close();
    });
  });
});

describe.runIf(available)('light widget against the real server, embedded on another origin, in Chromium', () => {
  let server: E2eServer;
  let host: Server;
  let hostUrl: string;
  let chromiumSession: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let attributes = '';

  beforeAll(async () => {
    server = await startE2eServer();
    // The NGO's page on another origin (localhost, not 127.0.0.1), its exit page at /weather.
    host = createServer((req, res) => {
      if (req.url?.startsWith('/weather')) return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>weather</title>');
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          `<!doctype html><html><head><title>NGO</title></head><body><h1>NGO</h1><script src="${server.url}/widget.js" ${attributes}></script></body></html>`,
        );
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    hostUrl = `http://localhost:${(host.address() as AddressInfo).port}`;
    chromiumSession = await launchFreshChromium({ locale: 'en-US', viewport: { width: 1000, height: 760 } });
  });
  afterAll(async () => {
    await chromiumSession?.close();
    host?.closeAllConnections();
    await new Promise<void>((resolve) => (host ? host.close(() => resolve()) : resolve()));
    await server?.close();
  });

  async function open(page: Page, attrs: string) {
    attributes = `data-open="true" data-exit-url="${hostUrl}/weather" ${attrs}`;
    await page.goto(`${hostUrl}/`);
    await expect.poll(() => page.frames().some((f) => f.url().startsWith(`${server.url}/widget/frame`)), { timeout: 10_000 }).toBe(true);
    return page.frames().find((f) => f.url().startsWith(`${server.url}/widget/frame`))!;
  }

  it('greets, a button works, SOS shows the numbers as tel: links, and Quick exit sends the host page away', async () => {
    const page = await chromiumSession!.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const frame = await open(page, 'data-country="MD"');
    await expect.poll(() => frame.getByText(menu.welcome, { exact: true }).count(), { timeout: 30_000 }).toBe(1);
    await frame.getByRole('button', { name: menu.rights }).click();
    await expect.poll(() => frame.getByText(facts.pick, { exact: true }).count(), { timeout: 10_000 }).toBe(1);

    await frame.locator('#input').fill('SOS');
    await frame.locator('#input').press('Enter');
    // One message for the whole numbers answer: the intro starts it.
    await expect.poll(() => frame.locator('.msg.bot', { hasText: emergency.intro }).count(), { timeout: 10_000 }).toBe(1);
    // The embed named Moldova: its emergency number and every helpline number are tel: links.
    const md = hotlines.countries.MD!;
    const dial = (number: string) => `tel:${number.replace(/[^\d+]/g, '')}`;
    const links = await frame.locator('a.call').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('href')));
    expect(links).toContain(dial(md.emergency.number));
    expect(links).toContain(dial('+373 22 23 33 09'));
    await page.screenshot({ path: '/tmp/lantern-light-widget-e2e.png' });

    await frame.locator('#exit').click();
    await page.waitForURL(`${hostUrl}/weather`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the picker switches the conversation to Arabic: the bot answers in it, right to left, phone numbers in order', async () => {
    const page = await chromiumSession!.browser.newPage();
    const frame = await open(page, 'data-country="MD"');
    await expect.poll(() => frame.getByText(menu.welcome, { exact: true }).count(), { timeout: 30_000 }).toBe(1);
    const ar = { language: locale('ar', 'language'), menu: locale('ar', 'menu'), emergency: locale('ar', 'emergency'), widget: locale('ar', 'widget') };

    await frame.selectOption('#lang', 'ar');
    // The bot's own texts come in Arabic (no English "Which language?" card), and stay so for the next turns.
    await expect.poll(() => frame.getByText(ar.language.changed, { exact: true }).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => frame.getByText(ar.menu.question, { exact: true }).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await frame.getByText(en('language').question, { exact: true }).count()).toBe(0);
    expect(await frame.evaluate(() => [document.documentElement.dir, document.documentElement.lang])).toEqual(['rtl', 'ar']);
    expect(await frame.locator('#exit').textContent()).toBe(ar.widget.quick_exit);

    await frame.locator('#input').fill('SOS');
    await frame.locator('#input').press('Enter');
    await expect.poll(() => frame.locator('.msg.bot', { hasText: ar.emergency.intro }).count(), { timeout: 10_000 }).toBe(1);
    const bubble = frame.locator('.msg.bot', { hasText: ar.emergency.intro });
    expect(await bubble.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');

    // "+373 22 23 33 09" in right-to-left text: its digit groups must read left to right, in order.
    const order = await frame.locator('a.call[href="tel:+37322233309"]').evaluate((link) => {
      const text = link.firstChild as Text;
      const at = (index: number) => {
        const range = document.createRange();
        range.setStart(text, index);
        range.setEnd(text, index + 1);
        return range.getBoundingClientRect().left;
      };
      const content = text.data;
      const start = content.indexOf('+373');
      const end = content.lastIndexOf('09');
      return [getComputedStyle(link).direction, at(start) < at(start + 5), at(start + 5) < at(end)];
    });
    expect(order).toEqual(['ltr', true, true]);
    // The same in the message text around it.
    const inText = await frame
      .locator('.msg.bot bdi', { hasText: '+373 22 23 33 09' })
      .first()
      .evaluate((el) => getComputedStyle(el).direction);
    expect(inText).toBe('ltr');
    await page.screenshot({ path: '/tmp/lantern-light-widget-e2e-ar.png' });
    // Every number of the one Arabic numbers message stays whole and left to right, the police line's too.
    const police = frame.locator('.msg.bot bdi', { hasText: '(22) 254 998' }).first();
    expect(await police.textContent()).toBe('(22) 254 998');
    expect(await police.evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
    await page.close();
  });
});
