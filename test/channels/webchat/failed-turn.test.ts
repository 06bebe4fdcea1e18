/** A turn that fails in the web chat is answered with the engine's apology and the emergency number. */
import { describe, expect, it } from 'vitest';
import type { TurnHandler } from '../../../src/engine/index.js';
import { expectedApology, failingTurns, scriptedFailure } from '../failing-turns.js';
import { serveWebChat } from './serve-web-chat.js';

type Json = Record<string, any>;

describe('web chat failed turns', () => {
  it.each([
    ['an engine whose step throws', failingTurns],
    ['a handler that rejects', () => ({ handler: (async () => Promise.reject(new RangeError('secret words'))) as TurnHandler, failure: scriptedFailure })],
  ])('answers %s with the apology and the emergency number', async (_what, options) => {
    const app = await serveWebChat(options());
    try {
      const dl = (path: string) => `${app.url}/v3/directline${path}`;
      const generated = (await (
        await fetch(dl('/tokens/generate'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale: 'en' }) })
      ).json()) as Json;
      const auth = { authorization: `Bearer ${generated.token}`, 'content-type': 'application/json' };
      const id = String(generated.conversationId);
      const posted = await fetch(dl(`/conversations/${id}/activities`), {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ type: 'message', text: 'secret words', locale: 'en', from: { id: 'u' } }),
      });
      expect(posted.status).toBe(200);
      const { activities } = (await (await fetch(dl(`/conversations/${id}/activities?watermark=0`), { headers: auth })).json()) as { activities: Json[] };
      const fromBot = activities.filter((activity) => activity.from?.role === 'bot' || activity.from?.id === 'lantern');
      const shown = JSON.stringify(fromBot);
      expect(fromBot[0]?.text).toBe(expectedApology.text);
      expect(shown).toContain(expectedApology.emergencyNumber);
      expect(app.logEntries.join('\n')).not.toContain('secret words');
    } finally {
      await app.close();
    }
  });
});
