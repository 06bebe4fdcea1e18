/**
 * Bot Framework SSRF: without MICROSOFT_APP_ID, /api/messages is unauthenticated, so the server
 * must never send a request to an address the caller chose. By default the replies come back in
 * the HTTP response; only BOT_EMULATOR=true (refused with NODE_ENV=production) posts them, and
 * only to a loopback serviceUrl.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, startServer, type RunningServer } from '../../src/server/index.js';
import { shippedPaths } from '../helpers/content.js';

const env = (extra: Record<string, string> = {}) => ({
  PORT: '0',
  STORE: 'memory',
  LOG_LEVEL: 'silent',
  HASH_SECRET: 'bot-framework-ssrf-secret-8e2a6c0f4b1d9357',
  LOCALES_DIR: shippedPaths.localesDir,
  ...extra,
});

/** A local listener that counts every TCP connection and request it gets (a port scan shows as connections). */
async function listener(): Promise<{ port: number; connections: () => number; requests: string[]; server: Server }> {
  let connections = 0;
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"x"}');
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, connections: () => connections, requests, server };
}

const activity = (serviceUrl: string, extra: Record<string, unknown> = {}) => ({
  type: 'message',
  id: `a-${Math.random().toString(36).slice(2)}`,
  text: 'hello',
  channelId: 'emulator',
  serviceUrl,
  conversation: { id: `c-${Math.random().toString(36).slice(2)}` },
  from: { id: 'u' },
  recipient: { id: 'bot' },
  ...extra,
});

const post = (server: RunningServer, body: unknown) =>
  fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('default settings (no MICROSOFT_APP_ID, no BOT_EMULATOR)', () => {
  let server: RunningServer;
  let local: Awaited<ReturnType<typeof listener>>;
  beforeAll(async () => {
    local = await listener();
    server = await startServer({ env: env() });
  });
  afterAll(async () => {
    await server?.close();
    local?.server.close();
  });

  it('activities naming a local listener as serviceUrl: it receives nothing, not even a connection; the replies come back in the response', async () => {
    const urls = [
      `http://127.0.0.1:${local.port}`,
      `http://127.0.0.1:${local.port}/admin/shutdown`,
      `http://localhost:${local.port}/`,
      `http://[::ffff:127.0.0.1]:${local.port}/`,
    ];
    const answers: string[] = [];
    for (const url of urls) {
      for (const extra of [{}, { type: 'conversationUpdate', text: undefined, membersAdded: [{ id: 'u' }] }, { deliveryMode: 'normal' }, { text: 'SOS' }]) {
        const res = await post(server, activity(url, extra));
        expect(res.status, url).toBe(200);
        const body = (await res.json()) as { activities: { type: string; text?: string }[] };
        answers.push(...body.activities.filter((a) => a.type === 'message').map((a) => a.text ?? ''));
      }
    }
    // The turns ran (16 of them, with an answer each) ...
    expect(answers.length).toBeGreaterThanOrEqual(16);
    expect(answers.some((text) => /112|\+\d/.test(text))).toBe(true); // the SOS answer carries a number
    // ... and the listener saw nothing.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(local.requests).toEqual([]);
    expect(local.connections()).toBe(0);
  });
});

describe('BOT_EMULATOR=true (the Emulator and loopback tests opt in)', () => {
  let server: RunningServer;
  let local: Awaited<ReturnType<typeof listener>>;
  beforeAll(async () => {
    local = await listener();
    server = await startServer({ env: env({ BOT_EMULATOR: 'true', NODE_ENV: 'development' }) });
  });
  afterAll(async () => {
    await server?.close();
    local?.server.close();
  });

  it('posts the replies to a loopback serviceUrl, and refuses any other with 403', async () => {
    expect((await post(server, activity(`http://127.0.0.1:${local.port}`))).status).toBe(200);
    expect(local.requests.length).toBeGreaterThanOrEqual(1);
    expect(local.requests[0]).toMatch(/^POST \/v3\/conversations\//);
    const refused = await post(server, activity('http://169.254.169.254/latest/meta-data/'));
    expect(refused.status).toBe(403);
  });
});

describe('BOT_EMULATOR is for developer machines', () => {
  it('is refused with NODE_ENV=production, naming the setting', () => {
    expect(() => loadConfig({ BOT_EMULATOR: 'true', NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ BOT_EMULATOR: 'true', NODE_ENV: 'production' })).toThrow(/BOT_EMULATOR: .*NODE_ENV=production/);
    expect(loadConfig({ BOT_EMULATOR: 'true' }).BOT_EMULATOR).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).BOT_EMULATOR).toBe(false);
    expect(() => loadConfig({ BOT_EMULATOR: 'yes' })).toThrow(/BOT_EMULATOR/);
  });
});
