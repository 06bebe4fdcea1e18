/**
 * Operations on the real server: the bind address (HOST), /metrics behind METRICS_TOKEN (and
 * `lantern stats` sending it), no internal error text to callers, and hostile bodies refused
 * with 400 while the conversation keeps working.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_JSON_DEPTH } from '../../src/channels/read-body.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { lantern } from '../helpers/cli.js';
import { shippedPaths } from '../helpers/content.js';

const SECRET = 'operations-test-secret-0123456789abcdef';
const env = (extra: Record<string, string> = {}) => ({
  PORT: '0',
  STORE: 'memory',
  LOG_LEVEL: 'silent',
  HASH_SECRET: SECRET,
  LOCALES_DIR: shippedPaths.localesDir,
  ...extra,
});
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('a deeply nested JSON value is answered 400, and the conversation keeps working', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ env: env() });
  });
  afterAll(() => server?.close());

  async function directLine() {
    const started = (await (
      await fetch(`${server.url}/v3/directline/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    ).json()) as { conversationId: string; token: string };
    const url = `${server.url}/v3/directline/conversations/${started.conversationId}/activities`;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${started.token}` };
    return {
      post: (body: string) => fetch(url, { method: 'POST', headers, body }),
      read: () => fetch(url, { headers }),
    };
  }

  it(`Direct Line: a value nested 5,000 deep is a 400; reading and writing the conversation stay 200 (limit ${MAX_JSON_DEPTH})`, async () => {
    const chat = directLine();
    const { post, read } = await chat;
    const deep = await post(`{"type":"message","from":{"id":"u"},"value":${nested(5000)}}`);
    expect(deep.status).toBe(400);
    expect(await deep.text()).toContain(`deeper than ${MAX_JSON_DEPTH} levels`);
    // Before the limit, the buffered echo made every later read of the conversation a 500.
    for (let i = 0; i < 3; i++) expect((await read()).status).toBe(200);
    expect((await post('{"type":"message","from":{"id":"u"},"text":"hello"}')).status).toBe(200);
    const activities = (await (await read()).json()) as { activities: { from: { role?: string }; text?: string }[] };
    expect(activities.activities.some((a) => a.text === 'hello')).toBe(true);
  });

  it('Direct Line: nesting up to the limit is accepted (strings with brackets do not count)', async () => {
    const { post, read } = await directLine();
    const within = await post(`{"type":"message","from":{"id":"u"},"text":"${'[{'.repeat(100)}","value":${nested(MAX_JSON_DEPTH - 1)}}`);
    expect(within.status).toBe(200);
    expect((await read()).status).toBe(200);
    expect((await post(`{"type":"message","from":{"id":"u"},"value":${nested(MAX_JSON_DEPTH)}}`)).status).toBe(400);
  });

  it('/api/messages: a deep activity is a 400, never a 500', async () => {
    const res = await fetch(`${server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"type":"message","channelId":"emulator","conversation":{"id":"c"},"from":{"id":"u"},"serviceUrl":"http://127.0.0.1:9/","value":${nested(5000)}}`,
    });
    expect(res.status).toBe(400);
  });
});

/** True when a TCP connection to host:port is accepted. */
function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('HOST: the address the server listens on', () => {
  it('HOST=127.0.0.2 listens there only; unset, every interface (as before)', async () => {
    const bound = await startServer({ env: env({ HOST: '127.0.0.2' }) });
    try {
      expect(bound.url).toBe(`http://127.0.0.2:${bound.port}`);
      expect(await reachable('127.0.0.2', bound.port)).toBe(true);
      expect(await reachable('127.0.0.1', bound.port)).toBe(false);
      expect((await fetch(`${bound.url}/healthz`)).status).toBe(200);
    } finally {
      await bound.close();
    }
    const everywhere = await startServer({ env: env() });
    try {
      expect(await reachable('127.0.0.1', everywhere.port)).toBe(true);
      expect(await reachable('127.0.0.2', everywhere.port)).toBe(true);
    } finally {
      await everywhere.close();
    }
  });
});

describe('METRICS_TOKEN: /metrics needs the bearer token when set', () => {
  const TOKEN = 'metrics-token-0123456789abcdef';
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ env: env({ METRICS_TOKEN: TOKEN }) });
    await server.service.handle({ conversation: 'm', channel: 'webchat', event: { type: 'start' } });
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await server?.close();
  });

  it('no token and a wrong token get 401 with no figures; the right one gets them; health stays open', async () => {
    const get = (authorization?: string) => fetch(`${server.url}/metrics`, { headers: authorization ? { authorization } : {} });
    for (const wrong of [undefined, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, TOKEN, `Basic ${TOKEN}`]) {
      const res = await get(wrong);
      expect(res.status, String(wrong)).toBe(401);
      expect(await res.text()).not.toContain('lantern_');
    }
    const ok = await get(`Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('lantern_turns_total');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });

  it('lantern stats sends METRICS_TOKEN, and says what to set when it is missing', async () => {
    vi.stubEnv('METRICS_TOKEN', '');
    const refused = await lantern(['stats', '--url', server.url]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('set METRICS_TOKEN');
    vi.stubEnv('METRICS_TOKEN', TOKEN);
    const shown = await lantern(['stats', '--url', server.url]);
    expect(shown.code, shown.err).toBe(0);
    expect(shown.out).toMatch(/main\s+menu\s+1/);
  });
});

describe('callers never get internal error text', () => {
  const DETAIL = 'ECONNREFUSED /srv/lantern/secret-path user 90210';
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({
      env: env({ MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000001', MICROSOFT_APP_PASSWORD: 'not-a-real-password' }),
      extraRoutes: [
        (req) => {
          if (req.url !== '/boom') return false;
          throw new Error(DETAIL);
        },
      ],
    });
  });
  afterAll(() => server?.close());

  it('a route that throws answers 500 "internal error", without the error text', async () => {
    const res = await fetch(`${server.url}/boom`);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('internal error\n');
  });

  it("/api/messages with a bad token gets 401 'unauthorized', not botbuilder's reason", async () => {
    const res = await fetch(`${server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-jwt' },
      body: JSON.stringify({
        type: 'message',
        text: 'hi',
        channelId: 'emulator',
        conversation: { id: 'c' },
        from: { id: 'u' },
        serviceUrl: 'https://smba.example/',
      }),
    });
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('unauthorized');
  });
});
