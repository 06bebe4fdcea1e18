import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkHotlineNumbers, createHotlineDirectory, dialString, hotlineFileSchema } from '../../src/content/index.js';
import type { HotlineFile } from '../../src/content/index.js';

const yamlText = readFileSync(new URL('../../flows/hotlines.yaml', import.meta.url), 'utf8');
const shipped = hotlineFileSchema.parse(parse(yamlText));
const directory = createHotlineDirectory(shipped);

const SEED_COUNTRIES = ['MD', 'UA', 'RS', 'BR', 'IN', 'PH', 'ZA', 'KH', 'US', 'NG'];
// Countries added so every place where a shipped locale is mostly spoken has at least its emergency number.
const ADDED_COUNTRIES = ['CL', 'GT', 'HN', 'DO', 'CU', 'IQ', 'TN', 'PS', 'IE', 'NZ', 'ME', 'PT', 'AO', 'BE', 'SN', 'CI', 'HT', 'CD'];
const SHIPPED_LOCALES = ['en', 'uk', 'ru', 'ro', 'sr', 'pt-BR', 'es', 'fr', 'hi', 'tl', 'km', 'ar'];

const emergency = { number: '112', sources: ['https://example.org/112'], checked: '2026-11-28', confidence: 'verified-from-source' };
const line = (id: string, kind: string, numbers: object[], confidence = 'verified-from-source') => ({
  id,
  organisation: 'Test organisation',
  name: `Test line ${id}`,
  kind,
  numbers,
  sources: ['https://example.org/source'],
  checked: '2026-11-28',
  confidence,
});
/** A one-country directory with MD's real La Strada line plus whatever numbers a test adds. */
const mdWith = (...numbers: object[]): HotlineFile =>
  hotlineFileSchema.parse({
    countries: { MD: { emergency, helplines: [line('md-test', 'trafficking', [{ number: '0 800 77777' }, ...numbers])] } },
  });

