import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import { createSessionStore } from '../../src/store/index.js';
import { describeSessionStore } from './session-store.contract.js';

const DAY = 86_400_000;
const tempRoot = mkdtempSync(join(tmpdir(), 'lantern-sqlite-store-'));
afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));

describeSessionStore('sqlite :memory:', (now) => createSqliteStore({ path: ':memory:', now }));

let fileCount = 0;
describeSessionStore('sqlite file', (now) => createSqliteStore({ path: join(tempRoot, `contract-${++fileCount}.db`), now }));

describe('sqlite store on disk', () => {
  it('creates missing parent folders and keeps sessions across a reopen', async () => {
    const path = join(tempRoot, 'nested', 'deeper', 'lantern.db');
    const first = createSqliteStore({ path });
    expect(await first.put('k', '{"state":"menu"}', 0, DAY)).toBe(1);
    await first.close();
    expect(statSync(join(tempRoot, 'nested', 'deeper')).isDirectory()).toBe(true);

    const second = createSqliteStore({ path });
    expect(await second.get('k')).toEqual({ value: '{"state":"menu"}', version: 1 });
    expect(await second.put('k', 'next', 1, DAY)).toBe(2);
    await second.close();
  });

  it('uses WAL journal mode and a single sessions table', async () => {
    const path = join(tempRoot, 'wal.db');
    const store = createSqliteStore({ path });
    await store.put('k', 'v', 0, DAY);
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      const tables = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
      expect(tables).toEqual([{ name: 'sessions' }]);
    } finally {
      raw.close();
      await store.close();
    }
  });

  it('deletes expired rows from the file, not only hides them', async () => {
    const path = join(tempRoot, 'purge.db');
    let time = Date.UTC(2030, 0, 1);
    const store = createSqliteStore({ path, now: () => time });
    const raw = new Database(path, { readonly: true });
    const count = () => (raw.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;
    try {
      await store.put('old-1', 'a', 0, 1_000);
      await store.put('old-2', 'b', 0, 1_000);
      await store.put('live', 'c', 0, DAY);
      expect(count()).toBe(3);
      time += 10 * 60_000; // past both the short TTLs and the purge interval
      await store.put('trigger', 'd', 0, DAY);
      expect(count()).toBe(2);
      expect(await store.get('live')).toEqual({ value: 'c', version: 1 });
    } finally {
      raw.close();
      await store.close();
    }
  });

  it('shares one file between two store instances without losing an update', async () => {
    const path = join(tempRoot, 'shared.db');
    const a = createSqliteStore({ path });
    const b = createSqliteStore({ path });
    try {
      expect(await a.put('k', 'from a', 0, DAY)).toBe(1);
      expect(await b.put('k', 'from b', 0, DAY)).toBe(false);
      expect(await b.put('k', 'from b', 1, DAY)).toBe(2);
      expect(await a.put('k', 'stale a', 1, DAY)).toBe(false);
      expect(await a.get('k')).toEqual({ value: 'from b', version: 2 });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('is what createSessionStore builds for kind sqlite', async () => {
    const path = join(tempRoot, 'factory', 'lantern.db');
    const store = createSessionStore({ kind: 'sqlite', path });
    expect(await store.put('k', 'v', 0, DAY)).toBe(1);
    await store.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT key, value, version FROM sessions').all()).toEqual([{ key: 'k', value: 'v', version: 1 }]);
    raw.close();
  });
});
