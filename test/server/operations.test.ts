/**
 * Operations on the real server: hostile bodies are refused with 400 and leave the conversation
 * working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../src/channels/read-body.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { shippedPaths } from '../helpers/content.js';

const SECRET = 'operations-test-secret-0123456789abcdef';
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('a deeply nested JSON value is answered 400, and the conversation keeps working', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ env: { PORT: '0', STORE: 'memory', LOG_LEVEL: 'silent', HASH_SECRET: SECRET, LOCALES_DIR: shippedPaths.localesDir } });
  });
  afterAll(() => server?.close());

  async function directLine() {
    const started = (await (
      await fetch(`${server.url}/v3/directline/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    ).json()) as { conversationId: string; token: string };
    const url = `${server.url}/v3/directline/conversations/${started.conversationId}/activities`;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${started.token}` };
    return {
      post: (body: string) => fetch(url, { method: 'POST', headers, body }),
      read: () => fetch(url, { headers }),
    };
  }

  it(`Direct Line: a value nested 5,000 deep is a 400; reading and writing the conversation stay 200 (limit ${MAX_JSON_DEPTH})`, async () => {
    const chat = directLine();
    const { post, read } = await chat;
    const deep = await post(`{"type":"message","from":{"id":"u"},"value":${nested(5000)}}`);
    expect(deep.status).toBe(400);
    expect(await deep.text()).toContain(`deeper than ${MAX_JSON_DEPTH} levels`);
    // Before the limit, the buffered echo made every later read of the conversation a 500.
    for (let i = 0; i < 3; i++) expect((await read()).status).toBe(200);
    expect((await post('{"type":"message","from":{"id":"u"},"text":"hello"}')).status).toBe(200);
    const activities = (await (await read()).json()) as { activities: { from: { role?: string }; text?: string }[] };
    expect(activities.activities.some((a) => a.text === 'hello')).toBe(true);
  });

  it('Direct Line: nesting up to the limit is accepted (strings with brackets do not count)', async () => {
    const { post, read } = await directLine();
    const within = await post(`{"type":"message","from":{"id":"u"},"text":"${'[{'.repeat(100)}","value":${nested(MAX_JSON_DEPTH - 1)}}`);
    expect(within.status).toBe(200);
    expect((await read()).status).toBe(200);
    expect((await post(`{"type":"message","from":{"id":"u"},"value":${nested(MAX_JSON_DEPTH)}}`)).status).toBe(400);
  });

  it('/api/messages: a deep activity is a 400, never a 500', async () => {
    const res = await fetch(`${server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"type":"message","channelId":"emulator","conversation":{"id":"c"},"from":{"id":"u"},"serviceUrl":"http://127.0.0.1:9/","value":${nested(5000)}}`,
    });
    expect(res.status).toBe(400);
  });
});
