/**
 * Two web chat instances on one Redis, and a client that sends each request to either: the
 * conversation starts on A, posts reach B, replies are read on A by polling and on B by socket,
 * a quick exit on A revokes the token on B, and Redis never holds the words people typed.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { Inbound, TurnHandler } from '../../../src/engine/types.js';
import { startServer, type RunningServer } from '../../../src/server/index.js';
import { createConversationRelay, type ConversationRelay } from '../../../src/store/index.js';
import { shippedPaths } from '../../helpers/content.js';
import { createScriptedHandler } from '../botframework/scripted-handler.js';
import { redisReachable, requireService } from '../../helpers/requires.js';
import { serveWebChat } from './serve-web-chat.js';

type Json = Record<string, any>;
type App = Awaited<ReturnType<typeof serveWebChat>>;

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const reachable = await redisReachable(REDIS_URL);
const BUFFER_TTL_MS = 5 * 60_000;
const TOKEN_TTL_S = 600;

/** The names a conversation has in Redis (serveWebChat's token secret, the relay's key layout). */
function keysOf(prefix: string, conversationId: string): { hash: string; list: string } {
  const h = createHmac('sha256', 'test-secret-0123456789abcdef').update(`conversation\u0000${conversationId}`).digest('base64url');
  return { hash: `${prefix}{${h}}`, list: `${prefix}{${h}}:a` };
}

/** A turn handler that can hold one kind of message until the test lets it go. */
function gatedHandler(): { handler: TurnHandler; texts: string[]; hold(text: string): () => void } {
  const scripted = createScriptedHandler();
  const gates = new Map<string, Promise<void>>();
  const texts: string[] = [];
  return {
    texts,
    hold(text) {
      let open!: () => void;
      gates.set(text, new Promise<void>((resolve) => (open = resolve)));
      return open;
    },
    async handler(inbound: Inbound) {
      if (inbound.event.type === 'text') {
        texts.push(inbound.event.text);
        await gates.get(inbound.event.text);
      }
      return scripted.handler(inbound);
    },
  };
}

