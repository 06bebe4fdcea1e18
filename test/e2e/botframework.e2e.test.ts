/**
 * The Bot Framework channel end to end: activities posted to the real server's /api/messages
 * (real content, engine, store and botbuilder's CloudAdapter), replies received by a connector
 * stub on 127.0.0.1. Expected texts come from locales/en and flows/hotlines.yaml, not from the code.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotFrameworkDriver, linkTargetsIn, seenIn, startConnectorStub } from './drivers/botframework.js';
import type { Activity, BotFrameworkDriver, ConnectorStub } from './drivers/botframework.js';
import { startE2eServer } from './drivers/start-server.js';
import type { E2eServer } from './drivers/start-server.js';

const en = (file: string): Record<string, any> => JSON.parse(readFileSync(new URL(`../../locales/en/${file}.json`, import.meta.url), 'utf8'));
const menu = en('menu');
const facts = en('facts');
const system = en('system');
const emergency = en('emergency');
const common = en('common');
const hotlines = parse(readFileSync(new URL('../../flows/hotlines.yaml', import.meta.url), 'utf8')) as {
  countries: Record<string, { emergency: { number: string } }>;
};

/** Emergency numbers by English country name, straight from the directory NGOs edit. */
const emergencyByCountry = new Map(
  Object.entries(hotlines.countries).map(([code, entry]) => [new Intl.DisplayNames('en', { type: 'region' }).of(code)!, entry.emergency.number]),
);

describe('Bot Framework channel against the real server', () => {
  let driver: BotFrameworkDriver;

  beforeAll(async () => {
    driver = await createBotFrameworkDriver();
  });
  afterAll(async () => {
    await driver?.close();
  });

  let firstMenu: Activity[] = [];

  it('greets on conversationUpdate with the main menu as suggested actions carrying choice ids', async () => {
    const before = driver.connector.received.length;
    const seen = await driver.act({ start: null });
    expect(seen.texts).toEqual([menu.welcome, menu.privacy, menu.question]);
    expect(seen.buttons).toEqual([menu.check_offer, menu.check_ad, menu.rights, menu.hotline, menu.language, menu.forget]);

    const sent = driver.connector.received.slice(before);
    // One activity: the texts, then the menu as suggested actions (Teams throttles every POST).
    expect(sent).toHaveLength(1);
    // Replies go to the conversation at the connector, as replies to the incoming activity.
    for (const entry of sent) expect(entry.path).toMatch(new RegExp(`^/v3/conversations/${driver.conversationId}/activities/in-\\d+$`));
    const last = sent.at(-1)!.activity;
    expect(last.locale).toBe('en');
    firstMenu = last.suggestedActions.actions;
    for (const action of firstMenu) {
      expect(action.type).toBe('messageBack');
      expect(action.value).toEqual({ choice: expect.any(String) });
      // The id goes back to the bot, the label is what the user sees: never the other way round.
      expect(action.value.choice).not.toBe(action.title);
    }
  });

  it('a pressed suggested action (messageBack value = choice id) opens the facts topics', async () => {
    const seen = await driver.act({ tap: menu.rights });
    expect(seen.texts).toEqual([facts.pick]);
    expect(seen.buttons).toEqual([facts.topic.rights, facts.topic.recruitment, facts.topic.scale, facts.topic.myths, common.menu]);
  });

  it('typed "SOS" answers first with emergency numbers that match the hotline directory', async () => {
    const before = driver.connector.received.length;
    const seen = await driver.act({ type: 'SOS' });
    expect(seen.texts[0]).toBe(emergency.intro_no_country);
    const numbers = seen.texts.flatMap((text) => {
      const match = /^(.+)\n🆘 Emergency number: (.+)$/.exec(text); // a country's heading, then its number
      return match ? [[match[1]!, match[2]!] as const] : [];
    });
    expect(numbers.length).toBeGreaterThan(0);
    for (const [country, number] of numbers) expect(number, country).toBe(emergencyByCountry.get(country));
    // Every number is also a tel: link, and the whole answer is at most 3 activities.
    const sent = driver.connector.received.slice(before).map((entry) => entry.activity);
    expect(sent.length).toBeLessThanOrEqual(3);
    const calls = linkTargetsIn(sent).filter((target) => target.startsWith('tel:'));
    expect(calls.length).toBeGreaterThanOrEqual(numbers.length);
    for (const [, number] of numbers) expect(calls).toContain(`tel:${number.replace(/[^\d+*#]/g, '')}`);
  });

  it('a forged choice id and a stale button both get "That button has expired" and the current question again', async () => {
    const forged = await driver.post({ type: 'message', text: menu.rights, value: { choice: 'main/menu/not-a-choice' } });
    expect(forged.status).toBe(200);
    expect(seenIn(forged.sent).texts[0]).toBe(system.expired);
    const current = forged.sent.at(-1)!.suggestedActions?.actions.map((action: Activity) => action.title);
    expect(current?.length).toBeGreaterThan(0);

    // The first menu's "Learn my rights" is a real id, but from a question that is no longer on screen.
    const old = firstMenu.find((action) => action.title === menu.rights)!;
    const stale = await driver.post({ type: 'message', text: old.text, value: old.value });
    expect(seenIn(stale.sent).texts[0]).toBe(system.expired);
    expect(stale.sent.at(-1)!.suggestedActions?.actions.map((action: Activity) => action.title)).toEqual(current);
  });

  it('counted every turn in /metrics, without text or ids', async () => {
    const metrics = await (await fetch(`${driver.server.url}/metrics`)).text();
    expect(metrics).toMatch(/^lantern_turns_total\{channel="botframework",outcome="ok"\} [5-9]$/m);
    expect(metrics).not.toContain(driver.conversationId);
    expect(metrics).not.toMatch(/SOS/);
  });
});

describe('Bot Framework channel with MICROSOFT_APP_ID set', () => {
  let server: E2eServer;
  let connector: ConnectorStub;

  beforeAll(async () => {
    connector = await startConnectorStub();
    server = await startE2eServer({ env: { MICROSOFT_APP_ID: '00000000-0000-0000-0000-00000000e2e0', MICROSOFT_APP_PASSWORD: 'e2e-not-a-real-password' } });
  });
  afterAll(async () => {
    await server?.close();
    await connector?.close();
  });

  it('answers 401 to requests without a valid channel token, and nothing reaches the connector or the engine', async () => {
    const activity = (id: string) =>
      JSON.stringify({
        type: 'message',
        id,
        text: 'SOS',
        channelId: 'emulator',
        serviceUrl: connector.url,
        conversation: { id: 'c-auth' },
        from: { id: 'u-auth' },
        recipient: { id: 'bot' },
      });
    // A token-shaped JWT from an issuer Bot Framework does not trust, unsigned.
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const untrusted = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'e2e' })}.${b64({ iss: 'https://attacker.example', aud: '00000000-0000-0000-0000-00000000e2e0', exp: Math.floor(Date.now() / 1000) + 600 })}.c2ln`;
    const attempts: Record<string, string | undefined> = { none: undefined, garbage: 'Bearer not.a.jwt', untrusted: `Bearer ${untrusted}` };
    for (const [name, authorization] of Object.entries(attempts)) {
      const res = await fetch(`${server.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: activity(`auth-${name}`),
        signal: AbortSignal.timeout(10_000),
      });
      expect(res.status, name).toBe(401);
    }
    expect(connector.received).toEqual([]);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).not.toMatch(/^lantern_turns_total\{/m);
  });
});
