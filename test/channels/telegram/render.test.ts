import { describe, expect, it } from 'vitest';
import type { Log, Outbound, Reply } from '../../../src/engine/types.js';
import { renderReply, type TelegramOperation } from '../../../src/channels/telegram/render.js';

function recordingLog(): Log & { warnings: object[] } {
  const warnings: object[] = [];
  const ignore = () => undefined;
  return { warnings, debug: ignore, info: ignore, error: ignore, warn: (fields) => void warnings.push(fields) };
}

const reply = (messages: Outbound[], direction: 'ltr' | 'rtl' = 'ltr'): Reply => ({ messages, language: direction === 'rtl' ? 'ar' : 'en', direction });
const sends = (operations: TelegramOperation[]) => operations.filter((op) => op.kind === 'send');

describe('renderReply: text', () => {
  it('escapes HTML so user-facing text is never read as markup', () => {
    const [op] = renderReply(reply([{ type: 'text', text: 'Fees <b>up front</b> & "visa" costs' }]), recordingLog());
    expect(op).toEqual({ kind: 'send', html: 'Fees &lt;b&gt;up front&lt;/b&gt; &amp; "visa" costs' });
  });

  it('merges consecutive texts into one message', () => {
    const ops = renderReply(
      reply([
        { type: 'text', text: 'One.' },
        { type: 'text', text: 'Two.' },
      ]),
      recordingLog(),
    );
    expect(ops).toEqual([{ kind: 'send', html: 'One.\n\nTwo.' }]);
  });

  it('does not merge past the 4096 limit', () => {
    const ops = renderReply(
      reply([
        { type: 'text', text: 'a'.repeat(3000) },
        { type: 'text', text: 'b'.repeat(3000) },
      ]),
      recordingLog(),
    );
    expect(sends(ops).map((op) => op.html.length)).toEqual([3000, 3000]);
  });

  it('splits a long text at paragraph boundaries, each piece within 4096', () => {
    const paragraphs = Array.from({ length: 12 }, (_, i) => `${i}:${'word '.repeat(150).trim()}`);
    const text = paragraphs.join('\n\n');
    const ops = sends(renderReply(reply([{ type: 'text', text }]), recordingLog()));
    expect(text.length).toBeGreaterThan(4096);
    expect(ops.length).toBe(3);
    for (const op of ops) {
      expect(op.html.length).toBeLessThanOrEqual(4096);
      // Each piece holds whole paragraphs.
      for (const part of op.html.split('\n\n')) expect(paragraphs).toContain(part);
    }
    expect(ops.map((op) => op.html).join('\n\n')).toBe(text);
  });

  it('splits a single huge line without cutting an entity or a surrogate pair', () => {
    const text = `${'x'.repeat(4093)}&&&${'🙂'.repeat(3000)}`;
    const ops = sends(renderReply(reply([{ type: 'text', text }]), recordingLog()));
    for (const op of ops) {
      expect(op.html.length).toBeLessThanOrEqual(4096);
      expect(op.html).not.toMatch(/&(?!amp;)|&a$|&am$/);
      expect(op.html).not.toMatch(/[\uD800-\uDBFF]$/);
    }
    expect(ops.map((op) => op.html).join('')).toBe(text.replace(/&/g, '&amp;'));
  });
});

