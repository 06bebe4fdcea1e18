import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { numbersOf, parseSession, type Inbound, type Log } from '../../src/engine/index.js';
import { createConversationService } from '../../src/server/index.js';
import { createSessionStore, type SessionStore } from '../../src/store/index.js';
import { shippedEngine } from '../helpers/content.js';

const { engine } = shippedEngine();
const silent: Log = { debug() {}, info() {}, warn() {}, error() {} };
const SECRET = 'test-secret-0123456789';
const make = (store: SessionStore, log = silent) => createConversationService({ engine: () => engine, store, hashSecret: SECRET, ttlMs: 60_000, log });
const msg = (conversation: string, event: Inbound['event']): Inbound => ({ conversation, channel: 'telegram', event });

describe('conversation service', () => {
  it('keys sessions by an HMAC of channel and user id, identical to createHmac', async () => {
    const store = createSessionStore({ kind: 'memory' });
    const service = make(store);
    const key = service.keyOf({ channel: 'telegram', conversation: '123456789' });
    expect(key).toBe(createHmac('sha256', SECRET).update('telegram\u0000123456789').digest('base64url'));
    expect(service.keyOf({ channel: 'webchat', conversation: '123456789' })).not.toBe(key);
    const longSecret = createConversationService({ engine: () => engine, store, hashSecret: 'k'.repeat(100), ttlMs: 1, log: silent });
    expect(longSecret.keyOf({ channel: 'test', conversation: 'é' })).toBe(createHmac('sha256', 'k'.repeat(100)).update('test\u0000é').digest('base64url'));
  });

  it('stores state, never the raw id or the message text', async () => {
    const store = createSessionStore({ kind: 'memory' });
    const service = make(store);
    await service.handle(msg('555000111', { type: 'start', payload: 'md' }));
    await service.handle(msg('555000111', { type: 'text', text: 'PELICAN-MARKER and some words' }));
    const stored = await store.get(service.keyOf({ channel: 'telegram', conversation: '555000111' }));
    expect(stored).toBeDefined();
    expect(stored!.value).not.toContain('555000111');
    expect(stored!.value).not.toContain('PELICAN');
    expect(parseSession(stored!.value)).toMatchObject({ flow: 'main', state: 'menu', ctx: { country: 'MD' } });
    expect(Buffer.byteLength(stored!.value)).toBeLessThan(1024);
  });

  it('forgets: the session is gone from the store at once', async () => {
    const store = createSessionStore({ kind: 'memory' });
    const service = make(store);
    await service.handle(msg('u1', { type: 'start' }));
    const reply = await service.handle(msg('u1', { type: 'command', command: 'forget' }));
    expect(reply.messages.some((m) => m.type === 'forget')).toBe(true);
    expect(await store.get(service.keyOf({ channel: 'telegram', conversation: 'u1' }))).toBeUndefined();
  });

  it('runs the turns of one conversation one at a time, in order', async () => {
    const store = createSessionStore({ kind: 'memory' });
    const service = make(store);
    await service.handle(msg('u2', { type: 'start' }));
    const presses = await Promise.all([
      service.handle(msg('u2', { type: 'choice', id: 'main/menu/rights' })),
      service.handle(msg('u2', { type: 'choice', id: 'facts/pick/rights' })),
      service.handle(msg('u2', { type: 'choice', id: 'fact_topic/more/another' })),
    ]);
    // Each press saw the state the previous one left: none expired.
    for (const reply of presses) expect(reply.messages.map((m) => ('key' in m ? m.key : ''))).not.toContain('system.expired');
  });

  it('handleInOrder (for a channel that queues itself) runs the turn without the queue, and drain still waits for it', async () => {
    const store = createSessionStore({ kind: 'memory' });
    let release!: () => void;
    let gate = new Promise<void>((resolve) => (release = resolve));
    let reads = 0;
    // The first read waits for the gate: that turn stays in flight until it opens.
    const slow: SessionStore = { ...store, get: async (key) => (reads++ === 0 ? await gate : undefined, store.get(key)) };
    const service = make(slow);
    let queuedDone = false;
    const queued = service.handle(msg('u3', { type: 'start' })).then(() => (queuedDone = true));
    while (reads === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    // Not behind the blocked turn of the same conversation: the caller keeps the order itself.
    expect((await service.handleInOrder(msg('u3', { type: 'start' }))).messages.length).toBeGreaterThan(0);
    expect(queuedDone).toBe(false);
    release();
    await queued;

    // drain() waits for a turn run through handleInOrder.
    reads = 0;
    gate = new Promise<void>((resolve) => (release = resolve));
    const inOrder = service.handleInOrder(msg('u4', { type: 'start' }));
    let drained = false;
    const draining = service.drain().then(() => (drained = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(drained).toBe(false);
    release();
    await inOrder;
    await draining;
    expect(drained).toBe(true);
  });

  it('two instances on one store lose no turn: a conflicting write is recomputed', async () => {
    const store = createSessionStore({ kind: 'memory' });
    const a = make(store);
    const b = make(store);
    await a.handle(msg('u3', { type: 'start' }));
    await a.handle(msg('u3', { type: 'choice', id: 'main/menu/rights' }));
    await a.handle(msg('u3', { type: 'choice', id: 'facts/pick/rights' }));
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).handle(msg('u3', { type: 'choice', id: 'fact_topic/more/another' }))),
    );
    expect(replies.every((r) => r.messages.some((m) => m.type === 'link'))).toBe(true);
    const session = parseSession((await store.get(a.keyOf({ channel: 'telegram', conversation: 'u3' })))!.value)!;
    expect(session.ctx.factCursor).toBe(21); // 1 from the first fact + 20 presses, none lost
    expect(session.turns).toBe(23);
  });

  it('with the store down, still answers: emergency numbers for an emergency, an apology with the hotline otherwise', async () => {
    const errors: object[] = [];
    const down: SessionStore = {
      get: async () => {
        throw new Error('ECONNREFUSED');
      },
      put: async () => {
        throw new Error('ECONNREFUSED');
      },
      delete: async () => {
        throw new Error('ECONNREFUSED');
      },
      ping: async () => {
        throw new Error('ECONNREFUSED');
      },
      close: async () => {},
    };
    const service = make(down, { ...silent, error: (fields: object) => void errors.push(fields) });
    const sos = await service.handle({ ...msg('u4', { type: 'text', text: 'SOS' }), countryHint: 'UA' });
    expect(sos.messages[0]).toMatchObject({ key: 'emergency.intro' });
    expect(numbersOf(sos.messages).some((n) => n.number === '112')).toBe(true);
    const other = await service.handle(msg('u4', { type: 'choice', id: 'main/menu/rights' }));
    expect(other.messages[0]).toMatchObject({ key: 'system.error' });
    expect(numbersOf(other.messages).length > 0).toBe(true);
    expect(JSON.stringify(errors)).not.toContain('u4');
  });

  it('a failing turn becomes a kind apology with the hotline, and the conversation goes on', async () => {
    const store = createSessionStore({ kind: 'memory' });
    let fail = true;
    const flaky: SessionStore = {
      ...store,
      get: store.get.bind(store),
      delete: store.delete.bind(store),
      ping: store.ping.bind(store),
      close: store.close.bind(store),
      put: async (...args) => (fail ? Promise.reject(new Error('disk full')) : store.put(...args)),
    };
    const service = make(flaky);
    const failed = await service.handle(msg('u5', { type: 'start' }));
    expect(failed.messages[0]).toMatchObject({ key: 'system.error' });
    fail = false;
    const next = await service.handle(msg('u5', { type: 'start' }));
    expect(next.messages.map((m) => ('key' in m ? m.key : ''))).toContain('menu.question');
  });
});

