import type { Inbound, Log, Outbound, Reply, TurnHandler } from '../../../src/engine/types.js';

/** Paragraphs of a reply too long for one Telegram message (3 × ~1500 characters). */
export const LONG_PARAGRAPHS = ['first', 'second', 'third'].map((tag) => `${tag}:${'lorem ipsum '.repeat(125).trim()}`);

/**
 * A stand-in for the engine that answers each event with a distinct, checkable output, so
 * the assertions prove what the channel mapped and rendered.
 */
export function scriptedHandler(): { handler: TurnHandler; inbounds: Inbound[] } {
  const inbounds: Inbound[] = [];
  const reply = (messages: Outbound[]): Reply => ({ messages, language: 'en', direction: 'ltr' });
  const handler: TurnHandler = async (inbound) => {
    inbounds.push(inbound);
    const event = inbound.event;
    switch (event.type) {
      case 'start':
        return reply([
          { type: 'text', text: `start:${event.payload ?? '-'} lang:${inbound.languageHint ?? '-'}` },
          {
            type: 'choices',
            text: 'pick one',
            choices: [
              { id: 'pick:alpha', label: 'Alpha' },
              { id: 'pick:beta', label: 'Beta' },
            ],
          },
        ]);
      case 'choice':
        return reply([{ type: 'text', text: `chose:${event.id}` }]);
      case 'text':
        if (event.text === 'long') return reply([{ type: 'text', text: LONG_PARAGRAPHS.join('\n\n') }]);
        // A keyboard closes a Telegram message, so this reply is two sends.
        if (event.text === 'two')
          return reply([
            { type: 'choices', text: 'one of two', choices: [{ id: 'b', label: 'B' }] },
            { type: 'text', text: 'two of two' },
          ]);
        return reply([{ type: 'text', text: `text:${event.text}` }]);
      case 'command':
        if (event.command === 'forget') return reply([{ type: 'text', text: 'forgotten' }, { type: 'forget' }]);
        return reply([{ type: 'text', text: `command:${event.command}` }]);
      case 'unsupported':
        return reply([{ type: 'text', text: `unsupported:${event.kind}` }]);
    }
  };
  return { handler, inbounds };
}

/** A Log that keeps every entry, to check that nothing private was written. */
export function recordingLog(): Log & { entries: { level: string; fields: object; message?: string }[] } {
  const entries: { level: string; fields: object; message?: string }[] = [];
  const at =
    (level: string) =>
    (fields: object, message?: string): void =>
      void entries.push(message === undefined ? { level, fields } : { level, fields, message });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export { closeServer as close, freePort, listen } from '../../helpers/net.js';

/** Waits until `check` returns a value, polling a bounded number of times. */
export async function eventually<T>(check: () => T | undefined, what: string, tries = 200): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`gave up waiting for ${what}`);
}
