/** The Telegram message ids kept in the session store for /forget: numbers only, bounded, expiring. */
import { describe, expect, it } from 'vitest';
import { createSentIdStore } from '../../src/server/sent-id-store.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import type { SessionStore } from '../../src/store/index.js';

const TTL = 60_000;
const keyOf = (chatId: string) => `hmac-of-${chatId}`;

function setup(store: SessionStore = createMemoryStore()) {
  return { store, ids: createSentIdStore(store, keyOf, TTL) };
}

describe('createSentIdStore', () => {
  it('gives back every id added to a chat, in order, once: take empties the list', async () => {
    const { ids } = setup();
    await ids.add('7', 10);
    await ids.add('7', 11);
    await ids.add('8', 99);
    expect(await ids.take('7')).toEqual([10, 11]);
    expect(await ids.take('7')).toEqual([]);
    expect(await ids.take('8')).toEqual([99]);
  });

  it('stores a JSON array of numbers under the suffixed key, and removes it on take', async () => {
    let time = 1_000;
    const store = createMemoryStore({ now: () => time });
    const { ids } = setup(store);
    await ids.add('7', 10);
    expect(JSON.parse((await store.get('hmac-of-7:sent'))!.value)).toEqual([10]);
    expect(await store.get('hmac-of-7')).toBeUndefined();
    await ids.take('7');
    time += 1;
    expect(await store.get('hmac-of-7:sent')).toBeUndefined();
  });

  it('keeps only the last 100 ids of a chat', async () => {
    const { ids } = setup();
    for (let id = 1; id <= 130; id++) await ids.add('7', id);
    expect(await ids.take('7')).toEqual(Array.from({ length: 100 }, (_, i) => i + 31));
  });

  it('expires with the session TTL, counted from the last add', async () => {
    let time = 1_000;
    const { ids } = setup(createMemoryStore({ now: () => time }));
    await ids.add('7', 1);
    time += TTL - 1;
    await ids.add('7', 2);
    time += TTL - 1;
    expect(await ids.take('7')).toEqual([1, 2]);
    await ids.add('8', 3);
    time += TTL;
    expect(await ids.take('8')).toEqual([]);
  });

  it('loses no id when many adds race on one chat', async () => {
    const { ids } = setup();
    const all = Array.from({ length: 20 }, (_, i) => 500 + i);
    await Promise.all(all.map((id) => ids.add('7', id)));
    expect((await ids.take('7')).sort((a, b) => a - b)).toEqual(all);
  });

  it('loses no id added while a take is under way: it is taken now or left for the next take', async () => {
    const { ids } = setup();
    for (let id = 1; id <= 5; id++) await ids.add('7', id);
    const [taken] = await Promise.all([ids.take('7'), ids.add('7', 6), ids.add('7', 7)]);
    const rest = await ids.take('7');
    expect([...taken, ...rest].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('ignores a stored value that is not a list of numbers', async () => {
    const { store, ids } = setup();
    await store.put('hmac-of-7:sent', '{"text":"hello"}', 0, TTL);
    await ids.add('7', 3);
    expect(await ids.take('7')).toEqual([3]);
  });

  it('gives up after a bounded number of conflicts instead of spinning', async () => {
    const memory = createMemoryStore();
    const alwaysConflicts: SessionStore = { ...memory, put: async () => false };
    const { ids } = setup(alwaysConflicts);
    await expect(ids.add('7', 1)).rejects.toThrow(/contended/);
  });
});