describe('rate limit', () => {
  it('answers a flood politely without running turns, and still answers an emergency', async () => {
    const store = createSessionStore({ kind: 'memory' });
    let t = 0;
    const service = createConversationService({
      engine: () => engine,
      store,
      hashSecret: SECRET,
      ttlMs: 60_000,
      log: silent,
      now: () => t,
      rateLimit: { turns: 3, windowMs: 1000 },
    });
    for (let i = 0; i < 3; i++) expect((await service.handle(msg('f1', { type: 'start' }))).messages[0]).toMatchObject({ key: 'menu.welcome' });
    const slowed = await service.handle(msg('f1', { type: 'start' }));
    expect(slowed.messages).toEqual([expect.objectContaining({ key: 'system.rate_limited' })]);
    const stored = await store.get(service.keyOf({ channel: 'telegram', conversation: 'f1' }));
    expect(parseSession(stored!.value)!.turns).toBe(3); // the fourth turn did not run
    const sos = await service.handle(msg('f1', { type: 'text', text: 'sos' }));
    expect(numbersOf(sos.messages).length > 0).toBe(true);
    t = 1500; // a new window
    expect((await service.handle(msg('f1', { type: 'command', command: 'menu' }))).messages.at(-1)).toMatchObject({ key: 'menu.question' });
    // Other conversations are not affected by one flood.
    expect((await service.handle(msg('f2', { type: 'start' }))).messages[0]).toMatchObject({ key: 'menu.welcome' });
  });
});