/** Polls (bounded in count, not in time) until `check` returns something. */
async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const found = await check();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe.runIf(requireService('Redis', reachable, `no server answers at ${REDIS_URL}`))('web chat on two instances sharing Redis', () => {
  const prefix = `lantern-test:${randomUUID()}:webchat:`;
  const raw = new Redis(REDIS_URL, { lazyConnect: true });
  const relays: ConversationRelay[] = [];
  const handlers = [gatedHandler(), gatedHandler()];
  let a: App;
  let b: App;
  let turn = 0;

  const dl = (app: App, path: string) => `${app.url}/v3/directline${path}`;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  /** The round-robin client: every call goes to the other instance unless one is named. */
  const next = (): App => (turn++ % 2 === 0 ? a : b);

  async function start(app: App): Promise<Json> {
    const res = await fetch(dl(app, '/conversations'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"locale":"uk"}' });
    expect(res.status).toBe(201);
    return (await res.json()) as Json;
  }

  async function post(app: App, c: Json, activity: Json): Promise<Response> {
    return fetch(dl(app, `/conversations/${c.conversationId}/activities`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth(c.token) },
      body: JSON.stringify(activity),
    });
  }

  async function poll(app: App, c: Json, watermark = 0): Promise<{ status: number; activities: Json[]; watermark: string }> {
    const res = await fetch(dl(app, `/conversations/${c.conversationId}/activities?watermark=${watermark}`), { headers: auth(c.token) });
    const body = (await res.json()) as Json;
    return { status: res.status, activities: body.activities ?? [], watermark: body.watermark };
  }

  /** Every key, value, list entry and hash field this run put in Redis, as one string. */
  async function dump(): Promise<{ keys: string[]; text: string }> {
    const keys = await raw.keys(`${prefix}*`);
    const parts: string[] = [...keys];
    for (const key of keys) {
      const type = await raw.type(key);
      if (type === 'hash') parts.push(JSON.stringify(await raw.hgetall(key)));
      else if (type === 'list') parts.push(...(await raw.lrange(key, 0, -1)));
      else if (type === 'string') parts.push((await raw.get(key)) ?? '');
    }
    return { keys, text: parts.join('\n') };
  }

  beforeAll(async () => {
    await raw.connect();
    const serve = async (i: number) => {
      const relay = createConversationRelay({ url: REDIS_URL, prefix });
      relays.push(relay);
      return serveWebChat({ handler: handlers[i]!.handler, relay, bufferTtlMs: BUFFER_TTL_MS, tokenTtlSeconds: TOKEN_TTL_S });
    };
    [a, b] = await Promise.all([serve(0), serve(1)]);
  });

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await Promise.all(relays.map((relay) => relay.close()));
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.del(...keys);
    await raw.quit();
  });

  it('starts on A, posts on B, and the reply is read on A by polling and on B by socket', async () => {
    const c = await start(a);
    // The greeting was produced on A; B reads it from Redis.
    const greeting = await until('the greeting on B', async () => {
      const got = await poll(b, c);
      return got.activities.length >= 2 ? got : undefined;
    });
    expect(greeting.activities.map((x) => x.text)).toEqual(['greeting', 'pick one']);
    expect(greeting.activities[0]).toMatchObject({ from: { role: 'bot' }, locale: 'uk', conversation: { id: c.conversationId } });
    expect(greeting.activities.map((x) => x.id)).toEqual([`${c.conversationId}|0000000`, `${c.conversationId}|0000001`]);

    // A's stream ticket opens a socket on B: tickets are sealed, not kept by the instance that issued them.
    const socketUrl = String(c.streamUrl).replace(new URL(a.url).host, new URL(b.url).host);
    const ws = new WebSocket(socketUrl);
    const pushed: Json[] = [];
    ws.on('message', (data) => pushed.push(...((JSON.parse(String(data)) as Json).activities as Json[])));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });

    const posted = await post(b, c, { type: 'message', text: 'hello from B', channelData: { clientActivityID: 'c1' } });
    expect(posted.status).toBe(200);
    const { id: echoId } = (await posted.json()) as Json;
    expect(echoId).toBe(`${c.conversationId}|0000002`);

    const onA = await until('the reply on A', async () => {
      const got = await poll(a, c, 2);
      return got.activities.some((x) => x.text === 'text:12') ? got : undefined;
    });
    expect(onA.activities.map((x) => x.text)).toEqual(['hello from B', 'text:12', 'next']);
    expect(onA.activities[1]).toMatchObject({ replyToId: echoId, from: { role: 'bot' } });
    expect(onA.watermark).toBe('5');

    // Produced on A this time, pushed through Redis to the socket on B.
    expect((await post(a, c, { type: 'message', value: { choice: 'menu.rights' } })).status).toBe(200);
    const texts = await until('the pushed reply on B', () => {
      const seen = pushed.map((x) => x.text);
      return seen.includes('choice:menu.rights') ? seen : undefined;
    });
    expect(texts).toEqual(expect.arrayContaining(['hello from B', 'text:12', 'choice:menu.rights']));
    // Gap-free and in order: every index once.
    const indices = pushed.map((x) => Number(String(x.id).split('|')[1]));
    expect(indices).toEqual([...new Set(indices)].sort((x, y) => x - y));
    expect(indices.at(-1)! - indices[0]! + 1).toBe(indices.length);
    ws.close();
  });

  it('answers a visitor’s posts in order even when a later one reaches the other instance first', async () => {
    const c = await start(a);
    await until('the greeting', async () => ((await poll(a, c)).activities.length >= 2 ? true : undefined));
    const release = handlers[0]!.hold('first, slow');
    const first = post(a, c, { type: 'message', text: 'first, slow' });
    await until('the first turn to run on A', () => (handlers[0]!.texts.includes('first, slow') ? true : undefined));
    const second = post(b, c, { type: 'message', text: 'second' });
    // The second post is stored and queued (its echo is there) but its turn must wait for the first.
    await until('the second echo', async () => ((await poll(a, c)).activities.some((x) => x.text === 'second') ? true : undefined));
    expect(handlers[1]!.texts).not.toContain('second');
    release();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);

    // Then a burst, alternating instances, nobody waiting for anybody.
    const burst = Array.from({ length: 6 }, (_, i) => 'x'.repeat(i + 1));
    const answers = await Promise.all(burst.map((text) => post(next(), c, { type: 'message', text })));
    expect(answers.map((r) => r.status)).toEqual(burst.map(() => 200));

    const all = (await poll(b, c)).activities;
    const echoes = all.filter((x) => x.from.role === 'user').map((x) => x.id as string);
    const replies = all.filter((x) => x.from.role === 'bot' && x.replyToId);
    // Each reply answers its own message, and replies come in the order of the messages.
    expect(replies.map((x) => x.replyToId)).toEqual(echoes.flatMap((id) => [id, id]));
    for (const reply of replies.filter((x) => x.text.startsWith('text:'))) {
      const echo = all.find((x) => x.id === reply.replyToId)!;
      expect(reply.text).toBe(`text:${String(echo.text).length}`);
    }
    expect(
      replies
        .filter((x) => x.text.startsWith('text:'))
        .slice(0, 2)
        .map((x) => x.text),
    ).toEqual(['text:11', 'text:6']);
  });

  it('keeps only ciphertext in Redis, under hashed names, with a TTL, and drops what was fetched', async () => {
    const marker = `passport-${randomBytes(6).toString('hex')}`;
    const c = await start(b);
    const key = JSON.parse(Buffer.from(String(c.token).split('.')[1]!, 'base64url').toString()).k as string;
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await post(a, c, { type: 'message', text: `they took my ${marker}` })).status).toBe(200);

    const { keys, text } = await dump();
    const mine = keys.filter((k) => !k.includes(':ticket:'));
    expect(mine.length).toBeGreaterThan(0);
    for (const secret of [marker, 'greeting', 'pick one', c.conversationId, key, Buffer.from(key, 'base64url').toString('base64'), '"uk"'])
      expect(text, `Redis holds ${secret}`).not.toContain(secret);

    const { hash, list } = keysOf(prefix, c.conversationId);
    expect(mine).toEqual(expect.arrayContaining([hash, list]));
    expect(await raw.llen(list)).toBe(5);
    const listTtl = await raw.pttl(list);
    expect(listTtl).toBeGreaterThan(0);
    expect(listTtl).toBeLessThanOrEqual(BUFFER_TTL_MS);
    const hashTtl = await raw.pttl(hash);
    expect(hashTtl).toBeGreaterThan(0);
    expect(hashTtl).toBeLessThanOrEqual(TOKEN_TTL_S * 1000);

    // The client acknowledges by asking for what comes after: delivered entries leave Redis.
    const got = await poll(a, c, 5);
    expect(got.activities).toEqual([]);
    expect(await raw.llen(list)).toBe(0);
  });

  it('drops undelivered activities older than the buffer TTL', async () => {
    const relay = createConversationRelay({ url: REDIS_URL, prefix });
    relays.push(relay);
    const short = await serveWebChat({ handler: handlers[0]!.handler, relay, bufferTtlMs: 30 });
    try {
      const c = await start(short);
      // Counted in Redis (the list itself may already be gone: that is the point).
      const { hash } = keysOf(prefix, c.conversationId);
      await until('the greeting to be stored', async () => ((await raw.hget(hash, 'next')) === '2' ? true : undefined));
      // Older than 30 ms on Redis's own clock (a slower machine only makes them older).
      await new Promise((resolve) => setTimeout(resolve, 60));
      const got = await poll(short, c, 0);
      expect(got.activities).toEqual([]);
      expect(got.watermark).toBe('2');
    } finally {
      await short.close();
    }
  });

  it('a quick exit on A revokes the token on B, closes B’s socket and deletes every key', async () => {
    const c = await start(a);
    await until('the greeting', async () => ((await poll(b, c)).activities.length >= 2 ? true : undefined));
    const { hash, list } = keysOf(prefix, c.conversationId);
    expect(await raw.exists(hash, list)).toBe(2);
    const ws = new WebSocket(String(c.streamUrl).replace(new URL(a.url).host, new URL(b.url).host));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });

    expect((await post(a, c, { type: 'event', name: 'quickExit' })).status).toBe(200);
    expect(await closed).toBe(1000);
    expect((await poll(b, c)).status).toBe(404);
    expect((await post(b, c, { type: 'message', text: 'still there?' })).status).toBe(404);
    const refresh = await fetch(dl(b, '/tokens/refresh'), { method: 'POST', headers: auth(c.token) });
    expect(refresh.status).toBe(404);
    expect(handlers[1]!.texts).not.toContain('still there?');
    expect(await raw.exists(hash, list)).toBe(0);
  });

  it('survives Redis losing its data: a conversation comes back with a higher watermark, an ended one does not', async () => {
    const live = await start(a);
    const ended = await start(a);
    for (const c of [live, ended]) await until('the greeting', async () => ((await poll(b, c)).activities.length >= 2 ? true : undefined));
    const before = Number((await poll(a, live, 2)).watermark);
    expect(before).toBe(2);
    expect((await post(a, ended, { type: 'event', name: 'quickExit' })).status).toBe(200);
    // A restart without persistence: every key goes, the quick exit's tombstone too.
    await raw.del(...(await raw.keys(`${prefix}*`)));

    expect((await post(a, live, { type: 'message', text: 'are you there' })).status).toBe(200);
    const after = await poll(a, live, before);
    expect(after.activities.map((x) => x.text)).toEqual(['are you there', 'text:13', 'next']);
    expect(Number(after.watermark)).toBeGreaterThan(before + 3);
    // Ids never repeat one the browser has seen.
    for (const activity of after.activities) expect(Number(String(activity.id).split('|')[1])).toBeGreaterThanOrEqual(before);
    // Restored once, for every instance.
    expect((await poll(b, live, Number(after.watermark))).status).toBe(200);
    // The quick-exited one stays ended: the instances forget an ended conversation (A ended it, B heard of it).
    expect((await poll(a, ended)).status).toBe(404);
    expect((await poll(b, ended)).status).toBe(404);
  });

  it('a ticket opens one socket once, on any instance', async () => {
    const c = await start(a);
    const first = new WebSocket(String(c.streamUrl));
    await new Promise<void>((resolve, reject) => {
      first.once('open', () => resolve());
      first.once('error', reject);
    });
    first.close();
    const again = new WebSocket(String(c.streamUrl).replace(new URL(a.url).host, new URL(b.url).host));
    const status = await new Promise<string>((resolve) => {
      again.once('open', () => resolve('opened'));
      again.once('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
    });
    expect(status).toBe('403');
  });
});

