import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { SessionStore, Versioned } from './session-store.js';
import { checkPutArgs } from './check-put-args.js';

interface PutParams {
  key: string;
  value: string;
  expected: number;
  expiresAt: number;
  now: number;
}

/** How often expired rows are deleted from the file (checked on writes and by a timer). */
const PURGE_EVERY_MS = 60_000;
/** How long a write waits for another process's lock (better-sqlite3's default). */
const BUSY_WAIT_MS = 5_000;
/** How long the checkpoint after a delete waits for other processes' readers. */
const CHECKPOINT_WAIT_MS = 50;

/**
 * The default store: one SQLite file, no other service to run. WAL lets several processes on
 * one machine share the file; every compare-and-set is a single statement, so it stays atomic
 * across them too. `now` lets tests move time instead of sleeping.
 */
export function createSqliteStore(options: { path: string; now?: () => number }): SessionStore {
  const { path } = options;
  const now = options.now ?? Date.now;
  const inMemory = path === ':memory:' || path === '';
  // The folder holds private session data: only the service user may enter folders we create.
  if (!inMemory) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });

  const db = new Database(path, { timeout: BUSY_WAIT_MS });
  db.pragma('journal_mode = WAL');
  // NORMAL under WAL cannot corrupt the file; a power cut may lose the last turns, not the db.
  db.pragma('synchronous = NORMAL');
  // A deleted session must be gone from the disk, not only unlinked: freed space and pages are
  // overwritten with zeros, and after each delete the WAL is checkpointed and truncated (see forgetOnDisk).
  db.pragma('secure_delete = ON');
  db.exec(`
    CREATE TABLE IF NOT EXISTS sessions (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL,
      version INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS sessions_expires_at ON sessions (expires_at);
  `);

  const selectLive = db.prepare<[string, number], Versioned>('SELECT value, version FROM sessions WHERE key = ? AND expires_at > ?');
  // expected = 0: insert, or take over a row that has expired but not yet been purged.
  const insertNew = db.prepare<[Omit<PutParams, 'expected'>], { version: number }>(`
    INSERT INTO sessions (key, value, version, expires_at) VALUES (@key, @value, 1, @expiresAt)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = 1, expires_at = excluded.expires_at
      WHERE sessions.expires_at <= @now
    RETURNING version
  `);
  const updateIfVersion = db.prepare<[PutParams], { version: number }>(`
    UPDATE sessions SET value = @value, version = version + 1, expires_at = @expiresAt
    WHERE key = @key AND version = @expected AND expires_at > @now
    RETURNING version
  `);
  const deleteKey = db.prepare<[string]>('DELETE FROM sessions WHERE key = ?');
  const deleteExpired = db.prepare<[number]>('DELETE FROM sessions WHERE expires_at <= ?');
  const selectOne = db.prepare('SELECT 1');

  /**
   * Copies the WAL into the database and truncates it to zero bytes, so that the frames holding
   * older versions of a deleted session leave the disk too (secure_delete alone zeros only the
   * newest copy). Another process reading an older snapshot can make it partial (SQLITE_BUSY):
   * the next delete or purge retries, and SQLite's own checkpoints overwrite the frames meanwhile.
   */
  const forgetOnDisk = (): void => {
    if (inMemory) return;
    // TRUNCATE waits for readers of other processes; a turn must not wait seconds for housekeeping.
    db.pragma(`busy_timeout = ${CHECKPOINT_WAIT_MS}`);
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // Busy: see above. A forget that deleted the row has succeeded; never fail it over this.
    } finally {
      db.pragma(`busy_timeout = ${BUSY_WAIT_MS}`);
    }
  };

  let lastPurge = now();
  const purgeIfDue = (): void => {
    const t = now();
    if (t - lastPurge < PURGE_EVERY_MS || !db.open) return;
    lastPurge = t;
    try {
      if (deleteExpired.run(t).changes > 0) forgetOnDisk();
    } catch {
      // SQLITE_BUSY from another process: a later purge retries. Never fail a put that already
      // succeeded, nor crash from the timer, over housekeeping.
    }
  };
  // The timer covers quiet periods: expired sessions must leave the disk even with no traffic.
  const timer = setInterval(purgeIfDue, PURGE_EVERY_MS);
  timer.unref();

  return {
    async get(key) {
      const row = selectLive.get(key, now());
      return row === undefined ? undefined : { value: row.value, version: row.version };
    },
    async put(key, value, expected, ttlMs) {
      const ttl = checkPutArgs(expected, ttlMs);
      const t = now();
      const params = { key, value, expiresAt: t + ttl, now: t };
      const row = expected === 0 ? insertNew.get(params) : updateIfVersion.get({ ...params, expected });
      if (row === undefined) return false;
      purgeIfDue();
      return row.version;
    },
    async delete(key) {
      if (deleteKey.run(key).changes > 0) forgetOnDisk();
    },
    async ping() {
      selectOne.get();
    },
    async close() {
      clearInterval(timer);
      if (db.open) db.close();
    },
  };
}
