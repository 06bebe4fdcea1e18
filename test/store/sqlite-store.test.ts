import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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

describe('sqlite store: forgetting means gone from the disk', () => {
  /** Every byte of the database, its WAL and its shared-memory index, as read from the disk. */
  const diskBytes = (path: string) =>
    ['', '-wal', '-shm']
      .map((suffix) => path + suffix)
      .filter((file) => existsSync(file))
      .map((file) => readFileSync(file).toString('latin1'))
      .join('\n');
  // Each version of a session: several writes leave several copies in the WAL, and a value over
  // a page long spills to overflow pages that a delete frees.
  const versions = ['short', 'longer', 'x'.repeat(6000)].map((tail, i) => `{"answers":{"passport_kept":"yes-${i}-SECRETANSWER"},"pad":"${tail}"}`);

  it('a deleted session is in neither lantern.db, -wal nor -shm while the store stays open', async () => {
    const path = join(tempRoot, 'forget', 'lantern.db');
    const store = createSqliteStore({ path });
    try {
      await store.put('other', '{"answers":{"kept":"LIVEMARKER"}}', 0, DAY);
      let version = 0;
      for (const value of versions) version = (await store.put('victim', value, version, DAY)) as number;
      expect(version).toBe(3);
      expect(diskBytes(path)).toContain('SECRETANSWER');
      await store.delete('victim');
      const bytes = diskBytes(path);
      expect(bytes).not.toContain('SECRETANSWER');
      // Not an empty read: the live session is still on the disk.
      expect(bytes).toContain('LIVEMARKER');
      expect(await store.get('other')).toBeDefined();
    } finally {
      await store.close();
    }
  });

  it('expired sessions swept by the purge leave no bytes behind either', async () => {
    const path = join(tempRoot, 'forget-expired', 'lantern.db');
    let time = Date.UTC(2030, 0, 1);
    const store = createSqliteStore({ path, now: () => time });
    try {
      let version = 0;
      for (const value of versions) version = (await store.put('victim', value, version, 1_000)) as number;
      expect(diskBytes(path)).toContain('SECRETANSWER');
      time += 10 * 60_000; // past the TTL and the purge interval
      await store.put('trigger', '{"answers":{"kept":"LIVEMARKER"}}', 0, DAY);
      const bytes = diskBytes(path);
      expect(bytes).not.toContain('SECRETANSWER');
      expect(bytes).toContain('LIVEMARKER');
    } finally {
      await store.close();
    }
  });
});