describe.runIf(reachable)('lantern serve twice on STORE=redis (the real bot)', () => {
  let servers: RunningServer[] = [];
  beforeAll(async () => {
    const env = {
      STORE: 'redis',
      REDIS_URL,
      HASH_SECRET: `two-servers-${randomBytes(16).toString('hex')}`,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      CLIENT_RATE_LIMIT: 'off',
      LOCALES_DIR: shippedPaths.localesDir,
    };
    servers = await Promise.all([startServer({ env }), startServer({ env })]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it('answers SOS posted on B in the country chosen on A, and a quick exit on B ends it on A', async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    const dl = (server: RunningServer, path: string) => `${server.url}/v3/directline${path}`;
    const started = (await (
      await fetch(dl(a, '/conversations'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"locale":"en","country":"MD"}' })
    ).json()) as Json;
    const auth = { authorization: `Bearer ${started.token}`, 'content-type': 'application/json' };
    const path = `/conversations/${started.conversationId}/activities`;
    const posted = await fetch(dl(b, path), { method: 'POST', headers: auth, body: JSON.stringify({ type: 'message', text: 'SOS' }) });
    expect(posted.status).toBe(200);
    const read = (await (await fetch(dl(a, `${path}?watermark=0`), { headers: auth })).json()) as Json;
    const bot = JSON.stringify(read.activities.filter((x: Json) => x.from.role === 'bot'));
    // Moldova's emergency number (flows/hotlines.yaml), on the other instance than the one asked.
    expect(bot).toContain('tel:112');
    expect((await fetch(dl(b, `/conversations/${started.conversationId}`), { method: 'DELETE', headers: auth })).status).toBe(204);
    expect((await fetch(dl(a, `${path}?watermark=0`), { headers: auth })).status).toBe(404);
  }, 60_000);
});

describe('web chat on a Redis that is down', () => {
  it('answers 503 with a retry hint, keeps serving, and never crashes', async () => {
    const crashes: unknown[] = [];
    const onCrash = (error: unknown) => crashes.push(error);
    process.on('unhandledRejection', onCrash);
    process.on('uncaughtException', onCrash);
    const consoleError = vi.spyOn(console, 'error');
    // Port 1 refuses connections.
    const relay = createConversationRelay({ url: 'redis://127.0.0.1:1', prefix: 'unused:' });
    const app = await serveWebChat({ relay });
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const res = await fetch(`${app.url}/v3/directline/conversations`, { method: 'POST' });
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBe('5');
        expect(((await res.json()) as Json).error.code).toBe('ServiceUnavailable');
      }
      // The pages that need no store still answer.
      expect((await fetch(`${app.url}/widget.js`)).status).toBe(200);
      expect(crashes).toEqual([]);
      expect(consoleError).not.toHaveBeenCalled();
      expect(app.logEntries.join('\n')).toContain('web chat request failed');
    } finally {
      consoleError.mockRestore();
      await app.close();
      await relay.close();
      process.off('unhandledRejection', onCrash);
      process.off('uncaughtException', onCrash);
    }
  });
});
