/**
 * Forgetting means gone: after /forget or the widget's quick exit, the bytes of the screening
 * answers are nowhere in lantern.db, lantern.db-wal or lantern.db-shm, read from the disk both
 * while the real server still runs and after it stopped.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Inbound } from '../../src/engine/index.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { shippedPaths } from '../helpers/content.js';

/** Every byte of the database, its WAL and its shared-memory index. */
function diskBytes(path: string): string {
  return ['', '-wal', '-shm']
    .map((suffix) => path + suffix)
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file).toString('latin1'))
    .join('\n');
}

/** The stored sessions, read by a connection that is closed again at once (an open reader would hold the WAL). */
function storedSessions(path: string): { answers: Record<string, string>; turns: number }[] {
  const raw = new Database(path, { readonly: true });
  try {
    return (raw.prepare('SELECT value FROM sessions').all() as { value: string }[]).map((row) => {
      const session = JSON.parse(row.value) as { ctx: { answers: Record<string, string> }; turns: number };
      return { answers: session.ctx.answers, turns: session.turns };
    });
  } finally {
    raw.close();
  }
}

describe('forgetting means gone from the disk (SQLite store, real server)', () => {
  let dir: string;
  let server: RunningServer | undefined;
  let dbPath: string;

  const start = async () => {
    dir = mkdtempSync(join(tmpdir(), 'lantern-forget-'));
    dbPath = join(dir, 'data', 'lantern.db');
    server = await startServer({
      env: {
        PORT: '0',
        STORE: 'sqlite',
        SQLITE_PATH: dbPath,
        LOG_LEVEL: 'silent',
        HASH_SECRET: 'forget-on-disk-secret-0123456789abcdef',
        LOCALES_DIR: shippedPaths.localesDir,
      },
    });
    return server;
  };

  afterEach(async () => {
    await server?.close();
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * What is on the disk of one screening in progress: its answers as stored (the JSON text the
   * row holds, and each `"id":"answer"` pair), checked to be there before the forget.
   */
  function answersOnDisk(): string[] {
    const sessions = storedSessions(dbPath);
    expect(sessions).toHaveLength(1);
    const { answers, turns } = sessions[0]!;
    expect(turns).toBeGreaterThanOrEqual(5);
    const pairs = Object.entries(answers).map(([id, answer]) => `${JSON.stringify(id)}:${JSON.stringify(answer)}`);
    expect(pairs.length).toBeGreaterThanOrEqual(3);
    const needles = [JSON.stringify(answers), ...pairs];
    const before = diskBytes(dbPath);
    for (const needle of needles) expect(before.includes(needle), `${needle} on the disk before the forget`).toBe(true);
    return needles;
  }

  async function expectGone(needles: string[]): Promise<void> {
    expect(storedSessions(dbPath)).toHaveLength(0);
    const running = diskBytes(dbPath);
    expect(running.length).toBeGreaterThan(4096);
    for (const needle of needles) expect(running.includes(needle), `${needle} still on the disk after the forget`).toBe(false);
    await server!.close();
    server = undefined;
    const stopped = diskBytes(dbPath);
    for (const needle of needles) expect(stopped.includes(needle), `${needle} on the disk after the server stopped`).toBe(false);
  }

  it('/forget mid-screening: the answers leave lantern.db, -wal and -shm at once', async () => {
    const running = await start();
    const say = (event: Inbound['event']) =>
      running.service.handle({ conversation: 'forget-user', channel: 'telegram', event, languageHint: 'en', countryHint: 'MD' });
    await say({ type: 'start' });
    await say({ type: 'choice', id: 'main/menu/check' });
    for (let i = 0; i < 4; i++) await say({ type: 'text', text: i % 2 ? 'no' : 'yes' });
    const needles = answersOnDisk();
    const reply = await say({ type: 'command', command: 'forget' });
    expect(reply.messages.some((m) => m.type === 'forget')).toBe(true);
    await expectGone(needles);
  });

  it("the widget's quick exit mid-screening: the answers leave the disk too", async () => {
    const running = await start();
    const started = (await (
      await fetch(`${running.url}/v3/directline/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"locale":"en","country":"MD"}',
      })
    ).json()) as { conversationId: string; token: string };
    const post = async (activity: Record<string, unknown>) => {
      const res = await fetch(`${running.url}/v3/directline/conversations/${started.conversationId}/activities`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${started.token}` },
        body: JSON.stringify({ from: { id: 'visitor' }, locale: 'en', ...activity }),
      });
      expect(res.status).toBe(200);
    };
    await post({ type: 'message', text: 'Check a job offer', value: { choice: 'main/menu/check' } });
    for (let i = 0; i < 4; i++) await post({ type: 'message', text: i % 2 ? 'no' : 'yes' });
    const needles = answersOnDisk();
    await post({ type: 'event', name: 'quickExit' });
    await expectGone(needles);
  });
});
