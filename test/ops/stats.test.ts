import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { lantern } from '../helpers/cli.js';
import { shippedPaths } from '../helpers/content.js';

describe('lantern stats and /metrics', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({
      env: { PORT: '0', STORE: 'memory', LOG_LEVEL: 'silent', HASH_SECRET: 'stats-test-secret-5f1c9a7e3b2d8046', LOCALES_DIR: shippedPaths.localesDir },
    });
    const say = (conversation: string, event: Parameters<RunningServer['service']['handle']>[0]['event']) =>
      server.service.handle({ conversation, channel: 'webchat', event, countryHint: 'MD' });
    for (const user of ['a', 'b', 'c']) {
      await say(user, { type: 'start' });
      await say(user, { type: 'choice', id: 'main/menu/hotline' });
      await say(user, { type: 'text', text: 'skip' }); // the home-country question
    }
    await say('a', { type: 'text', text: 'sos' });
    await say('d', { type: 'start' });
    await say('d', { type: 'choice', id: 'main/menu/check' });
    for (let i = 0; i < 12; i++) await say('d', { type: 'text', text: 'yes' });
    await say('d', { type: 'text', text: 'MD' }); // where the job is
  });
  afterAll(() => server?.close());

  it('prints where people go, results, hotlines and languages as tables and CSV', async () => {
    const run = (args: string[]) => lantern(['stats', '--url', server.url, ...args]);
    const table = await run([]);
    expect(table.code, table.err).toBe(0);
    expect(table.out).toMatch(/main\s+menu\s+4\s+100%/);
    expect(table.out).toMatch(/hotlines\s+after\s+3/);
    expect(table.out).toMatch(/MD\s+4/); // three hotline answers and one emergency answer
    expect(table.out).toMatch(/urgent\s+1/);
    expect(table.out).toMatch(/emergency\s+1/);
    const csv = await run(['--csv']);
    expect(csv.out).toContain('flow,step,visits,share');
    expect(csv.out).toContain('main,menu,4,100%');
  });

  it('fails clearly when no server answers', async () => {
    const down = await lantern(['stats', '--url', 'http://127.0.0.1:1']);
    expect(down.code).toBe(2);
    expect(down.err).toContain('is Lantern running there?');
  });
});
