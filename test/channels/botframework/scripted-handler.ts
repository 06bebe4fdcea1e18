import type { Inbound, Reply, TurnHandler } from '../../../src/engine/types.js';

/** What the scripted core saw: the event kind and shape, never the text itself. */
export interface SeenTurn {
  conversation: string;
  channel: string;
  languageHint: string | undefined;
  countryHint: string | undefined;
  event: string;
}

/**
 * A tiny stand-in for the core: replies reveal only choice ids and text lengths, so tests
 * prove the channel's mapping and rendering without ever echoing user text.
 */
export function createScriptedHandler(): { handler: TurnHandler; seen: SeenTurn[] } {
  const seen: SeenTurn[] = [];
  const handler: TurnHandler = async (inbound: Inbound): Promise<Reply> => {
    const { event } = inbound;
    const language = inbound.languageHint ?? 'en';
    const direction = language.startsWith('ar') ? 'rtl' : 'ltr';
    const describe =
      event.type === 'text'
        ? `text:${event.text.length}`
        : event.type === 'choice'
          ? `choice:${event.id}`
          : event.type === 'command'
            ? `command:${event.command}${event.args ? `:${event.args}` : ''}`
            : event.type === 'unsupported'
              ? `unsupported:${event.kind}`
              : `start${event.payload ? `:${event.payload}` : ''}`;
    seen.push({
      conversation: inbound.conversation,
      channel: inbound.channel,
      languageHint: inbound.languageHint,
      countryHint: inbound.countryHint,
      event: describe,
    });
    const choices = [
      { id: 'menu.screen', label: 'Check a job offer' },
      { id: 'menu.rights', label: 'My rights' },
    ];
    if (event.type === 'start')
      return {
        language,
        direction,
        messages: [
          { type: 'text', text: 'greeting' },
          { type: 'choices', text: 'pick one', choices },
        ],
      };
    if (event.type === 'command' && event.command === 'many') {
      const many = Array.from({ length: 12 }, (_, i) => ({ id: `many.${i}`, label: `Option ${i}` }));
      return { language, direction, messages: [{ type: 'choices', text: 'many', choices: many }] };
    }
    if (event.type === 'command' && event.command === 'contact') {
      return {
        language,
        direction,
        messages: [
          { type: 'contact', label: 'Hotline', number: '+1 555 0100', dial: '+15550100' },
          { type: 'link', label: 'Read more', url: 'https://example.org/rights' },
          { type: 'choices', text: 'not last', choices },
          { type: 'text', text: 'after' },
        ],
      };
    }
    if (event.type === 'command' && event.command === 'forget')
      return { language, direction, messages: [{ type: 'text', text: 'forgotten' }, { type: 'forget' }] };
    return {
      language,
      direction,
      messages: [
        { type: 'text', text: describe },
        { type: 'choices', text: 'next', choices },
      ],
    };
  };
  return { handler, seen };
}

/** A Log that keeps entries so tests can check nothing sensitive was logged. */
export function createMemoryLog(): {
  log: {
    debug: (f: object, m?: string) => void;
    info: (f: object, m?: string) => void;
    warn: (f: object, m?: string) => void;
    error: (f: object, m?: string) => void;
  };
  entries: string[];
} {
  const entries: string[] = [];
  const keep = (fields: object, message?: string) => {
    entries.push(JSON.stringify({ fields, message }));
  };
  return { log: { debug: keep, info: keep, warn: keep, error: keep }, entries };
}
