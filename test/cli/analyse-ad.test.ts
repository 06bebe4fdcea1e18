import { describe, expect, it } from 'vitest';
import { lantern } from '../helpers/cli.js';

describe('lantern analyse-ad', () => {
  it('prints the stable JSON shape, with evidence that slices the original text', async () => {
    const ad = 'Hotel jobs in Dubai!\nProcessing fee 800 USD, tourist visa. Only 3 places left!';
    const { code, out } = await lantern(['analyse-ad', '--json', '-'], ad);
    expect(code).toBe(0);
    const result = JSON.parse(out) as {
      level: string;
      language: string;
      flags: { indicator: string; category: string; text: string; start: number; end: number }[];
    };
    expect(Object.keys(result)).toEqual(['level', 'language', 'flags']);
    expect(result.level).toMatch(/high|urgent/);
    for (const f of result.flags) {
      expect(Object.keys(f)).toEqual(['indicator', 'category', 'text', 'start', 'end']);
      expect(ad.slice(f.start, f.end)).toBe(f.text);
    }
  });

  it.each([
    ['pt', 'pt-BR'],
    ['pt-PT', 'pt-BR'],
    ['sr-Latn', 'sr'],
    ['EN', 'en'],
  ])('resolves --lang %s to %s', async (tag, language) => {
    const { code, out } = await lantern(['analyse-ad', '--json', '--lang', tag, '-'], 'Taxa de inscrição de 50 euros.');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ language });
  });

  it('reads an ad in a language it has no concepts for in the language detected, and says so on stderr', async () => {
    const { code, out, err } = await lantern(['analyse-ad', '--json', '--lang', 'zz', '-'], 'Please pay a registration fee of 100 EUR.');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ language: 'en', level: 'high' });
    expect(err).toMatch(/no job-ad concepts for language `zz`/);
  });

  it('never says "no red-flag phrase found" under a flag it lists', async () => {
    const { out } = await lantern(['analyse-ad', '--lang', 'en', '-'], 'Accommodation provided by the employer.');
    expect(out).toMatch(/red flags: 1/);
    expect(out).not.toMatch(/No red-flag phrase found/);
    expect(out).toMatch(/Only a weak sign was found/);
    const none = await lantern(['analyse-ad', '--lang', 'en', '-'], 'Bakery assistant in Lyon, contract from day one.');
    expect(none.out).toMatch(/red flags: 0/);
    expect(none.out).toMatch(/No red-flag phrase found. That does not make the offer safe/);
  });
});