describe('flows/hotlines.yaml', () => {
  it('starts with the schema comment editors use for completion', () => {
    expect(yamlText.split('\n')[0]).toBe('# yaml-language-server: $schema=./schema/hotlines.schema.json');
  });

  it('covers at least 82 countries, including every seed country', () => {
    expect(directory.countries().length).toBeGreaterThanOrEqual(82);
    expect(directory.countries()).toEqual(expect.arrayContaining(SEED_COUNTRIES));
  });

  it.each(ADDED_COUNTRIES)('gives %s an emergency short code with a source and a shipped language or none', (cc) => {
    const entry = directory.country(cc);
    expect(entry?.emergency.number).toMatch(/^\d{2,6}$/);
    expect(entry?.emergency.sources.length).toBeGreaterThan(0);
    expect(entry?.emergency.sources.every((url) => url.startsWith('http'))).toBe(true);
    expect(entry?.languages.every((l) => SHIPPED_LOCALES.includes(l))).toBe(true);
  });

  it('suggests the newly covered countries for their language', () => {
    expect(directory.countriesForLanguage('pt-BR')).toEqual(['BR', 'PT', 'AO']);
    expect(directory.countriesForLanguage('sr')).toEqual(['RS', 'ME']);
    expect(directory.countriesForLanguage('fr')[0]).toBe('FR');
    expect(directory.countriesForLanguage('fr')).toContain('BE');
  });

  it.each(SHIPPED_LOCALES)('maps shipped locale %s to at least one country', (locale) => {
    const listed = Object.values(shipped.countries).some((c) => c.languages.includes(locale));
    expect(listed).toBe(true);
    expect(directory.countriesForLanguage(locale).length).toBeGreaterThan(0);
  });

  it('gives every helpline a unique id', () => {
    const ids = Object.values(shipped.countries).flatMap((c) => c.helplines.map((h) => h.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('prefixes every helpline id with its own country code', () => {
    const wrong = Object.entries(shipped.countries).flatMap(([cc, c]) => c.helplines.filter((h) => !h.id.startsWith(`${cc.toLowerCase()}-`)).map((h) => h.id));
    expect(wrong).toEqual([]);
  });

  it('has no phone-number problems', () => {
    expect(checkHotlineNumbers(shipped)).toEqual([]);
  });
});

describe('checkHotlineNumbers', () => {
  it('accepts a valid Moldovan free number', () => {
    expect(checkHotlineNumbers(mdWith())).toEqual([]);
  });

  it('reports a 5-digit number that is not flagged as a short code, with its path', () => {
    const problems = checkHotlineNumbers(mdWith({ number: '12345' }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'countries.MD.helplines[0].numbers[1].number', number: '12345' });
    expect(problems[0]?.fix).toMatch(/shortCode: true/);
  });

  it('reports a number meant for callers abroad that lacks the + form', () => {
    const problems = checkHotlineNumbers(mdWith({ number: '022 23 33 09', from: 'abroad' }));
    expect(problems.map((p) => p.path)).toEqual(['countries.MD.helplines[0].numbers[1].number']);
    expect(problems[0]?.fix).toMatch(/international form/);
  });

  it('reports a number with a missing digit as invalid for its country', () => {
    const problems = checkHotlineNumbers(mdWith({ number: '0 800 7777' }));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.fix).toMatch(/not a valid phone number for MD/);
  });

  it('reports a short code that is too long, dialled from abroad, or written with +', () => {
    const problems = checkHotlineNumbers(
      mdWith({ number: '0 800 77777', shortCode: true }, { number: '1343', shortCode: true, from: 'abroad' }, { number: '+373 112', shortCode: true }),
    );
    expect(problems.map((p) => p.path)).toEqual([1, 2, 3].map((i) => `countries.MD.helplines[0].numbers[${i}].number`));
  });

  it('accepts flagged short codes of 2 to 6 digits, including a bracketed area prefix', () => {
    expect(checkHotlineNumbers(mdWith({ number: '112', shortCode: true }, { number: '(02) 1343', shortCode: true }))).toEqual([]);
  });

  it('reports letters that a phone cannot dial from a button', () => {
    expect(checkHotlineNumbers(mdWith({ number: '800SAVE' }))[0]?.fix).toMatch(/digits only/);
  });

  it('reports an emergency entry holding several numbers and an invalid WhatsApp number', () => {
    const file = hotlineFileSchema.parse({
      countries: {
        BR: {
          emergency: { ...emergency, number: '190 / 192' },
          helplines: [{ ...line('br-test', 'trafficking', [{ number: '100', shortCode: true }]), whatsapp: '+55 61 9961' }],
        },
      },
    });
    expect(checkHotlineNumbers(file).map((p) => p.path)).toEqual(['countries.BR.emergency.number', 'countries.BR.helplines[0].whatsapp']);
  });

  it('reports a country code the phone metadata does not know', () => {
    const file = hotlineFileSchema.parse({ countries: { XX: { emergency } } });
    expect(checkHotlineNumbers(file)).toEqual([expect.objectContaining({ path: 'countries.XX' })]);
  });
});

describe('dialString', () => {
  it('gives E.164 for normal numbers and bare digits for short codes', () => {
    const [domestic, abroad] = directory.shownHelplines('MD')[0]?.numbers ?? [];
    expect(domestic && dialString('MD', domestic)).toBe('+37380077777');
    expect(abroad && dialString('MD', abroad)).toBe('+37322233309');
    expect(dialString('PH', { number: '(02) 1343', from: 'inside', shortCode: true })).toBe('021343');
    expect(dialString('US', { number: '1-888-373-7888', from: 'inside', shortCode: false })).toBe('+18883737888');
  });
});

describe('createHotlineDirectory', () => {
  it('shows La Strada 0 800 77777 first for Moldova, case-insensitively', () => {
    const first = directory.shownHelplines('md')[0];
    expect(first?.id).toBe('md-lastrada');
    expect(first?.numbers[0]?.number).toBe('0 800 77777');
    expect(directory.country('md')?.emergency.number).toBe('112');
  });

  it('never shows an unverified helpline or one without a number', () => {
    expect(directory.shownHelplines('KG')).toEqual([]); // its only line is unverified
    expect(directory.shownHelplines('AE').map((h) => h.id)).not.toContain('ae-800save'); // no digits yet
    expect(directory.shownHelplines('LY').map((h) => h.id)).toEqual(['ly-unhcr-protection']); // the entry that says no national line was found has no number
    expect(directory.shownHelplines('KE').map((h) => h.id)).not.toContain('ke-reporting-line');
    const shownAnywhere = directory.countries().flatMap((cc) => directory.shownHelplines(cc));
    expect(shownAnywhere.every((h) => h.confidence !== 'unverified' && h.numbers.length > 0)).toBe(true);
  });

  it('puts trafficking, migrant-worker and labour lines before others, keeping file order within each group', () => {
    const file = hotlineFileSchema.parse({
      countries: {
        ZZ: {
          emergency,
          helplines: [
            line('zz-women', 'women', [{ number: '100', shortCode: true }]),
            line('zz-labour', 'labour', [{ number: '200', shortCode: true }]),
            line('zz-children', 'children', [{ number: '300', shortCode: true }]),
            line('zz-trafficking', 'trafficking', [{ number: '400', shortCode: true }]),
            line('zz-hidden', 'trafficking', [{ number: '500', shortCode: true }], 'unverified'),
          ],
        },
      },
    });
    expect(
      createHotlineDirectory(file)
        .shownHelplines('ZZ')
        .map((h) => h.id),
    ).toEqual(['zz-labour', 'zz-trafficking', 'zz-women', 'zz-children']);
  });

  it('answers unknown countries with nothing rather than throwing', () => {
    expect(directory.country('QQ')).toBeUndefined();
    expect(directory.shownHelplines('QQ')).toEqual([]);
  });

  it('suggests countries for a language, at most four, falling back to the base language', () => {
    expect(directory.countriesForLanguage('pt-BR')).toContain('BR');
    expect(directory.countriesForLanguage('pt')).toEqual(['BR', 'PT', 'AO']);
    expect(directory.countriesForLanguage('es-MX')).toContain('MX');
    expect(directory.countriesForLanguage('ro')).toEqual(['MD', 'RO']);
    expect(directory.countriesForLanguage('en')).toHaveLength(4);
    expect(directory.countriesForLanguage('xx')).toEqual([]);
  });

  it('ranks countries where the language comes first, then those with a trafficking line', () => {
    const file = hotlineFileSchema.parse({
      countries: {
        AA: { emergency, languages: ['en', 'ru'] },
        BB: { emergency, languages: ['ru'] },
        CC: { emergency, languages: ['ru'], helplines: [line('cc-line', 'trafficking', [{ number: '100', shortCode: true }])] },
      },
    });
    expect(createHotlineDirectory(file).countriesForLanguage('ru')).toEqual(['CC', 'BB', 'AA']);
  });
});
