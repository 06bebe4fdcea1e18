import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { serveWebChat } from './serve-web-chat.js';

type Json = Record<string, any>;

let clock = Date.parse('2030-01-01T00:00:00Z');
const now = () => clock;

describe('self-hosted Direct Line', () => {
  let app: Awaited<ReturnType<typeof serveWebChat>>;
  beforeAll(async () => {
    app = await serveWebChat({ now, tokenTtlSeconds: 600 });
  });
  afterAll(async () => {
    await app.close();
  });

  const dl = (path: string) => `${app.url}/v3/directline${path}`;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  async function startConversation(body?: Json, token?: string): Promise<Json & { status: number }> {
    const res = await fetch(dl('/conversations'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? auth(token) : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, ...((await res.json()) as Json) };
  }

  async function activities(id: string, token: string, watermark = 0): Promise<{ status: number; activities: Json[]; watermark: string }> {
    const res = await fetch(dl(`/conversations/${id}/activities?watermark=${watermark}`), { headers: auth(token) });
    const body = res.ok ? ((await res.json()) as Json) : { activities: [], watermark: '' };
    return { status: res.status, activities: body.activities, watermark: body.watermark };
  }

  /** The greeting runs after the conversation answer; poll (bounded) until it is there. */
  async function waitForActivities(id: string, token: string, count: number): Promise<Json[]> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const got = await activities(id, token);
      if (got.activities.length >= count) return got.activities;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`fewer than ${count} activities arrived`);
  }

  async function postActivity(id: string, token: string, activity: Json): Promise<Response> {
    return fetch(dl(`/conversations/${id}/activities`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth(token) },
      body: JSON.stringify(activity),
    });
  }

  it('starts a conversation with a token, a stream URL and a greeting rendered as suggested actions', async () => {
    const started = await startConversation({ user: { id: 'dl_client' }, locale: 'uk' });
    expect(started.status).toBe(201);
    expect(started.conversationId).toMatch(/^[A-Za-z0-9_-]{10,}$/);
    expect(started.expires_in).toBe(600);
    expect(started.streamUrl).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/v3/directline/conversations/${started.conversationId}/stream\\?`));
    const greeting = await waitForActivities(started.conversationId, started.token, 2);
    expect(greeting.map((a) => a.text)).toEqual(['greeting', 'pick one']);
    expect(greeting[0]).toMatchObject({ type: 'message', from: { role: 'bot' }, locale: 'uk', conversation: { id: started.conversationId } });
    expect(greeting[1]!.suggestedActions.actions[0]).toMatchObject({ type: 'messageBack', value: { choice: 'menu.screen' } });
    // Connector details stay on the server.
    expect(greeting[0]!.serviceUrl).toBeUndefined();
    expect(app.seen.at(-1)).toMatchObject({ conversation: `webchat:${started.conversationId}`, channel: 'webchat', event: 'start', languageHint: 'uk' });
  });

  it('posts a message and a button press, echoes the message, and pages by watermark', async () => {
    const { conversationId: id, token } = await startConversation();
    const greeting = await waitForActivities(id, token, 2);
    const mark = Number((await activities(id, token, 0)).watermark);
    expect(mark).toBe(greeting.length);

    const posted = await postActivity(id, token, {
      type: 'message',
      text: 'a job in Warsaw?',
      locale: 'ro',
      from: { id: 'spoofed', role: 'bot' },
      channelData: { clientActivityID: 'client-1' },
      conversation: { id: 'other' },
    });
    expect(posted.status).toBe(200);
    const { id: activityId } = (await posted.json()) as Json;
    const page = await activities(id, token, mark);
    expect(page.activities[0]).toMatchObject({
      id: activityId,
      type: 'message',
      text: 'a job in Warsaw?',
      from: { role: 'user' },
      channelData: { clientActivityID: 'client-1' },
    });
    expect(page.activities[0]!.from.id).not.toBe('spoofed');
    expect(page.activities[1]).toMatchObject({ text: `text:${'a job in Warsaw?'.length}`, locale: 'ro', replyToId: activityId, from: { role: 'bot' } });
    // Web Chat renders Markdown and HTML in messages without a textFormat: every message is plain.
    expect(page.activities.map((a) => a.textFormat)).toEqual(['plain', 'plain', 'plain']);
    expect(greeting.map((a) => a.textFormat)).toEqual(['plain', 'plain']);
    expect(app.seen.at(-1)).toMatchObject({ conversation: `webchat:${id}`, languageHint: 'ro' });

    const press = await postActivity(id, token, { type: 'message', text: 'My rights', value: { choice: 'menu.rights' } });
    expect(press.status).toBe(200);
    const after = await activities(id, token, Number(page.watermark));
    expect(after.activities.map((a) => a.text)).toEqual(['My rights', 'choice:menu.rights', 'next']);
    // Nothing new after the last watermark.
    expect((await activities(id, token, Number(after.watermark))).activities).toEqual([]);
  });

  it('generates a token carrying the embed language and country, then starts that conversation', async () => {
    const res = await fetch(dl('/tokens/generate'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ locale: 'ro', country: 'md' }),
    });
    expect(res.status).toBe(200);
    const generated = (await res.json()) as Json;
    const started = await startConversation(undefined, generated.token);
    expect(started.status).toBe(201);
    expect(started.conversationId).toBe(generated.conversationId);
    await waitForActivities(started.conversationId, started.token, 2);
    expect(app.seen.at(-1)).toMatchObject({ event: 'start', languageHint: 'ro', countryHint: 'MD' });
    // Starting again (Web Chat reconnecting) does not greet twice.
    const again = await startConversation(undefined, started.token);
    expect(again.status).toBe(200);
    expect((await activities(started.conversationId, started.token)).activities).toHaveLength(2);
  });

  it('refreshes a token for the same conversation', async () => {
    const { conversationId: id, token } = await startConversation();
    clock += 5 * 60_000;
    const res = await fetch(dl('/tokens/refresh'), { method: 'POST', headers: auth(token) });
    expect(res.status).toBe(200);
    const refreshed = (await res.json()) as Json;
    expect(refreshed.conversationId).toBe(id);
    expect(refreshed.token).not.toBe(token);
    // Past the first token's life, only the refreshed one still works.
    clock += 6 * 60_000;
    expect((await activities(id, token)).status).toBe(403);
    expect((await activities(id, refreshed.token)).status).toBe(200);
    const reconnect = await fetch(dl(`/conversations/${id}?watermark=0`), { headers: auth(refreshed.token) });
    expect(reconnect.status).toBe(200);
    expect(((await reconnect.json()) as Json).streamUrl).toContain(`/conversations/${id}/stream`);
  });

  it("never lets one conversation's token read or post to another", async () => {
    const a = await startConversation();
    const b = await startConversation();
    await waitForActivities(b.conversationId, b.token, 2);
    const turnsBefore = app.seen.length;
    expect((await activities(b.conversationId, a.token)).status).toBe(403);
    expect((await postActivity(b.conversationId, a.token, { type: 'message', text: 'hi' })).status).toBe(403);
    expect((await fetch(dl(`/conversations/${b.conversationId}`), { headers: auth(a.token) })).status).toBe(403);
    expect((await fetch(dl(`/conversations/${b.conversationId}`), { method: 'DELETE', headers: auth(a.token) })).status).toBe(403);
    expect(app.seen.length).toBe(turnsBefore);
    // b is untouched.
    expect((await activities(b.conversationId, b.token)).activities).toHaveLength(2);
  });

  it('denies expired, forged and missing tokens with 403', async () => {
    const { conversationId: id, token } = await startConversation();
    const [version, payload, mac] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Json;
    const widened = Buffer.from(JSON.stringify({ ...claims, e: claims.e + 86_400_000 })).toString('base64url');
    expect((await activities(id, `${version}.${widened}.${mac}`)).status).toBe(403);
    expect((await activities(id, `${version}.${payload}.${mac.slice(0, -2)}AA`)).status).toBe(403);
    expect((await fetch(dl(`/conversations/${id}/activities`))).status).toBe(403);
    expect((await startConversation(undefined, 'garbage')).status).toBe(403);
    clock += 11 * 60_000;
    expect((await activities(id, token)).status).toBe(403);
    expect((await fetch(dl('/tokens/refresh'), { method: 'POST', headers: auth(token) })).status).toBe(403);
  });

  it('refuses an oversize body with 413 and runs no turn', async () => {
    const { conversationId: id, token } = await startConversation();
    await waitForActivities(id, token, 2);
    const before = app.seen.length;
    const res = await postActivity(id, token, { type: 'message', text: 'x'.repeat(70 * 1024) });
    expect(res.status).toBe(413);
    expect(app.seen.length).toBe(before);
    expect((await activities(id, token)).activities).toHaveLength(2);
  });

  it('ends a conversation on DELETE: the core is told to forget, the token stops working', async () => {
    const { conversationId: id, token } = await startConversation();
    await waitForActivities(id, token, 2);
    const res = await fetch(dl(`/conversations/${id}`), { method: 'DELETE', headers: auth(token) });
    expect(res.status).toBe(204);
    expect(app.seen.at(-1)).toMatchObject({ conversation: `webchat:${id}`, event: 'command:forget' });
    expect((await activities(id, token)).status).toBe(404);
    expect((await postActivity(id, token, { type: 'message', text: 'hi' })).status).toBe(404);
  });

  it("passes the core's forget hint to the widget as a lantern/forget event", async () => {
    const { conversationId: id, token } = await startConversation();
    await waitForActivities(id, token, 2);
    await postActivity(id, token, { type: 'message', text: '/forget' });
    const got = await activities(id, token, 2);
    expect(got.activities.map((a) => [a.type, a.name ?? a.text])).toEqual([
      ['message', '/forget'],
      ['message', 'forgotten'],
      ['event', 'lantern/forget'],
    ]);
    expect(app.seen.at(-1)!.event).toBe('command:forget');
  });

  it('ends a conversation on a posted quickExit event', async () => {
    const { conversationId: id, token } = await startConversation();
    const res = await postActivity(id, token, { type: 'event', name: 'quickExit' });
    expect(res.status).toBe(200);
    expect(app.seen.at(-1)).toMatchObject({ conversation: `webchat:${id}`, event: 'command:forget' });
    expect((await activities(id, token)).status).toBe(404);
  });

  /** Opens a socket and resolves with 'opened' or the HTTP status the upgrade was refused with. */
  async function openSocket(url: string): Promise<{ result: string; ws: WebSocket }> {
    const ws = new WebSocket(url);
    const result = await new Promise<string>((resolve) => {
      ws.once('open', () => resolve('opened'));
      ws.once('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      ws.once('error', () => resolve('error'));
    });
    return { result, ws };
  }

  it('streams activities over the WebSocket at streamUrl, and refuses a socket with the wrong token', async () => {
    const a = await startConversation();
    const b = await startConversation();
    const ws = new WebSocket(a.streamUrl);
    const groups: Json[] = [];
    ws.on('message', (data) => groups.push(JSON.parse(String(data)) as Json));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await postActivity(a.conversationId, a.token, { type: 'message', value: { choice: 'menu.screen' } });
    for (let attempt = 0; attempt < 100 && !groups.flatMap((g) => g.activities).some((x: Json) => x.text === 'choice:menu.screen'); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const texts = groups.flatMap((g) => g.activities).map((x: Json) => x.text);
    expect(texts).toContain('greeting');
    expect(texts).toContain('choice:menu.screen');
    expect(Number(groups.at(-1)!.watermark)).toBeGreaterThanOrEqual(4);
    ws.close();

    // The token of another conversation, or the token at all, opens no stream: only a ticket does.
    for (const token of [b.token, a.token]) {
      const wrong = await openSocket(a.streamUrl.replace(/ticket=[^&]+/, `t=${encodeURIComponent(token)}`));
      expect(wrong.result).toBe('403');
      wrong.ws.terminate();
    }
    // Another conversation's ticket does not open this one.
    const crossed = await openSocket(a.streamUrl.replace(/ticket=[^&]+/, /ticket=[^&]+/.exec(b.streamUrl)![0]));
    expect(crossed.result).toBe('403');
    crossed.ws.terminate();
  });

  it('puts a one-time stream ticket in the socket URL, never the bearer token; a ticket opens one socket, within 60 s', async () => {
    const started = await startConversation();
    const url = new URL(started.streamUrl);
    expect([...url.searchParams.keys()].sort()).toEqual(['ticket', 'watermark']);
    expect(started.streamUrl).not.toContain(started.token);
    expect(started.streamUrl).not.toContain(started.token.split('.')[2]);

    const first = await openSocket(started.streamUrl);
    expect(first.result).toBe('opened');
    first.ws.close();
    // Spent: the same URL again (a log reader, a shared screen) is refused.
    const again = await openSocket(started.streamUrl);
    expect(again.result).toBe('403');
    again.ws.terminate();

    // A reconnect gets a fresh ticket with the token in a header; it expires unused after 60 s.
    const reconnect = (await (await fetch(dl(`/conversations/${started.conversationId}`), { headers: auth(started.token) })).json()) as Json;
    expect(reconnect.streamUrl).not.toBe(started.streamUrl);
    clock += 61_000;
    const late = await openSocket(reconnect.streamUrl);
    expect(late.result).toBe('403');
    late.ws.terminate();
  });

  it('serves /webchat.js from the package and nothing else from it', async () => {
    const js = await fetch(`${app.url}/webchat.js`, { headers: { 'accept-encoding': 'identity' } });
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    const body = await js.text();
    expect(body.length).toBeGreaterThan(1_000_000);
    expect(body).toContain('renderWebChat');
    // Compressed once for cheap phones' data plans; fetch decompresses it again.
    const zipped = await fetch(`${app.url}/webchat.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(Number(zipped.headers.get('content-length'))).toBeLessThan(body.length / 2);
    expect(await zipped.text()).toBe(body);
    for (const path of [
      '/stats.json',
      '/dist/stats.json',
      '/webchat.js/../stats.json',
      '/node_modules/botframework-webchat/dist/stats.json',
      '/webchat-es5.js',
      '/v3/directline/../../stats.json',
    ]) {
      const res = await fetch(`${app.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain('"modules"');
    }
  });

  it('serves the widget (the light loader, its frame, and the official Web Chat loader) and the demo page', async () => {
    const widget = await fetch(`${app.url}/widget.js`);
    expect(widget.headers.get('content-type')).toMatch(/javascript/);
    const source = await widget.text();
    expect(source).toContain('/widget/frame?');
    expect(source).toContain('location.replace');
    expect(source.length).toBeLessThan(16 * 1024);
    const frame = await (await fetch(`${app.url}/widget/frame`)).text();
    expect(frame).toContain('/v3/directline');
    expect(frame).toContain('Quick exit');
    const official = await (await fetch(`${app.url}/widget-webchat.js`)).text();
    expect(official).toContain('/webchat.js');
    expect(official).toContain('location.replace');
    // A fresh nonce per response is the only way a script or style runs on the page.
    const pages = await Promise.all([fetch(`${app.url}/`), fetch(`${app.url}/`)]);
    const nonces = await Promise.all(
      pages.map(async (page) => {
        const policy = page.headers.get('content-security-policy') ?? '';
        const nonce = /script-src 'nonce-([A-Za-z0-9+/=]{20,})' 'strict-dynamic'/.exec(policy)?.[1];
        expect(policy).toContain("default-src 'none'");
        expect(policy).not.toContain('unsafe-inline');
        expect(policy).toContain("img-src 'self' data: blob:;");
        expect(policy).toContain("frame-src 'self';");
        const html = await page.text();
        expect(html).toContain(`<script nonce="${nonce}" src="/widget.js"`);
        expect(html).toContain(`<style nonce="${nonce}">`);
        return nonce;
      }),
    );
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it('sends CORS headers to every origin by default', async () => {
    const res = await fetch(dl('/tokens/generate'), { method: 'POST', headers: { origin: 'https://any.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await fetch(dl('/conversations'), {
      method: 'OPTIONS',
      headers: { origin: 'https://any.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
  });

  it('never logs message text', () => {
    expect(app.logEntries.join('\n')).not.toContain('Warsaw');
  });
});

describe('self-hosted Direct Line with an allowed-origins list', () => {
  let app: Awaited<ReturnType<typeof serveWebChat>>;
  beforeAll(async () => {
    app = await serveWebChat({ allowedOrigins: ['https://ngo.example'] });
  });
  afterAll(async () => {
    await app.close();
  });

  it('sends CORS headers only to listed origins', async () => {
    const listed = await fetch(`${app.url}/v3/directline/conversations`, {
      method: 'OPTIONS',
      headers: { origin: 'https://ngo.example', 'access-control-request-method': 'POST' },
    });
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://ngo.example');
    expect(listed.headers.get('vary')).toContain('Origin');
    const other = await fetch(`${app.url}/v3/directline/conversations`, { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-methods')).toBeNull();
  });

  it("refuses a stream socket from an origin not on the list; the light widget's frame (this server's own origin) is let in", async () => {
    const started = (await (await fetch(`${app.url}/v3/directline/conversations`, { method: 'POST' })).json()) as Json;
    const statusFrom = (origin: string, url: string = started.streamUrl) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url, { origin });
        ws.once('open', () => {
          resolve('opened');
          ws.close();
        });
        ws.once('unexpected-response', (_req, res) => {
          resolve(String(res.statusCode));
          ws.terminate();
        });
        ws.once('error', () => resolve('error'));
      });
    expect(await statusFrom('https://evil.example')).toBe('403');
    expect(await statusFrom('https://ngo.example')).toBe('opened');
    // A fresh one-time ticket (the one above is spent) for a socket from the server's own origin.
    const again = (await (
      await fetch(`${app.url}/v3/directline/conversations/${started.conversationId}`, { headers: { authorization: `Bearer ${started.token}` } })
    ).json()) as Json;
    expect(await statusFrom(app.url, again.streamUrl)).toBe('opened');
  });
});

describe('self-hosted Direct Line capacity', () => {
  it('keeps at most maxConversations, dropping the least recently used', async () => {
    const app = await serveWebChat({ maxConversations: 2 });
    try {
      const start = async () => (await (await fetch(`${app.url}/v3/directline/conversations`, { method: 'POST' })).json()) as Json;
      const first = await start();
      const second = await start();
      await fetch(`${app.url}/v3/directline/conversations/${first.conversationId}/activities`, { headers: { authorization: `Bearer ${first.token}` } });
      await start();
      const status = async (c: Json) =>
        (await fetch(`${app.url}/v3/directline/conversations/${c.conversationId}/activities`, { headers: { authorization: `Bearer ${c.token}` } })).status;
      expect(await status(first)).toBe(200);
      expect(await status(second)).toBe(404);
    } finally {
      await app.close();
    }
  });
});
