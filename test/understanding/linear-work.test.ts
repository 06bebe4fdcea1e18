import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shippedUnderstanding } from './shipped.js';

const u = shippedUnderstanding();
/** Steps per input character that read() may take, whatever the input. */
const k = 40;

describe('read() does work linear in the input', () => {
  it.each([
    ['one long Cyrillic word', 'помогите'.repeat(375)],
    ['1,500 digits', '1'.repeat(1500)],
    ['3,000 spaces', ' '.repeat(3000)],
    ['repeated words', 'help me passport '.repeat(176)],
    ['mixed scripts', 'pomogi помоги مساعدة बचाओ ជួយ ကူညီ 112 '.repeat(75)],
    ['one long Khmer run', 'ជួយខ្ញុំផង'.repeat(300)],
    ['long Latin word', 'a'.repeat(3000)],
    ['prefix-heavy', 'traffickingtrafficking '.repeat(130)],
    ['letters spelled out one by one', 'h e l p '.repeat(375)],
    ['dotted letters', 'c.ứ.u.'.repeat(500)],
    ['"@" inside words', 'm@'.repeat(1500)],
  ])('%s', (_, text) => {
    const reading = u.read(text, 'en');
    expect(reading.work).toBeLessThanOrEqual(k * Math.max(text.length, 1));
  });

  it('on random text of any script', () => {
    const alphabet = fc.constantFrom(..."abcdefpassortхелпомгитеمساعدةबचाओជួយ 0123456789!?'-*".split(''));
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 600 }).map((chars) => chars.join('')),
        fc.constantFrom('en', 'ru', 'uk', 'km'),
        (text, language) => {
          const reading = u.read(text, language);
          return reading.work <= k * Math.max(text.length, 1) + k;
        },
      ),
      { numRuns: 200 },
    );
  });
});