describe('forget is never rate limited', () => {
  /** A service on the default limit (30 turns per 10 s) with frozen time, and a conversation that used up its 30 turns. */
  async function flooded(conversation: string) {
    const store = createSessionStore({ kind: 'memory' });
    const service = createConversationService({ engine: () => engine, store, hashSecret: SECRET, ttlMs: 60_000, log: silent, now: () => 0 });
    const key = service.keyOf({ channel: 'telegram', conversation });
    await service.handle(msg(conversation, { type: 'start' }));
    for (let i = 1; i < 30; i++) await service.handle(msg(conversation, { type: 'command', command: 'menu' }));
    expect(parseSession((await store.get(key))!.value)).toMatchObject({ turns: 30, flow: 'main', state: 'menu' });
    // The 31st turn in the window is slowed down, and does not run.
    const slowed = await service.handle(msg(conversation, { type: 'command', command: 'menu' }));
    expect(slowed.messages).toEqual([expect.objectContaining({ key: 'system.rate_limited' })]);
    expect(parseSession((await store.get(key))!.value)!.turns).toBe(30);
    return { service, store, key };
  }

  const forgets: [string, Inbound['event']][] = [
    ['/forget', { type: 'command', command: 'forget' }],
    ['/stop', { type: 'command', command: 'stop' }],
    ['typed "delete my data"', { type: 'text', text: 'delete my data' }],
    ['the forget button of the menu', { type: 'choice', id: 'main/menu/forget' }],
  ];
  it.each(forgets)('after 30 turns in 10 s, %s still deletes the session at once', async (_name, event) => {
    const { service, store, key } = await flooded('flood-forget');
    const reply = await service.handle(msg('flood-forget', event));
    expect(reply.messages.some((m) => m.type === 'forget')).toBe(true);
    expect(await store.get(key)).toBeUndefined();
  });

  it('other presses and words stay slowed down (only forget passes)', async () => {
    const { service, store, key } = await flooded('flood-other');
    for (const event of [
      { type: 'choice', id: 'main/menu/hotline' },
      { type: 'text', text: 'hello there' },
      { type: 'command', command: 'help' },
    ] satisfies Inbound['event'][])
      expect((await service.handle(msg('flood-other', event))).messages).toEqual([expect.objectContaining({ key: 'system.rate_limited' })]);
    expect(parseSession((await store.get(key))!.value)!.turns).toBe(30);
  });
});
