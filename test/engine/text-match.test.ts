import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/engine/text-match.js';

describe('text matching', () => {
  it('normalizes case, accents and punctuation but keeps other scripts intact', () => {
    expect(normalize('¡Ayúdame!')).toBe('ayudame');
    expect(normalize('  SOS!!! ')).toBe('sos');
    expect(normalize('Допоможіть!')).toBe('допоможіть');
    expect(normalize('मदद करो')).toBe('मदद करो');
  });
});
