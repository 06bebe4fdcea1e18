import { describe, expect, it } from 'vitest';
import { fold, normaliseWord, tokenize, transliterate } from '../../src/understanding/normalise.js';

const folded = (text: string) => tokenize(text).tokens.map((t) => t.folded);

describe('normalisation per script', () => {
  it('Latin: lower case, accents removed, repeated letters folded, punctuation and emoji dropped', () => {
    expect(folded('HELPPP!!! 😱 Ajutooor, ¿Dónde? São Paulo')).toEqual(['help', 'ajutor', 'donde', 'sao', 'paulo']);
    expect(folded("can't  don’t")).toEqual(['cant', 'dont']);
    expect(folded('Straße Łódź')).toEqual(['strase', 'lodz']);
  });

  it('"@" between Latin letters is read as "a" (m@d@d); elsewhere it still splits words', () => {
    expect(folded('m@d@d ch@hiye @dubai')).toEqual(['madad', 'chahiye', 'dubai']);
    expect(folded('ana@gmail.com')).toEqual(['anagmail', 'com']);
  });

  it('a word spelled out letter by letter becomes one word; a different gap ends it', () => {
    expect(folded('c.ứ.u e')).toEqual(['cu', 'e']);
    expect(folded('س ا ع د و ن ي   ق ف ل و ا')).toEqual(['ساعدوني', 'قفلوا']);
    expect(tokenize('п о м о г и т е').tokens[0]).toMatchObject({ folded: 'помогите', latin: 'pomogite', start: 0, end: 15 });
    expect(tokenize('I am in U S A').tokens.at(-1)).toMatchObject({ folded: 'usa', upper: true });
    expect(folded('a b, 1 2 3 4')).toEqual(['a', 'b', '1', '2', '3', '4']);
  });

  it('digits are never folded (112 and 999 stay numbers)', () => {
    expect(folded('call 112 or 999')).toEqual(['cal', '112', 'or', '999']);
  });

  it('Cyrillic keeps its letters, folds repeats and carries a Latin spelling', () => {
    const [token] = tokenize('Помогитеее').tokens;
    expect(token).toMatchObject({ folded: 'помогите', latin: 'pomogite' });
    expect(tokenize('допоможіть').tokens[0]!.latin).toBe('dopomozhit');
    expect(tokenize('упомоћ').tokens[0]!.latin).toBe('upomoc');
    expect(normaliseWord('Ёлка', 'cyrillic')).toBe('елка');
    expect(folded("б'ють")).toEqual(['бють']);
    expect(transliterate('щука')).toBe('schuka');
  });

  it('Latin look-alike letters typed inside a Cyrillic word are read as Cyrillic ("нiколи", "Чехiя")', () => {
    expect(folded('нi нiколи Чехiя')).toEqual(['ні', 'ніколи', 'чехія']);
    expect(folded('пaспорт')).toEqual(['паспорт']);
    expect(folded('help')).toEqual(['help']);
  });

  it('Arabic: alef forms, ta marbuta, alef maqsura and ya unified; harakat and tatweel removed; digits ASCII', () => {
    expect(normaliseWord('أَنا', 'arabic')).toBe('انا');
    expect(normaliseWord('مساعدة', 'arabic')).toBe('مساعده');
    expect(normaliseWord('على', 'arabic')).toBe('علي');
    expect(normaliseWord('ســـاعد', 'arabic')).toBe('ساعد');
    expect(folded('٩٩٩')).toEqual(['999']);
  });

  it('Arabizi digits stay letters of the word', () => {
    expect(folded('sa3dni plz')).toEqual(['sa3dni', 'plz']);
  });

  it('Devanagari is kept as written (its vowel signs are not accents)', () => {
    expect(folded('बचाओ मदद')).toEqual(['बचाओ', 'मदद']);
  });

  it('Khmer and Burmese runs stay whole (zero-width spaces inside are ignored)', () => {
    expect(tokenize('ជួយ\u200bខ្ញុំផង').tokens).toHaveLength(1);
    expect(tokenize('ကူညီပါ').tokens[0]!.script).toBe('myanmar');
  });

  it('every token keeps its offsets in the original text', () => {
    const text = '  Help!!  me, ПОМОГИТЕ ';
    expect(tokenize(text).tokens.map((t) => text.slice(t.start, t.end))).toEqual(['Help', 'me', 'ПОМОГИТЕ']);
  });

  it('fold leaves words without repeats as they are', () => {
    expect(fold('passport')).toBe('pasport');
    expect(fold('help')).toBe('help');
  });

  it('shortcuts change nothing: plain Cyrillic and Arabic words, capitals and the Latin spelling read as the long way reads them', () => {
    // The long way, as normaliseWord and transliterate did it before their shortcuts.
    const lookalikes: Record<string, string> = { a: 'а', c: 'с', e: 'е', i: 'і', o: 'о', p: 'р', x: 'х', y: 'у', j: 'ј' };
    const longWay = (raw: string, script: 'cyrillic' | 'arabic') => {
      const s = raw.toLowerCase();
      return script === 'cyrillic'
        ? s
            .normalize('NFC')
            .replace(/[\u0300\u0301]/g, '')
            .replace(/[ёѐ]/g, 'е')
            .replace(/ѝ/g, 'и')
            .replace(/[aceiopxyj]/g, (c) => lookalikes[c]!)
        : s
            .normalize('NFKC')
            .replace(/[\u064b-\u065f\u0670\u0640\u06d6-\u06ed]/g, '')
            .replace(/[أإآٱ]/g, 'ا')
            .replace(/ة/g, 'ه')
            .replace(/[ىی]/g, 'ي')
            .replace(/ک/g, 'ك');
    };
    const letters = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => String.fromCharCode(from + k));
    for (const [script, set] of [
      ['cyrillic', letters(0x400, 0x45f)],
      ['arabic', letters(0x621, 0x64a)],
    ] as const)
      for (const a of set) for (const b of set) expect(normaliseWord(a + b, script), a + b).toBe(longWay(a + b, script));
    const spelled: Record<string, string> = { ж: 'zh', щ: 'sch', ъ: '', ґ: 'g', ї: 'yi', џ: 'dz', ѣ: 'ѣ', x: 'x' };
    for (const [from, to] of Object.entries(spelled)) expect(transliterate(from)).toBe(to);
    const upper = (raw: string) => tokenize(raw).tokens[0]!.upper;
    expect(['MD', 'UAE', 'ÄB', 'BiH', 'md', '12', 'A1', 'ÉU'].map(upper)).toEqual([true, true, true, false, false, false, true, true]);
  });
});