describe('renderReply: choices', () => {
  it('puts short labels two per row, with the choice id as callback data', () => {
    const ops = renderReply(
      reply([
        {
          type: 'choices',
          text: 'Did they take your passport?',
          choices: [
            { id: 'q1:yes', label: 'Yes' },
            { id: 'q1:no', label: 'No' },
            { id: 'q1:unsure', label: 'Not sure' },
          ],
        },
      ]),
      recordingLog(),
    );
    expect(ops).toEqual([
      {
        kind: 'send',
        html: 'Did they take your passport?',
        keyboard: [
          [
            { text: 'Yes', callback_data: 'q1:yes' },
            { text: 'No', callback_data: 'q1:no' },
          ],
          [{ text: 'Not sure', callback_data: 'q1:unsure' }],
        ],
      },
    ]);
  });

  it('puts long labels one per row', () => {
    const [op] = renderReply(
      reply([
        {
          type: 'choices',
          text: 'Menu',
          choices: [
            { id: 'a', label: 'Check a job offer' },
            { id: 'b', label: 'Ok' },
          ],
        },
      ]),
      recordingLog(),
    );
    expect(op).toMatchObject({ keyboard: [[{ callback_data: 'a' }], [{ callback_data: 'b' }]] });
  });

  it('drops and logs a button whose id is over 64 bytes instead of failing the message', () => {
    const log = recordingLog();
    const tooLong = 'й'.repeat(33); // 66 bytes in UTF-8, 33 characters
    const [op] = renderReply(
      reply([
        {
          type: 'choices',
          text: 'Q',
          choices: [
            { id: tooLong, label: 'Bad' },
            { id: 'x'.repeat(64), label: 'Good' },
          ],
        },
      ]),
      log,
    );
    expect(op).toEqual({ kind: 'send', html: 'Q', keyboard: [[{ text: 'Good', callback_data: 'x'.repeat(64) }]] });
    expect(log.warnings).toHaveLength(1);
    expect(JSON.stringify(log.warnings)).not.toContain(tooLong);
  });

  it('attaches the keyboard to the text before it, and starts a new message after it', () => {
    const ops = renderReply(
      reply([
        { type: 'text', text: 'Intro.' },
        { type: 'choices', text: 'Pick one', choices: [{ id: 'a', label: 'A' }] },
        { type: 'text', text: 'After.' },
      ]),
      recordingLog(),
    );
    expect(ops).toEqual([
      { kind: 'send', html: 'Intro.\n\nPick one', keyboard: [[{ text: 'A', callback_data: 'a' }]] },
      { kind: 'send', html: 'After.' },
    ]);
  });

  it('a keyboard on a long question goes on its last piece', () => {
    const ops = sends(renderReply(reply([{ type: 'choices', text: `${'p '.repeat(2500)}\n\nQuestion?`, choices: [{ id: 'a', label: 'A' }] }]), recordingLog()));
    expect(ops.length).toBe(2);
    expect(ops[0]!.keyboard).toBeUndefined();
    expect(ops[1]!.keyboard).toEqual([[{ text: 'A', callback_data: 'a' }]]);
  });
});

describe('renderReply: contacts, links and hints', () => {
  // La Strada Moldova, from /work/shared/reference/hotlines.md: the free line and the line from abroad.
  const freeLine: Outbound = { type: 'contact', label: 'La Strada Moldova', number: '0 800 77777', dial: '+37380077777' };
  const laStrada: Outbound = { type: 'contact', label: 'La Strada Moldova', number: '+373 22 23 33 09', dial: '+37322233309' };
  const ukraine: Outbound = { type: 'contact', label: 'Counter-trafficking line', number: '527', dial: '527' };

  it('shows the published number with the dial form in brackets, so Telegram makes it tappable; never a tel: button', () => {
    const ops = renderReply(reply([freeLine, laStrada]), recordingLog());
    expect(ops).toEqual([{ kind: 'send', html: 'La Strada Moldova: 0 800 77777 (+37380077777)\n\nLa Strada Moldova: +373 22 23 33 09 (+37322233309)' }]);
    expect(JSON.stringify(ops)).not.toContain('tel:');
  });

  it('shows a short code once, as it is published and dialled', () => {
    const ops = renderReply(reply([ukraine, { type: 'contact', label: 'Emergency number', number: '112', dial: '112' }]), recordingLog());
    expect(ops).toEqual([{ kind: 'send', html: 'Counter-trafficking line: 527\n\nEmergency number: 112' }]);
  });

  it('in RTL marks each + number left-to-right and leaves short codes, national forms and other digits alone', () => {
    const ops = renderReply(reply([{ type: 'text', text: 'اتصل بالرقم +373 22 23 33 09 أو 112' }, freeLine, laStrada, ukraine], 'rtl'), recordingLog());
    expect(ops).toEqual([
      {
        kind: 'send',
        html: [
          'اتصل بالرقم \u200E+373 22 23 33 09 أو 112',
          'La Strada Moldova: 0 800 77777 (\u200E+37380077777)',
          'La Strada Moldova: \u200E+373 22 23 33 09 (\u200E+37322233309)',
          'Counter-trafficking line: 527',
        ].join('\n\n'),
      },
    ]);
  });

  it('adds no marks in LTR', () => {
    const [op] = renderReply(reply([laStrada]), recordingLog());
    expect(op).toEqual({ kind: 'send', html: 'La Strada Moldova: +373 22 23 33 09 (+37322233309)' });
  });

  it('shows a link with its full address', () => {
    const [op] = renderReply(reply([{ type: 'link', label: 'La Strada', url: 'https://lastrada.md/?a=1&b=2' }]), recordingLog());
    expect(op).toEqual({ kind: 'send', html: 'La Strada: https://lastrada.md/?a=1&amp;b=2' });
  });

  it('turns a forget hint into a delete that runs before the confirmation is sent', () => {
    const ops = renderReply(reply([{ type: 'text', text: 'Deleted.' }, { type: 'forget' }, { type: 'end' }]), recordingLog());
    expect(ops).toEqual([{ kind: 'deleteRecorded' }, { kind: 'send', html: 'Deleted.' }]);
  });

  it('renders nothing for an end hint alone', () => {
    expect(renderReply(reply([{ type: 'end' }]), recordingLog())).toEqual([]);
  });
});
