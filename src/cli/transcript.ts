/** Conversation transcripts: YAML files of "user says / bot must say" that run through the engine. */
import { z } from 'zod';
import { numbersAsText, numbersOf, type Engine, type InboundEvent, type Outbound, type Session } from '../engine/index.js';
import { parseYamlSource, validateYaml, type Problem } from '../content/index.js';
import { lineToEvent } from './commands/chat.js';

const oneMessage = [
  z.object({ key: z.string() }).strict().describe('A message rendered from this i18n key.'),
  z.object({ text: z.string() }).strict().describe('A message containing this text (case-insensitive).'),
  z.object({ contact: z.string() }).strict().describe('A phone contact whose number or dial string contains this.'),
] as const;

const expectation = z.union([
  ...oneMessage,
  z
    .object({ order: z.array(z.union(oneMessage)).min(2) })
    .strict()
    .describe('Messages matching these, in this order (each first match comes after the one before).'),
  z
    .object({ choices: z.array(z.string()) })
    .strict()
    .describe('Buttons with exactly these choice ids, in order.'),
  z.object({ notText: z.string() }).strict().describe('No message of this turn contains this text.'),
  z
    .object({ forgotten: z.literal(true) })
    .strict()
    .describe('The session was deleted.'),
  z
    .object({ ended: z.literal(true) })
    .strict()
    .describe('The conversation reached an end node.'),
]);

const step = z.union([
  z.object({ user: z.string(), bot: z.array(expectation).optional() }).strict(),
  z.object({ press: z.string().describe('A choice id of the last buttons, e.g. `rights`.'), bot: z.array(expectation).optional() }).strict(),
  z.object({ raw: z.string().describe('A raw button id, as a forged or stale press would send.'), bot: z.array(expectation).optional() }).strict(),
  z.object({ unsupported: z.string().describe('photo, sticker, voice...'), bot: z.array(expectation).optional() }).strict(),
]);

/** A transcript file. */
export const transcriptSchema = z
  .object({
    name: z.string(),
    lang: z.string().optional(),
    country: z.string().optional(),
    steps: z.array(step).min(1),
  })
  .strict();

export type Transcript = z.infer<typeof transcriptSchema>;

/** One failed expectation, with the step it belongs to and what the bot said instead. */
export interface TranscriptFailure {
  step: number;
  expected: string;
  got: string[];
}

/** Parses a transcript file, with positioned problems. */
export function parseTranscript(text: string, file: string): { transcript?: Transcript; problems: Problem[] } {
  const { value, problems } = validateYaml(parseYamlSource(text, file), transcriptSchema);
  return { ...(value ? { transcript: value } : {}), problems };
}

/** Runs a transcript through the engine; returns every failed expectation (empty: it passed). */
export function runTranscript(engine: Engine, transcript: Transcript): TranscriptFailure[] {
  const failures: TranscriptFailure[] = [];
  let session: Session | undefined;
  let lastChoices: { id: string; label: string }[] = [];
  const base = {
    conversation: `transcript:${transcript.name}`,
    channel: 'test' as const,
    ...(transcript.lang ? { languageHint: transcript.lang } : {}),
    ...(transcript.country ? { countryHint: transcript.country } : {}),
  };
  transcript.steps.forEach((s, index) => {
    let event: InboundEvent;
    if ('user' in s) event = lineToEvent(s.user, lastChoices);
    else if ('raw' in s) event = { type: 'choice', id: s.raw };
    else if ('unsupported' in s) event = { type: 'unsupported', kind: s.unsupported };
    else {
      const choice = lastChoices.find((c) => c.id.split('/').pop() === s.press || c.id.split('/').pop() === `=${s.press}`);
      if (!choice) {
        failures.push({ step: index + 1, expected: `a button \`${s.press}\` to press`, got: lastChoices.map((c) => c.id) });
        return;
      }
      event = { type: 'choice', id: choice.id };
    }
    const result = engine.step(session, { ...base, event }, 1_700_000_000_000 + index);
    const messages = result.reply.messages;
    const shown = messages.filter((m) => m.type === 'choices').at(-1);
    if (shown && shown.type === 'choices') lastChoices = shown.choices;
    session = result.session ?? undefined;
    for (const e of s.bot ?? []) {
      const problem = check(e, messages, result.session === null);
      if (problem) failures.push({ step: index + 1, expected: problem, got: describe(messages) });
    }
  });
  return failures;
}

function check(e: z.infer<typeof expectation>, messages: Outbound[], forgotten: boolean): string | undefined {
  const texts = messages
    .map((m) =>
      m.type === 'choices'
        ? `${m.text}\n${m.choices.map((c) => c.label).join('\n')}`
        : 'text' in m
          ? m.text
          : m.type === 'numbers'
            ? numbersAsText(m)
            : m.type === 'contact'
              ? `${m.label} ${m.number}`
              : m.type === 'link'
                ? `${m.label} ${m.url}`
                : '',
    )
    .join('\n')
    .toLowerCase();
  if ('order' in e) {
    const at = e.order.map((one) => messages.findIndex((m) => matches(one, m)));
    const wrong = at.findIndex((index, i) => index < 0 || (i > 0 && index < at[i - 1]!));
    return wrong < 0 ? undefined : `in this order: ${e.order.map((one) => JSON.stringify(one)).join(', ')}`;
  }
  if ('key' in e) return messages.some((m) => 'key' in m && m.key === e.key) ? undefined : `a message with key \`${e.key}\``;
  if ('text' in e) return texts.includes(e.text.toLowerCase()) ? undefined : `text containing "${e.text}"`;
  if ('notText' in e) return texts.includes(e.notText.toLowerCase()) ? `no text containing "${e.notText}"` : undefined;
  if ('contact' in e)
    return numbersOf(messages).some((n) => n.number.includes(e.contact) || n.dial.includes(e.contact)) ? undefined : `a phone contact ${e.contact}`;
  if ('choices' in e) {
    const last = messages.filter((m) => m.type === 'choices').at(-1);
    const ids = last && last.type === 'choices' ? last.choices.map((c) => c.id.split('/').pop()!.replace(/^=/, '')) : [];
    return JSON.stringify(ids) === JSON.stringify(e.choices) ? undefined : `buttons [${e.choices.join(', ')}]`;
  }
  if ('forgotten' in e) return forgotten ? undefined : 'the session to be deleted';
  return messages.some((m) => m.type === 'end') ? undefined : 'the end of the conversation';
}

/** Whether one message is what a key, text or contact expectation asks for. */
function matches(e: { key: string } | { text: string } | { contact: string }, m: Outbound): boolean {
  if ('key' in e) return 'key' in m && m.key === e.key;
  if ('contact' in e) return numbersOf([m]).some((n) => n.number.includes(e.contact) || n.dial.includes(e.contact));
  if (m.type === 'numbers') return numbersAsText(m).toLowerCase().includes(e.text.toLowerCase());
  return 'text' in m && m.text.toLowerCase().includes(e.text.toLowerCase());
}

function describe(messages: Outbound[]): string[] {
  return messages.map((m) => {
    switch (m.type) {
      case 'text':
        return `[${m.key ?? 'text'}] ${m.text}`;
      case 'choices':
        return `[${m.key ?? 'choices'}] ${m.text} {${m.choices.map((c) => c.id.split('/').pop()).join(', ')}}`;
      case 'contact':
        return `(contact) ${m.label}: ${m.number}`;
      case 'numbers':
        return `[${m.key}] ${numbersAsText(m)}`;
      case 'link':
        return `(link) ${m.label}: ${m.url}`;
      default:
        return `(${m.type})`;
    }
  });
}
