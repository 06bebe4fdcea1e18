/**
 * Per-client rate limits on the doors open without an account, against the real server: web chat
 * starts and token refreshes, and /api/messages without MICROSOFT_APP_ID. Counted per HMAC of
 * the address (TRUST_PROXY picks it behind a load balancer), shared on Redis by every instance.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../e2e/helpers/test-server.js';
import { closeServer, listen } from '../helpers/net.js';
import { redisReachable, requireService } from '../helpers/requires.js';

type Json = Record<string, any>;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisUp = await redisReachable(REDIS_URL);

async function pool(count: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

function tally(statuses: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const status of statuses) out[status] = (out[status] ?? 0) + 1;
  return out;
}

async function generate(base: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Json; retryAfter: string | null }> {
  const res = await fetch(`${base}/v3/directline/tokens/generate`, { method: 'POST', headers });
  return { status: res.status, body: (await res.json()) as Json, retryAfter: res.headers.get('retry-after') };
}

describe('client rate limits (30 per minute per address and door)', () => {
  let app: TestServer;
  beforeAll(async () => {
    app = await startTestServer({ CLIENT_RATE_LIMIT: '30/1m', LOG_LEVEL: 'warn' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('10,000 conversation starts from one address: 30 pass, 9,970 get 429; a visitor who started before keeps chatting', async () => {
    const visitor = (await generate(app.url)).body;
    const conversation = (await (
      await fetch(`${app.url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${visitor.token}` } })
    ).json()) as Json;
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    await pool(10_000, 16, async (i) => {
      // Half the way the widget starts, half the way Web Chat does.
      const res =
        i % 2
          ? await fetch(`${app.url}/v3/directline/conversations`, { method: 'POST' })
          : await fetch(`${app.url}/v3/directline/tokens/generate`, { method: 'POST' });
      await res.arrayBuffer();
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    });
    const counts = tally(statuses);
    expect(counts[429]).toBe(10_000 - 29);
    expect((counts[200] ?? 0) + (counts[201] ?? 0)).toBe(29);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    // Posting in a conversation is not a door: the visitor's token carries it.
    const posted = await fetch(`${app.url}/v3/directline/conversations/${conversation.conversationId}/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${visitor.token}` },
      body: JSON.stringify({ type: 'message', text: 'hello' }),
    });
    expect(posted.status).toBe(200);
    // The logs name the door, never the address.
    expect(app.logs()).toContain('over the rate limit');
    expect(app.logs()).not.toContain('127.0.0.1');
  }, 120_000);

  it('counts token refreshes on their own budget', async () => {
    const fresh = await startTestServer({ CLIENT_RATE_LIMIT: '30/1m', LOG_LEVEL: 'warn' });
    try {
      const { token } = (await generate(fresh.url)).body;
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const res = await fetch(`${fresh.url}/v3/directline/tokens/refresh`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
        await res.arrayBuffer();
        statuses.push(res.status);
      }
      expect(tally(statuses)).toEqual({ 200: 30, 429: 10 });
      // Starts still have their own 29 left.
      expect((await generate(fresh.url)).status).toBe(200);
    } finally {
      await fresh.close();
    }
  });
});

describe('client address behind a load balancer (TRUST_PROXY)', () => {
  it('TRUST_PROXY=1: 1,000 starts from 1,000 addresses all pass, one address is limited, and addresses a client wrote itself are ignored', async () => {
    const app = await startTestServer({ CLIENT_RATE_LIMIT: '30/1m', TRUST_PROXY: '1', LOG_LEVEL: 'warn' });
    try {
      const many: number[] = [];
      await pool(1_000, 16, async (i) => {
        many.push((await generate(app.url, { 'x-forwarded-for': `10.0.${i >> 8}.${i & 255}` })).status);
      });
      expect(tally(many)).toEqual({ 200: 1_000 });
      // One address that varies only what it writes itself (left of what the balancer appended).
      const spoofing: number[] = [];
      for (let i = 0; i < 40; i++) spoofing.push((await generate(app.url, { 'x-forwarded-for': `192.0.2.${i}, 203.0.113.7` })).status);
      expect(tally(spoofing)).toEqual({ 200: 30, 429: 10 });
    } finally {
      await app.close();
    }
  }, 60_000);

  it('TRUST_PROXY=0 (default): X-Forwarded-For is ignored, the socket address counts', async () => {
    const app = await startTestServer({ CLIENT_RATE_LIMIT: '30/1m', LOG_LEVEL: 'warn' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await generate(app.url, { 'x-forwarded-for': `10.1.0.${i}` })).status);
      expect(tally(statuses)).toEqual({ 200: 30, 429: 10 });
    } finally {
      await app.close();
    }
  });
});

describe('anonymous /api/messages (no MICROSOFT_APP_ID)', () => {
  let connector: Server;
  let connectorUrl: string;
  let dir: string;
  beforeAll(async () => {
    connector = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"1"}'));
    });
    connectorUrl = await listen(connector);
    dir = mkdtempSync(join(tmpdir(), 'lantern-limits-'));
  });
  afterAll(async () => {
    await closeServer(connector);
    rmSync(dir, { recursive: true, force: true });
  });

  it('3,000 posts from one address, each a new conversation: 30 reach the bot, at most 30 session rows', async () => {
    const sqlitePath = join(dir, 'lantern.db');
    // BOT_EMULATOR opts into replies to a loopback connector where the server requires it.
    const app = await startTestServer({ CLIENT_RATE_LIMIT: '30/1m', STORE: 'sqlite', SQLITE_PATH: sqlitePath, BOT_EMULATOR: 'true', LOG_LEVEL: 'warn' });
    try {
      const statuses: number[] = [];
      await pool(3_000, 16, async (i) => {
        const res = await fetch(`${app.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            type: 'message',
            id: `m${i}`,
            channelId: 'emulator',
            serviceUrl: connectorUrl,
            conversation: { id: `flood-${i}` },
            from: { id: `user-${i}` },
            recipient: { id: 'lantern' },
            text: 'hello',
          }),
        });
        await res.arrayBuffer();
        statuses.push(res.status);
      });
      const counts = tally(statuses);
      expect(counts[429]).toBe(3_000 - 30);
      const db = new Database(sqlitePath, { readonly: true, fileMustExist: true });
      try {
        expect((db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n).toBeLessThanOrEqual(30);
      } finally {
        db.close();
      }
    } finally {
      await app.close();
    }
  }, 120_000);

  it("never limits Azure's authenticated connector (MICROSOFT_APP_ID set): 40 posts, no 429", async () => {
    const app = await startTestServer({
      CLIENT_RATE_LIMIT: '30/1m',
      MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000000',
      MICROSOFT_APP_PASSWORD: 'not-a-real-password',
      LOG_LEVEL: 'silent',
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const res = await fetch(`${app.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-valid-jwt' },
          body: JSON.stringify({
            type: 'message',
            channelId: 'msteams',
            serviceUrl: 'https://smba.trafficmanager.net/',
            conversation: { id: 'c' },
            text: 'hi',
          }),
        });
        await res.arrayBuffer();
        statuses.push(res.status);
      }
      expect(statuses).not.toContain(429);
    } finally {
      await app.close();
    }
  }, 60_000);
});

describe.runIf(requireService('Redis', redisUp, `no server answers at ${REDIS_URL}`))('client rate limits shared on Redis', () => {
  it('two instances on one Redis share one budget: 20 + 20 starts from one address, 30 pass; Redis holds no raw address, and keys expire within the window', async () => {
    const env = { STORE: 'redis', REDIS_URL, HASH_SECRET: `limits-${randomBytes(24).toString('hex')}`, CLIENT_RATE_LIMIT: '30/1m', LOG_LEVEL: 'warn' };
    const a = await startTestServer(env);
    const b = await startTestServer(env);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await generate(a.url)).status, (await generate(b.url)).status);
      expect(tally(statuses)).toEqual({ 200: 30, 429: 10 });

      const { createRequire } = await import('node:module');
      const { Redis } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
      const redis = new Redis(REDIS_URL);
      try {
        const keys = await redis.keys('lantern:rate:*');
        expect(keys.length).toBeGreaterThan(0);
        for (const key of keys) {
          expect(key).not.toMatch(/127\.0\.0\.1|::1|::ffff/);
          const ttl = await redis.pttl(key);
          expect(ttl).toBeGreaterThan(0);
          expect(ttl).toBeLessThanOrEqual(60_000);
        }
      } finally {
        redis.disconnect();
      }
    } finally {
      await a.close();
      await b.close();
    }
  });
});
