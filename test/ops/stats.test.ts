import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { root, shippedPaths } from '../helpers/content.js';

describe('lantern stats and /metrics', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ env: { PORT: '0', STORE: 'memory', LOG_LEVEL: 'silent', HASH_SECRET: 'stats-test-secret-1234', LOCALES_DIR: shippedPaths.localesDir } });
    const say = (conversation: string, event: Parameters<RunningServer['service']['handle']>[0]['event']) => server.service.handle({ conversation, channel: 'webchat', event, countryHint: 'MD' });
    for (const user of ['a', 'b', 'c']) {
      await say(user, { type: 'start' });
      await say(user, { type: 'choice', id: 'main/menu/hotline' });
    }
    await say('a', { type: 'text', text: 'sos' });
    await say('d', { type: 'start' });
    await say('d', { type: 'choice', id: 'main/menu/check' });
    for (let i = 0; i < 12; i++) await say('d', { type: 'text', text: 'yes' });
  });
  afterAll(() => server?.close());

  it('prints where people go, results, hotlines and languages as tables and CSV', async () => {
    // Asynchronous: the server answering /metrics runs in this very process.
    const run = (args: string[]) => promisify(execFile)(process.execPath, [join(root, 'bin/lantern.js'), 'stats', '--url', server.url, ...args], { encoding: 'utf8', timeout: 60_000 });
    const table = await run([]);
    expect(table.stdout).toMatch(/main\s+menu\s+4\s+100%/);
    expect(table.stdout).toMatch(/hotlines\s+after\s+3/);
    expect(table.stdout).toMatch(/MD\s+4/); // three hotline answers and one emergency answer
    expect(table.stdout).toMatch(/urgent\s+1/);
    expect(table.stdout).toMatch(/emergency\s+1/);
    const csv = await run(['--csv']);
    expect(csv.stdout).toContain('flow,step,visits,share');
    expect(csv.stdout).toContain('main,menu,4,100%');
  });

  it('fails clearly when no server answers', async () => {
    const down = await promisify(execFile)(process.execPath, [join(root, 'bin/lantern.js'), 'stats', '--url', 'http://127.0.0.1:1'], { encoding: 'utf8', timeout: 60_000 }).catch((e: { code: number; stderr: string }) => e);
    expect(down).toMatchObject({ code: 2 });
    expect((down as { stderr: string }).stderr).toContain('is Lantern running there?');
  });
});
