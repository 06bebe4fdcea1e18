/**
 * A whole conversation with a unique marker word and user id: neither may appear in the logs
 * (at the most detailed level), the metrics, or the bytes of the SQLite database.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSession, type Inbound } from '../../src/engine/index.js';
import { createSessionStore } from '../../src/store/index.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { shippedPaths } from '../helpers/content.js';

const MARKER = 'ZEBRAMARKER7731';
const USER = 'user-id-90210-4471';

describe('privacy: no message text and no user id leave the conversation', () => {
  let dir: string;
  let server: RunningServer;
  let logs = '';
  /** The stored session's turn counter before /forget, and whether its row was still there after. */
  let turnsBefore = 0;
  let rowAfterForget: unknown;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lantern-privacy-'));
    const sink = new Writable({ write: (chunk, _enc, done) => ((logs += chunk.toString()), done()) });
    server = await startServer({
      env: {
        PORT: '0',
        STORE: 'sqlite',
        SQLITE_PATH: join(dir, 'lantern.db'),
        LOG_LEVEL: 'trace',
        HASH_SECRET: 'privacy-test-secret-9d2f6b1e8a4c7035',
        LOCALES_DIR: shippedPaths.localesDir,
      },
      log: sink,
    });
    const say = (event: Inbound['event'], channel: Inbound['channel'] = 'telegram') =>
      server.service.handle({ conversation: USER, channel, event, languageHint: 'en' });
    await say({ type: 'start', payload: `md_${MARKER}` });
    await say({ type: 'text', text: `hello ${MARKER}` });
    await say({ type: 'choice', id: 'main/menu/ad' });
    await say({ type: 'text', text: `Job in Dubai ${MARKER}, registration fee 300 USD, passport kept by employer, contact ${USER} on WhatsApp` });
    await say({ type: 'choice', id: `job_ad/after/${MARKER}` });
    await say({ type: 'command', command: MARKER, args: USER });
    await say({ type: 'unsupported', kind: MARKER });
    await say({ type: 'text', text: `SOS ${MARKER}` });
    await say({ type: 'choice', id: 'main/menu/check' }, 'webchat');
    await say({ type: 'text', text: 'x'.repeat(10_000) + MARKER });
    // The turns really ran: the session row exists, read from the database file by a second store.
    const reader = createSessionStore({ kind: 'sqlite', path: join(dir, 'lantern.db') });
    const key = server.service.keyOf({ channel: 'telegram', conversation: USER });
    const row = await reader.get(key);
    turnsBefore = (row ? parseSession(row.value)?.turns : 0) ?? 0;
    await say({ type: 'command', command: 'forget' });
    rowAfterForget = await reader.get(key);
    await reader.close();
    await fetch(`${server.url}/readyz`);
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the conversation really ran and was logged', () => {
    expect(logs.length).toBeGreaterThan(100);
    // Nine turns on Telegram (the web chat's turns are another conversation), stored before /forget.
    expect(turnsBefore).toBeGreaterThanOrEqual(9);
    expect(rowAfterForget).toBeUndefined();
  });

  it('logs hold neither the marker nor the user id', () => {
    expect(logs).not.toContain(MARKER);
    expect(logs).not.toContain(USER);
  });

  it('metrics hold neither', async () => {
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('lantern_turns_total');
    const turns = [...metrics.matchAll(/^lantern_turns_total\{[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1] ?? 0), 0);
    expect(turns).toBeGreaterThanOrEqual(11);
    expect(metrics).not.toContain(MARKER);
    expect(metrics).not.toContain(USER);
  });

  it('the database files hold neither', async () => {
    await server.close();
    const bytes = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f)).toString('latin1'))
      .join('\n');
    expect(bytes.length).toBeGreaterThan(1000);
    expect(bytes).not.toContain(MARKER);
    expect(bytes).not.toContain(USER);
  });
});
