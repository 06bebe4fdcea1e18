/**
 * The one layout of every answer that shows numbers, for every channel: the intro, then per line
 * its title, what it is for, the numbers (each with its marks), the ways to write instead of
 * calling, and one short note; then the explanation. Channels only say how a number, a link and
 * plain text look in their format; the order and the words are decided here, once.
 */
import type { LineChannel, LineNumber, Outbound } from './types.js';

/** How one channel writes the pieces of the layout. */
export interface NumberFormat {
  /** Plain text as the channel needs it (escaped for its markup). */
  text(text: string): string;
  /** A phone number, ideally tappable (`tel:` where the channel allows). Already formatted text. */
  number(number: LineNumber): string;
  /** Another way to reach the line (WhatsApp, Telegram, SMS, web chat). Already formatted text. */
  channel(channel: LineChannel): string;
  /** Wraps a number or an address so that it reads left to right inside right-to-left text. */
  isolate(formatted: string): string;
}

/** Left-to-right isolate and its end (Unicode 6.3): a number inside Arabic text keeps its digit groups in order. */
export const LTR_ISOLATE = { start: '\u2066', end: '\u2069' } as const;

/** The paragraphs of a numbers message, in order; channels join them with a blank line. */
export function layoutNumbers(message: Extract<Outbound, { type: 'numbers' }>, format: NumberFormat): string[] {
  const paragraphs: string[] = [];
  if (message.intro) paragraphs.push(format.text(message.intro));
  for (const section of message.sections) {
    const lines: string[] = [];
    if (section.heading) lines.push(format.text(section.heading));
    for (const line of section.lines) {
      const numbers = line.numbers.map((n) => `${format.isolate(format.number(n))}${n.marks.length ? ` ${format.text(`(${n.marks.join(', ')})`)}` : ''}`);
      if (line.kind === 'emergency') {
        lines.push(`🆘 ${format.text(line.title)}: ${numbers.join(' · ')}`);
        continue;
      }
      const block = [`📞 ${format.text(line.title)}`];
      if (line.purpose) block.push(format.text(line.purpose));
      if (numbers.length) block.push(numbers.join(' · '));
      if (line.channels.length) block.push(line.channels.map((c) => `${format.text(c.label)}: ${format.isolate(format.channel(c))}`).join(' · '));
      if (line.note) block.push(format.text(line.note));
      // A blank line between helplines; the emergency line stays tight under its heading.
      lines.push(`${lines.length ? '\n' : ''}${block.join('\n')}`);
    }
    paragraphs.push(lines.join('\n'));
  }
  if (message.outro) paragraphs.push(format.text(message.outro));
  return paragraphs;
}

/** Every number a reply shows, in order (for checks: which numbers, and none twice). */
export function numbersOf(messages: readonly Outbound[]): LineNumber[] {
  return messages.flatMap((m) => {
    if (m.type === 'contact') return [{ number: m.number, dial: m.dial, marks: [] }];
    if (m.type === 'numbers') return m.sections.flatMap((s) => s.lines.flatMap((l) => l.numbers));
    return [];
  });
}

/** A numbers message as plain text (terminal, transcripts): the published numbers, addresses as written. */
export function numbersAsText(message: Extract<Outbound, { type: 'numbers' }>): string {
  return layoutNumbers(message, { text: (t) => t, number: (n) => n.number, channel: (c) => c.text, isolate: (t) => t }).join('\n\n');
}
