import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { parse } from 'yaml';
import { checkHotlineNumbers, createHotlineDirectory, dialString, hotlineFileSchema } from '../../src/content/index.js';
import type { HelplineNumber, HotlineFile } from '../../src/content/index.js';

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

describe('the hotline schema speaks to the person editing', () => {
  it('says how to write a check date and that a source is needed, not the validator words', () => {
    const bad = { ...line('zz-x', 'trafficking', [{ number: '100', shortCode: true }]), checked: '3 Dec 2026', sources: [] };
    const result = hotlineFileSchema.safeParse({ countries: { ZZ: { emergency: { ...emergency, sources: ['example.org/112'] }, helplines: [bad] } } });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'countries.ZZ.helplines.0.checked: Write the day you checked this against its source as YYYY-MM-DD, e.g. 2026-12-03.',
        'countries.ZZ.helplines.0.sources: Give at least one source: the address of the page where you read this number.',
        'countries.ZZ.emergency.sources.0: Write the full address of the page, starting with https://.',
      ]),
    );
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

  it('checks the number an SMS button texts: a short code, or a valid number for the country', () => {
    const withSms = (sms: string) =>
      hotlineFileSchema.parse({
        countries: { TH: { emergency, helplines: [{ ...line('th-test', 'migrant-workers', [{ number: '1300', shortCode: true }]), sms }] } },
      });
    expect(checkHotlineNumbers(withSms('SMS to 1343 (Globe/TM)'))).toEqual([]);
    expect(checkHotlineNumbers(withSms('+66 99 130 1300'))).toEqual([]);
    // One digit missing from the international form, and a text with no number at all.
    expect(checkHotlineNumbers(withSms('+66 99 130 130'))).toEqual([
      expect.objectContaining({ path: 'countries.TH.helplines[0].sms', fix: expect.stringMatching(/not a valid phone number for TH/) }),
    ]);
    expect(checkHotlineNumbers(withSms('text us'))).toEqual([expect.objectContaining({ fix: expect.stringMatching(/number that takes text messages/) })]);
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

  it('never shows an unverified helpline, nor one that can be neither called nor written to', () => {
    expect(directory.shownHelplines('KG')).toEqual([]); // its only line is unverified
    expect(directory.shownHelplines('AE').map((h) => h.id)).not.toContain('ae-800save'); // no digits yet
    expect(directory.shownHelplines('LY').map((h) => h.id)).toEqual(['ly-unhcr-protection']); // the entry that says no national line was found has no number
    expect(directory.shownHelplines('KE').map((h) => h.id)).not.toContain('ke-reporting-line');
    const shownAnywhere = directory.countries().flatMap((cc) => directory.shownHelplines(cc));
    const reachable = (h: (typeof shownAnywhere)[number]) => h.numbers.length > 0 || Boolean(h.web ?? h.whatsapp ?? h.telegram ?? h.sms);
    expect(shownAnywhere.every((h) => h.confidence !== 'unverified' && reachable(h))).toBe(true);
  });

  it('shows a line reached only by writing (people who are watched or have no credit cannot call)', () => {
    // Russia: Alternativa takes requests on its website only; its trafficking line leads, before the children's line.
    expect(directory.shownHelplines('RU').map((h) => h.id)).toEqual(['ru-alternativa', 'ru-children-helpline']);
    expect(directory.emergencyHelplines('RU')[0]?.web).toBe('https://alternative.help');
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

// Countries where people from our languages commonly go to work (issue 12). Each must show, in an emergency answer,
// its emergency number and at least one helpline. Russia is left out on purpose: its only phone line (IOM and the
// St Petersburg Red Cross) belongs to a project that ended, so it is kept unverified and never shown.
const DESTINATION_COUNTRIES = [
  ...['SA', 'AE', 'QA', 'KW', 'OM', 'BH', 'JO', 'LB', 'IL', 'TR', 'CY'],
  ...['GB', 'DE', 'PL', 'IT', 'ES', 'FR', 'CZ', 'NL', 'AT', 'SE', 'GR', 'PT', 'BE', 'IE', 'RO'],
  ...['JP', 'KR', 'TW', 'HK', 'SG', 'MY', 'TH', 'CN'],
  ...['US', 'CA', 'MX', 'AU', 'NZ', 'ZA', 'KZ', 'LY'],
];

/** A number as a phone would dial it from abroad: E.164 and valid for the country it belongs to. */
const validAbroad = (cc: string, n: HelplineNumber): boolean => {
  const dial = dialString(cc, n);
  const parsed = parsePhoneNumberFromString(dial);
  return dial.startsWith('+') && parsed?.isValid() === true && parsed.country === cc;
};

describe('destination countries of labour migration', () => {
  it.each(DESTINATION_COUNTRIES)('%s shows its emergency number and a helpline with a valid number in an emergency', (cc) => {
    expect(directory.country(cc)?.emergency.number).toMatch(/^\d{2,6}$/);
    const lines = directory.emergencyHelplines(cc);
    expect(lines.length).toBeGreaterThan(0);
    expect(checkHotlineNumbers({ countries: { [cc]: { ...directory.country(cc)!, helplines: [...lines] } } })).toEqual([]);
  });

  it('keeps the ended Russian IOM line for staff to check but never shows it', () => {
    expect(directory.country('RU')?.helplines.find((h) => h.id === 'ru-iom-red-cross')?.confidence).toBe('unverified');
    expect(directory.shownHelplines('RU').map((h) => h.id)).not.toContain('ru-iom-red-cross');
  });
});

describe('channels for people who cannot call (issue 12)', () => {
  const helpline = (cc: string, id: string) => directory.shownHelplines(cc).find((h) => h.id === id);

  it.each([
    ['MX', 'mx-lnctp', { whatsapp: '+52 800 5533 000' }],
    ['NP', 'np-nwc-1145', { sms: 'SMS to 1145' }],
    ['TH', 'th-msdhs-abroad', { sms: '+66 99 130 1300' }],
    ['BR', 'br-disque-100', { whatsapp: '+55 61 99611-0100', telegram: 'direitoshumanosbrasil' }],
    ['ID', 'id-sapa-129', { whatsapp: '+62 811 1129 129' }],
    ['PH', 'ph-1343', { sms: 'SMS to 1343 (Globe/TM)' }],
    ['US', 'us-polaris', { sms: '233733 (text HELP or BEFREE)' }],
  ])('%s shows %s with the channel its source publishes', (cc, id, channels) => {
    expect(helpline(cc, id)).toMatchObject(channels);
  });

  it('every WhatsApp and SMS number in the directory passes the phone checks', () => {
    const problems = checkHotlineNumbers(shipped).filter((p) => /\.(sms|whatsapp)$/.test(p.path));
    expect(problems).toEqual([]);
    const lines = Object.values(shipped.countries).flatMap((c) => c.helplines);
    expect(lines.filter((h) => h.sms !== undefined).length).toBeGreaterThanOrEqual(6);
  });
});

describe('short codes and callers abroad', () => {
  it('lists no abroad form for Nepal Police 1177: the published "9771177" is not a valid number, and the check rejects it', () => {
    const np = directory.country('NP')?.helplines.find((h) => h.id === 'np-police-1177');
    expect(np?.numbers).toEqual([{ number: '1177', from: 'inside', shortCode: true }]);
    expect(np?.note).toMatch(/9771177.*not a valid Nepali number/);
    const file = hotlineFileSchema.parse({
      countries: {
        NP: {
          emergency,
          helplines: [
            line('np-test', 'trafficking', [
              { number: '1177', shortCode: true },
              { number: '+977 1177', from: 'abroad' },
            ]),
          ],
        },
      },
    });
    expect(checkHotlineNumbers(file)).toEqual([
      expect.objectContaining({ path: 'countries.NP.helplines[0].numbers[1].number', fix: expect.stringMatching(/not a valid phone number for NP/) }),
    ]);
  });
});

describe('lines for citizens abroad (home country)', () => {
  it('offers the DMW hotline 1348 as a short code, and its Manila lines to callers abroad', () => {
    const dmw = directory.country('PH')?.helplines.find((h) => h.id === 'ph-dmw');
    expect(dmw?.numbers[0]).toEqual({ number: '1348', from: 'inside', shortCode: true });
    expect(directory.abroadHelplines('PH').flatMap((h) => h.numbers.map((n) => dialString('PH', n)))).toEqual(['+63287221144', '+63287221155']);
  });

  it('rejects the DMW abroad form "+63 2 1348": not a full Philippine number, so it cannot be a button', () => {
    const file = hotlineFileSchema.parse({
      countries: { PH: { emergency, helplines: [line('ph-test', 'migrant-workers', [{ number: '+63 2 1348', from: 'abroad' }])] } },
    });
    expect(checkHotlineNumbers(file)).toEqual([
      expect.objectContaining({ number: '+63 2 1348', fix: expect.stringMatching(/not a valid phone number for PH/) }),
    ]);
  });

  it.each([
    ['NP', ['np-feb-1141'], ['+97715970008']],
    ['LK', ['lk-mfa-consular'], ['+94112338812', '+94117711194']],
    ['BD', ['bd-probash-bandhu'], ['+8809610102030']],
  ])('gives a person from %s the lines they can dial from abroad, and only those numbers', (cc, ids, dials) => {
    const lines = directory.abroadHelplines(cc);
    expect(lines.map((h) => h.id)).toEqual(ids);
    expect(lines.flatMap((h) => h.numbers.map((n) => dialString(cc, n)))).toEqual(dials);
  });

  it('says in the file, instead of guessing a number, where no line for Cambodians or Myanmar citizens abroad was found', () => {
    expect(directory.abroadHelplines('KH')).toEqual([]);
    expect(directory.abroadHelplines('MM')).toEqual([]);
    const kh = directory.country('KH')?.helplines.find((h) => h.id === 'kh-no-abroad-line');
    expect(kh?.numbers).toEqual([]);
    expect(kh?.note).toMatch(/No number that Cambodians abroad can call could be sourced/);
    expect(directory.country('MM')?.helplines[0]?.note).toMatch(/No line for Myanmar citizens who are already abroad/);
  });

  it('dials every number offered to citizens abroad in international form, valid for its country', () => {
    const offered = directory.countries().flatMap((cc) => directory.abroadHelplines(cc).flatMap((h) => h.numbers.map((n) => ({ cc, n }))));
    expect(offered.length).toBeGreaterThan(10);
    expect(offered.filter(({ cc, n }) => n.from === 'inside' || !validAbroad(cc, n))).toEqual([]);
  });
});
