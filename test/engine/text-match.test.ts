import { describe, expect, it } from 'vitest';
import { isKeyword, keywordSet, mentionsKeyword, normalize } from '../../src/engine/text-match.js';

describe('text matching', () => {
  it('normalizes case, accents and punctuation but keeps other scripts intact', () => {
    expect(normalize('¡Ayúdame!')).toBe('ayudame');
    expect(normalize('  SOS!!! ')).toBe('sos');
    expect(normalize('Допоможіть!')).toBe('допоможіть');
    expect(normalize('मदद करो')).toBe('मदद करो');
  });

  it('finds emergency words in short messages only, as whole words', () => {
    expect(mentionsKeyword('please help me now', keywordSet(['help me']))).toBe(true);
    expect(mentionsKeyword('helpful staff', keywordSet(['help']))).toBe(false);
    expect(mentionsKeyword('one two three four five six seven help', keywordSet(['help']))).toBe(false);
  });

  it('finds words inside text written without spaces (Khmer)', () => {
    expect(mentionsKeyword('សូមជួយខ្ញុំផងឥឡូវនេះ', keywordSet(['ជួយខ្ញុំផង']))).toBe(true);
    expect(mentionsKeyword('សួស្ដី', keywordSet(['ជួយខ្ញុំផង']))).toBe(false);
  });

  it('matches whole-message keywords', () => {
    expect(isKeyword('Main Menu.', keywordSet(['main menu']))).toBe(true);
    expect(isKeyword('the main menu please', keywordSet(['main menu']))).toBe(false);
  });
});
