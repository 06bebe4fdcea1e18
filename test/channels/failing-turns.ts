/** A real engine whose every step throws, behind the real conversation service: how channels meet a failed turn. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Engine, Inbound, Log, Reply, TurnHandler } from '../../src/engine/index.js';
import { createConversationService } from '../../src/server/index.js';
import { createSessionStore } from '../../src/store/index.js';
import { root, shippedEngine } from '../helpers/content.js';

const silent: Log = { debug() {}, info() {}, warn() {}, error() {} };

/** What the user must see after a failed turn in English in Moldova, read from the files NGOs edit. */
export const expectedApology = {
  text: (JSON.parse(readFileSync(`${root}/locales/en/system.json`, 'utf8')) as { error: string }).error,
  emergencyNumber: (parse(readFileSync(`${root}/flows/hotlines.yaml`, 'utf8')) as { countries: Record<string, { emergency: { number: string } }> }).countries
    .MD!.emergency.number,
};

/** Options every channel takes, over an engine (English, Moldova) whose step always throws. */
export function failingTurns(): { handler: TurnHandler; failure: (inbound: Inbound) => Promise<Reply> } {
  const { engine } = shippedEngine({ language: 'en', country: 'MD' });
  const broken: Engine = {
    ...engine,
    step() {
      throw new TypeError('a step that always fails');
    },
  };
  const service = createConversationService({
    engine: () => broken,
    store: createSessionStore({ kind: 'memory' }),
    hashSecret: 'failing-turns-secret-0123',
    ttlMs: 60_000,
    log: silent,
  });
  return { handler: service.handle, failure: service.failure };
}

/** The same apology a scripted test handler can give without an engine (for channel tests that script the core). */
export const scriptedFailure = async (): Promise<Reply> => ({
  messages: [
    { type: 'text', text: expectedApology.text },
    { type: 'contact', label: 'Emergency', number: expectedApology.emergencyNumber, dial: expectedApology.emergencyNumber },
  ],
  language: 'en',
  direction: 'ltr',
});
