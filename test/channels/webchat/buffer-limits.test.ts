/**
 * Direct Line keeps conversations and undelivered activities in memory: floods of anonymous
 * starts and of 64 KB messages must neither kill the process nor push out live visitors.
 */
import { describe, expect, it } from 'vitest';
import { serveWebChat } from './serve-web-chat.js';

type Json = Record<string, any>;
type App = Awaited<ReturnType<typeof serveWebChat>>;

/** Starts a conversation the way the widget does (a token for a new conversation), or as Web Chat does (`conversations`). */
async function start(app: App, path: 'tokens/generate' | 'conversations' = 'conversations'): Promise<Json & { status: number }> {
  const res = await fetch(`${app.url}/v3/directline/${path}`, { method: 'POST' });
  return { status: res.status, ...((await res.json()) as Json) };
}

async function post(app: App, c: Json, text: string): Promise<number> {
  const res = await fetch(`${app.url}/v3/directline/conversations/${c.conversationId}/activities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${c.token}` },
    body: JSON.stringify({ type: 'message', text }),
  });
  await res.arrayBuffer();
  return res.status;
}

async function read(app: App, c: Json): Promise<{ status: number; texts: string[] }> {
  const res = await fetch(`${app.url}/v3/directline/conversations/${c.conversationId}/activities?watermark=0`, {
    headers: { authorization: `Bearer ${c.token}` },
  });
  const body = res.ok ? ((await res.json()) as Json) : { activities: [] };
  return { status: res.status, texts: body.activities.map((a: Json) => a.text) };
}

/** A live visitor: started, and said something. Resolves once the bot's answer is there. */
async function visitor(app: App, text: string): Promise<Json> {
  const c = await start(app);
  expect(await post(app, c, text)).toBe(200);
  await expect.poll(async () => (await read(app, c)).texts).toContain(`text:${text.length}`);
  return c;
}

/** Runs `count` tasks, at most `width` at a time. */
async function pool(count: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

describe('Direct Line under a flood', () => {
  it('10,000 anonymous conversation starts (cap 1,000): all 20 live visitors keep their conversations', async () => {
    const app = await serveWebChat({ maxConversations: 1_000 });
    try {
      const live = [];
      for (let i = 0; i < 20; i++) live.push(await visitor(app, `hello ${i}`));
      const statuses = new Map<number, number>();
      await pool(10_000, 16, async (i) => {
        const { status } = await start(app, i % 2 ? 'conversations' : 'tokens/generate');
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      });
      // The anonymous starts make room for each other: none refused, none of the visitors evicted.
      expect(Object.fromEntries(statuses)).toEqual({ 200: 5_000, 201: 5_000 });
      expect(app.webChat.stats().conversations).toBeLessThanOrEqual(1_000);
      for (const [i, c] of live.entries()) {
        const got = await read(app, c);
        expect(got.status, `visitor ${i}`).toBe(200);
        expect(got.texts).toContain(`hello ${i}`);
        expect(await post(app, c, 'still here')).toBe(200);
      }
    } finally {
      await app.close();
    }
  }, 120_000);

  it('when every slot is a live visitor, a new start is refused (503) rather than evicting one; a visitor quiet for 10 min makes room', async () => {
    let clock = Date.parse('2030-01-01T00:00:00Z');
    const app = await serveWebChat({ maxConversations: 5, now: () => clock });
    try {
      const live = [];
      for (let i = 0; i < 5; i++) live.push(await visitor(app, `hi ${i}`));
      const refused = await start(app);
      expect(refused.status).toBe(503);
      for (const c of live) expect((await read(app, c)).status).toBe(200);
      // Four speak again after 11 minutes; the quiet one is the one to go.
      clock += 11 * 60_000;
      for (const c of live.slice(1)) expect(await post(app, c, 'again')).toBe(200);
      expect((await start(app)).status).toBe(201);
      expect((await read(app, live[0]!)).status).toBe(404);
      for (const c of live.slice(1)) expect((await read(app, c)).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('64 KB messages ×64 × 20 conversations: buffers stay under 256 KB each and 2 MB in all (≈80 MB uncapped); a live visitor keeps theirs', async () => {
    const cap = 2 * 1024 * 1024;
    const app = await serveWebChat({ maxBufferedBytes: cap });
    try {
      const ad = 'x'.repeat(63 * 1024);
      // One conversation alone: 64 × 63 KB posted, at most 256 KB kept.
      const single = await start(app);
      for (let i = 0; i < 64; i++) expect(await post(app, single, ad)).toBe(200);
      await expect.poll(async () => (await read(app, single)).texts).toContain(`text:${ad.length}`);
      expect(app.webChat.stats().bufferedBytes).toBeLessThanOrEqual(256 * 1024 + 8 * 1024);

      const friend = await visitor(app, 'is this offer real?');
      const floods = await Promise.all(Array.from({ length: 20 }, () => start(app)));
      let peak = 0;
      await pool(20 * 64, 8, async (i) => {
        expect(await post(app, floods[i % 20]!, ad)).toBe(200);
        peak = Math.max(peak, app.webChat.stats().bufferedBytes);
      });
      // Without the caps: 20 × 64 × 63 KB ≈ 80 MB.
      expect(peak).toBeLessThanOrEqual(cap);
      const got = await read(app, friend);
      expect(got.status).toBe(200);
      expect(got.texts).toContain('is this offer real?');
      expect(got.texts).toContain(`text:${'is this offer real?'.length}`);
    } finally {
      await app.close();
    }
  }, 120_000);
});
