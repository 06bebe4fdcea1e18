import { describe, expect, it } from 'vitest';
import { analyseAd, detectLanguage, resolveAdLanguage } from '../../src/screening/index.js';
import { adLevelFor } from '../../src/screening/ad-level.js';
import { loadAdCommon, loadAdConceptFiles, loadAdConcepts, loadIndicators } from './screening-data.js';

const indicators = loadIndicators();
const concepts = loadAdConcepts();
const common = loadAdCommon();
const files = loadAdConceptFiles();
const LANGUAGES = ['ar', 'en', 'es', 'fr', 'hi', 'km', 'pt-BR', 'ro', 'ru', 'sr', 'tl', 'uk'];

const analyse = (text: string, lang?: string) => analyseAd(text, concepts, indicators, lang ? { lang } : {});
const ids = (text: string, lang?: string) => analyse(text, lang).flags.map((f) => f.indicator);

describe('job-ad concept files', () => {
  it('ship a file per supported language, named after its language', () => {
    expect(files.map((f) => f.file)).toEqual(LANGUAGES.map((l) => `${l}.yaml`).sort());
    for (const { file, data } of files) expect(file).toBe(`${data.language}.yaml`);
  });

  it('give every signalled indicator examples in every language (checked at load: see content tests)', () => {
    const signalled = new Set(common.signals.map((s) => s.indicator));
    for (const { file, data } of files)
      expect(
        [...signalled].filter((id) => !data.examples[id]),
        file,
      ).toEqual([]);
  });
});

describe('analyseAd', () => {
  it('flags a fee, with the words from the first to the last matched one as evidence', () => {
    const text = 'Please pay a registration fee of 100 EUR.';
    const result = analyse(text, 'en');
    const fee = result.flags.find((f) => f.indicator === 'fee_upfront');
    expect(fee).toEqual({ indicator: 'fee_upfront', category: 'fees_and_debt', text: 'pay a registration fee', start: 7, end: 29 });
    expect(result.level).toBe('high');
  });

  it('reports offsets on the original text, through accents, capitals and line breaks', () => {
    const text = 'ÚNICAMENTE hoy!!\nCuota de   INSCRIPCIÓN: 200 €, pagar antes del viaje.';
    const result = analyse(text, 'es');
    expect(result.flags.length).toBeGreaterThan(0);
    for (const f of result.flags) expect(text.slice(f.start, f.end)).toBe(f.text);
  });

  it.each([
    'We never charge recruitment fees.',
    'No fees for candidates: the registration fee is paid by the employer.',
    'Registration is free of charge.',
    'Our agency does not ask for any fee or deposit.',
  ])('does not flag a fee that is negated or paid by the employer: %s', (text) => {
    expect(ids(text, 'en')).not.toContain('fee_upfront');
  });

  it('a negation reaches only its own clause', () => {
    expect(ids('No experience needed, registration fee 50 EUR.', 'en')).toContain('fee_upfront');
  });

  it('lets a negation deny only what follows it in its clause, or the words just before it', () => {
    // The "not" of the first clause belongs to "paid now"; the deduction after the colon stands.
    expect(ids('The placement fee need not be paid now: it is deducted from your first two salaries.', 'en')).toContain('debt_from_wages');
    expect(ids('The ticket is never deducted from your salary.', 'en')).not.toContain('debt_from_wages');
    expect(ids('The ticket cost, as the law requires, is not deducted from your salary.', 'en')).not.toContain('debt_from_wages');
    expect(ids('The fee is deducted from your salary? No.', 'en')).toContain('debt_from_wages');
    expect(ids('The ticket cost deducted from your salary: zero.', 'en')).toContain('debt_from_wages');
    expect(ids('The ticket cost deducted from your salary is zero.', 'en')).not.toContain('debt_from_wages');
  });

  it('reads "de" between a number and its currency as one amount ("400 de euro")', () => {
    const flag = analyse('Agentul a cerut 400 de euro pentru acte.', 'ro').flags.find((f) => f.indicator === 'fee_upfront');
    expect(flag?.text).toBe('cerut 400 de euro pentru acte');
    expect(ids('Agentul a cerut 400 de oameni pentru acte.', 'ro')).not.toContain('fee_upfront');
  });

  it('ends a Khmer clause at a space, the phrase break of a script written without spaces between words', () => {
    // "All wages are paid once at the end of the season, so that nobody runs away": the "not" of the
    // second phrase does not cancel the first. Within one phrase a negation still does.
    expect(ids('ប្រាក់ខែទាំងអស់នឹងបើកឱ្យម្តងគត់ពេលចប់រដូវ កុំឱ្យអ្នកណារត់ចោលការងារ។', 'km')).toContain('wages_withheld');
    expect(ids('ប្រាក់ខែទាំងអស់នឹងបើកឱ្យម្តងគត់ពេលចប់រដូវកុំឱ្យអ្នកណារត់ចោលការងារ។', 'km')).not.toContain('wages_withheld');
    expect(ids('យើងមិនយកថ្លៃសេវា 100$ ទេ។', 'km')).not.toContain('fee_upfront');
  });

  it('finds concepts in any order within a sentence, not across sentences', () => {
    expect(ids('100 EUR is the fee.', 'en')).toContain('fee_upfront');
    expect(ids('Deposit. 100 EUR.', 'en')).not.toContain('fee_upfront');
  });

  it('tells a passport kept by the employer from a passport the worker keeps', () => {
    expect(ids('The employer keeps your passport during the contract.', 'en')).toContain('passport_kept');
    expect(ids('Keep your passport with you; we only need a copy.', 'en')).not.toContain('passport_kept');
    expect(analyse('The employer keeps your passport. You are not allowed to go out alone.', 'en').level).toBe('urgent');
  });

  it('rates the Dubai ad of the issue high: fee, tourist visa, passport on WhatsApp, only 3 places', () => {
    const text =
      'Hotel jobs in Dubai! Processing fee 800 USD. You travel on a tourist visa. Send your passport copy on WhatsApp +971 50 000 0000. Only 3 places left!';
    const result = analyse(text);
    expect(result.language).toBe('en');
    expect(result.level).toMatch(/high|urgent/);
    expect(result.flags.map((f) => f.indicator)).toEqual(expect.arrayContaining(['fee_upfront', 'no_work_visa', 'rushed_departure']));
  });

  it('points an absence ("no company named") at its evidence, the phone number', () => {
    const text = 'Warehouse work in Germany, good pay. Call +49 170 0000000 now.';
    const flag = analyse(text, 'en').flags.find((f) => f.indicator === 'employer_unknown');
    expect(flag?.text).toBe('+49 170 0000000');
    expect(ids('Nordic Foods GmbH, call +49 170 0000000 or jobs@nordic.example.com', 'en')).not.toContain('employer_unknown');
  });

  it('counts one indicator once however often it repeats, and shows at most three of it', () => {
    const result = analyse('Only on WhatsApp! Only on WhatsApp! Only on WhatsApp! Only on WhatsApp! Only on WhatsApp! Or jobs@nordic.example.com.', 'en');
    expect(result.flags.filter((f) => f.indicator === 'messenger_only')).toHaveLength(3);
    expect(result.level).toBe('low');
  });

  it('says low with no flags for an ad with no red flag', () => {
    expect(analyse('Bakery assistant, 10 EUR per hour, contract from day one.', 'en')).toEqual({ level: 'low', language: 'en', flags: [] });
  });

  it('uses the asked language, its nearest file, or detection', () => {
    expect(analyse('Терміново! Реєстраційний внесок 100 євро.').language).toBe('uk');
    expect(analyse('Taxa de inscrição de 50 reais.', 'pt').language).toBe('pt-BR');
    expect(analyse('Taxa de inscrição de 50 euros.', 'pt-PT').language).toBe('pt-BR');
    expect(analyse('Kotizacija 100 evra.', 'sr-Latn').language).toBe('sr');
    expect(analyse('Hello there, warehouse job', 'de').language).toBe('en');
    expect(resolveAdLanguage('PT_br', LANGUAGES)).toBe('pt-BR');
    expect(resolveAdLanguage('zz', LANGUAGES)).toBeUndefined();
  });

  it('is deterministic', () => {
    const text = 'Urgent! Pay a 300 EUR deposit, tourist visa, only WhatsApp.';
    expect(analyse(text)).toEqual(analyse(text));
  });
});

describe('the ad level table', () => {
  const flag = (id: string) => {
    const i = indicators.find((x) => x.id === id);
    if (!i || i.category === 'context') throw new Error(id);
    return { indicator: i.id, category: i.category, strength: i.strength };
  };
  const redFlags = indicators.flatMap((i) => (i.category === 'context' ? [] : [flag(i.id)]));
  const weak = redFlags.filter((f) => f.strength === 'weak');

  it('never rates weak flags alone high, however many', () => {
    // Every subset of the weak indicators (2^n, n is small).
    for (let mask = 1; mask < 1 << weak.length; mask++) {
      const set = weak.filter((_, i) => mask & (1 << i));
      expect(['low', 'caution'], set.map((f) => f.indicator).join(',')).toContain(adLevelFor(set, concepts.levels));
    }
  });

  it('rates a worker-paid fee, document retention, a visa irregularity or no contract before departure alone at least high', () => {
    for (const id of ['fee_upfront', 'passport_kept', 'no_work_visa', 'no_written_contract'])
      expect(['high', 'urgent']).toContain(adLevelFor([flag(id)], concepts.levels));
  });

  it('rates two medium-or-strong flags of different categories at least high, and one medium flag caution', () => {
    const medium = redFlags.filter((f) => f.strength !== 'weak');
    for (const a of medium) for (const b of medium) if (a.category !== b.category) expect(['high', 'urgent']).toContain(adLevelFor([a, b], concepts.levels));
    expect(adLevelFor([flag('employer_unknown')], concepts.levels)).toBe('caution');
  });

  it('is low only without flags or with one weak flag, save the weak flags a caution rule names on its own', () => {
    expect(adLevelFor([], concepts.levels)).toBe('low');
    const named = new Set(concepts.levels.flatMap((r) => (r.level === 'caution' ? (r.any ?? []) : [])));
    expect([...named].sort()).toEqual(['contract_unreadable', 'rushed_departure']);
    for (const f of weak) expect(adLevelFor([f], concepts.levels), f.indicator).toBe(named.has(f.indicator) ? 'caution' : 'low');
    expect(adLevelFor([flag('employer_housing')], concepts.levels)).toBe('low');
  });
});

describe('linear time', () => {
  /** Work per character of an input, and of a benign ad of the same length. */
  const workOf = (text: string, lang?: string) => {
    const stats = { work: 0 };
    analyseAd(text, concepts, indicators, { ...(lang ? { lang } : {}), stats });
    return stats.work;
  };
  const N = 3000;
  const fill = (unit: string) => unit.repeat(Math.ceil(N / unit.length)).slice(0, N);
  const adversarial: Record<string, string> = {
    'digits and spaces with one Cyrillic letter': `ж${fill('1 ')}`.slice(0, N),
    'digits only': fill('7'),
    'digits with dots': fill('1.'),
    'plus signs and digits': fill('+1 '),
    'currency signs': fill('€1'),
    'at signs': fill('a@'),
    'one long word': fill('a'),
    'repeated English words': fill('fee pay passport keep employer '),
    'repeated Ukrainian words': fill('внесок оплата паспорт роботодавець '),
    'repeated Russian words': fill('взнос оплата паспорт работодатель '),
    'repeated Arabic words': fill('رسوم دفع جواز صاحب '),
    'repeated Hindi words': fill('शुल्क भुगतान पासपोर्ट मालिक '),
    'Khmer without spaces': fill('ថ្លៃសេវាលិខិតឆ្លងដែន'),
    'repeated negations': fill('no not never without '),
    'repeated phrase starts': fill('no work no visa no contract '),
  };
  const benign = fill('We are hiring bakery staff in Lyon, full time, contract from the first day, training given. ');

  it.each(Object.entries(adversarial))('does work linear in the length on %s', (_name, text) => {
    for (const lang of [undefined, 'ru', 'uk', 'ar', 'hi', 'km']) {
      const work = workOf(text, lang);
      expect(work, lang).toBeLessThanOrEqual(60 * text.length);
    }
  });

  it('does not do much more work on adversarial input than on a benign ad of the same length', () => {
    const base = workOf(benign, 'en');
    for (const [name, text] of Object.entries(adversarial)) expect(workOf(text), name).toBeLessThanOrEqual(8 * base);
  });

  it('grows linearly: double the text, at most a little more than double the work', () => {
    for (const text of [adversarial['repeated English words']!, adversarial['digits and spaces with one Cyrillic letter']!, benign]) {
      const one = workOf(text);
      const two = workOf(text + text);
      expect(two).toBeLessThanOrEqual(2.2 * one);
    }
  });
});

describe('detectLanguage', () => {
  it.each([
    ['Робота в Польщі, житло безкоштовне', 'uk'],
    ['Работа в Польше, жильё бесплатно', 'ru'],
    ['Посао у Немачкој, смештај обезбеђен', 'sr'],
    ['ការងារនៅប្រទេសថៃ', 'km'],
    ['مطلوب عمال', 'ar'],
    ['विदेश में नौकरी', 'hi'],
    ['Căutăm muncitori pentru depozit', 'ro'],
    ['Buscamos personal para almacén con experiencia', 'es'],
    ['Vagas para auxiliar de estoque, não precisa experiência', 'pt-BR'],
    ['Nous recherchons des préparateurs de commandes', 'fr'],
    ['Kailangan ng mga trabahador sa Dubai', 'tl'],
    ['We are hiring warehouse staff', 'en'],
    ['12345 !!!', 'en'],
  ])('%s -> %s', (text, lang) => {
    expect(detectLanguage(text, concepts.profiles)).toBe(lang);
  });
});

describe('analyseAd: warning posts, chats, amounts and payees (round d)', () => {
  const warned = ['pay a deposit of 300 EUR for the visa;', 'leave your passport with the agency "for safekeeping";', 'sign the contract only on arrival.'];

  it('reads what a warning post lists after "say no if they ask you to" as what it warns against', () => {
    const post = `Before you go abroad, say no if they ask you to:\n${warned.map((l) => `- ${l}`).join('\n')}\nCall the hotline.`;
    expect(analyse(post, 'en')).toMatchObject({ level: 'low', flags: [] });
    const ad = `Job in Dubai. You must:\n${warned.map((l) => `- ${l}`).join('\n')}`;
    expect(ids(ad, 'en')).toEqual(expect.arrayContaining(['fee_upfront', 'passport_kept', 'no_written_contract']));
  });

  it('still flags what stands before the warning heading', () => {
    const ad = 'Pay a deposit of 300 EUR for the visa. Beware of fake agencies: say no if they ask you to pay anyone else.';
    expect(ids(ad, 'en')).toContain('fee_upfront');
  });

  it('reads the answer of a pasted chat together with the question it answers', () => {
    const lines = [
      'Housemaid job in Kuwait, 120 KWD.',
      'And the ticket and the visa, who pays?',
      'The office pays first, then it is deducted from your salary.',
    ];
    const chat = `[Agent]: ${lines[0]}\n[Me]: ${lines[1]}\n[Agent]: ${lines[2]}`;
    expect(ids(chat, 'en')).toContain('debt_from_wages');
    // The same lines as an ad of separate sentences: the cost and the deduction stand apart.
    expect(ids(lines.join('\n'), 'en')).not.toContain('debt_from_wages');
  });

  it('takes an amount of zero as no fee', () => {
    expect(ids('Agency fee: 0 EUR. Salary 1800 EUR.', 'en')).not.toContain('fee_upfront');
    expect(ids('Agency fee: 300 EUR. Salary 1800 EUR.', 'en')).toContain('fee_upfront');
  });

  it('does not flag an official fee paid to the government or at the designated bank', () => {
    expect(ids('Only the official test fee is charged, paid at the designated bank with receipt.', 'en')).not.toContain('fee_upfront');
    expect(ids('Only the test fee is charged, paid to our coordinator in cash.', 'en')).toContain('fee_upfront');
  });

  it('takes a chat account with a first name as the only contact for an agency nobody can check', () => {
    const ad = 'Warehouse operatives needed in the Netherlands, 40 hours a week. Message Mark on Telegram for details.';
    expect(analyse(ad, 'en')).toMatchObject({ level: 'caution' });
    expect(ids(ad, 'en')).toContain('agency_unverified');
    expect(ids(`${ad} Or write to jobs@nordic.example.com.`, 'en')).not.toContain('agency_unverified');
  });

  it('flags a cost the recruiter advances and deducts from the wages', () => {
    expect(ids('We advance the money and deduct it from your salary.', 'en')).toContain('debt_from_wages');
  });

  it('does not flag a curfew or a passport the ad denies', () => {
    expect(ids('Free apartment, no curfew.', 'en')).not.toContain('cannot_leave');
    expect(ids('Your employer cannot hold your passport.', 'en')).not.toContain('passport_kept');
  });

  it('detects a Taglish ad as Tagalog by the small words English never uses', () => {
    const ad = [
      'Seasonal Worker – Poultry farm, UK',
      '£11.44 per hour, 39 hours per week, 6-month season. Shared accommodation malapit sa farm.',
      'Employer: Greenfield Poultry Ltd. Interview via Zoom.',
      'Pagkatapos pumasa sa interview, magbabayad kayo ng £2,000 para sa Certificate of Sponsorship bago i-release.',
    ].join('\n');
    expect(analyse(ad).language).toBe('tl');
  });

  it('reads the English words of a Tagalog ad too (alsoRead: [en])', () => {
    const ad = 'Cleaner sa hotel sa Dubai. Pagkatapos ng training, hand over your passport sa coordinator namin para sa visa.';
    expect(ids(ad, 'tl')).toContain('passport_kept');
  });

  it('leaves an ad that denies fees and warns against those who ask for them low', () => {
    const ad = 'Hindi kami naniningil ng placement fee. Kung may humihingi ng "reservation fee" sa GCash, wag kayong pumayag.';
    expect(ids(ad, 'tl')).not.toContain('fee_upfront');
  });

  it('reads an amount written in words next to a currency as money', () => {
    expect(ids('You pay two thousand dollars for the visa.', 'en')).toContain('fee_upfront');
    expect(ids('Hay que pagar dos mil dólares por el visado.', 'es')).toContain('fee_upfront');
    expect(ids('Нужно оплатить две тысячи долларов за визу.', 'ru')).toContain('fee_upfront');
    // Number words with no currency are no amount.
    expect(ids('You pay two visits to the doctor for the visa.', 'en')).not.toContain('fee_upfront');
  });

  it('flags a fee sent through a personal payment app, not wages paid through one', () => {
    expect(ids('The reservation fee goes to Mark through Zelle.', 'en')).toContain('fee_upfront');
    expect(ids('Para garantir a vaga, mande a taxa de reserva no Pix da coordenadora.', 'pt-BR')).toContain('fee_upfront');
    expect(ids('Pagamento toda sexta no Pix da própria pessoa, salário conforme o sindicato.', 'pt-BR')).not.toContain('fee_upfront');
  });
});

describe('e-mail addresses', () => {
  const ids = (text: string) => analyse(text, 'en').flags.map((f) => f.indicator);

  it('reads "name@domain.tld" as an e-mail contact, so a messenger beside it is not the only contact', () => {
    expect(ids('Warehouse job in Poland. Contact us on WhatsApp.')).toContain('messenger_only');
    expect(ids('Warehouse job in Poland. Contact us on WhatsApp or write to jobs@examplefoods.com')).not.toContain('messenger_only');
    expect(ids('Warehouse job in Poland. Contact us on WhatsApp or write to hr.team@agency.co.uk today')).not.toContain('messenger_only');
  });

  it('leaves "@" inside a word that is no address as it was ("p@ssport." ends a sentence)', () => {
    expect(ids('They keep your p@ssport. Contact us on WhatsApp')).toContain('messenger_only');
  });
});

describe('analyseAd: minors, denied lists and "up to" pay (round e)', () => {
  const level = (text: string, lang = 'en') => analyse(text, lang).level;

  it('rates an ad that recruits people under 18 at least high, in every form of age', () => {
    for (const text of [
      'Bar staff and hostesses wanted in Ayia Napa. Applicants aged 16 and above are welcome.',
      'Girls 15-22 wanted for hostess work in Dubai, flights paid.',
      'Waiters for a beach hotel in Cyprus, 16+ welcome, shared flat.',
      'Factory packers for Poland, from 16 years, contract on arrival.',
    ]) {
      expect(ids(text, 'en'), text).toContain('minors_recruited');
      expect(['high', 'urgent'], text).toContain(level(text));
    }
    expect(ids('Chicas de 15 a 22 años para anfitrionas en un club de Panamá.', 'es')).toContain('minors_recruited');
    expect(ids('Официанты с 16 лет в отель в Турции, билет оплачен.', 'ru')).toContain('minors_recruited');
    expect(ids('ត្រូវការនារី អាយុ ១៥-២២ ឆ្នាំ ធ្វើការនៅក្លឹប។', 'km')).toContain('minors_recruited');
  });

  it('reads "no age limit" as recruiting minors only for hostess, dance, massage or club work', () => {
    expect(ids('Dancers and hostesses for our night club in Seoul, no age limit.', 'en')).toContain('minors_recruited');
    expect(ids('Warehouse pickers in the Netherlands, no age limit, contract before departure.', 'en')).not.toContain('minors_recruited');
  });

  it("never reads an adult age, a limit from above, a children's age in care work, hours or years in business as a minor", () => {
    for (const text of [
      'Applicants must be 18+ and hold a valid passport.',
      'Drivers must be over 21 with a clean licence.',
      'Minimum age 18, maximum age 45.',
      'Au pair for a family with two children aged 12 and 15.',
      'Youth football trials for players aged under 16, parents come along.',
      'Kitchen shifts 15-22 hrs, five days a week.',
      'We have 15 years of experience in recruitment.',
      'Salary 16 EUR per hour, 40 hours a week.',
    ])
      expect(ids(text, 'en'), text).not.toContain('minors_recruited');
  });

  it('carries a negation along a denied list, in any language', () => {
    for (const [text, lang] of [
      ["We ask no fee, deposit or 'training cost' from workers.", 'en'],
      ['We charge no commission, deposit or visa fee.', 'en'],
      ['Sin cobro de comisión, depósito ni gastos de visa.', 'es'],
      ['Nous ne demandons aucun frais, caution ou dépôt de garantie.', 'fr'],
    ] as const)
      expect(ids(text, lang), text).not.toContain('fee_upfront');
  });

  it('reads a Hindi or Hinglish denial after its list ("fee ya deposit nahi")', () => {
    expect(ids('Hum kabhi registration fee ya security deposit nahi maangte.', 'en')).not.toContain('fee_upfront');
    expect(ids('कोई रजिस्ट्रेशन फीस या डिपॉज़िट नहीं लिया जाता।', 'hi')).not.toContain('fee_upfront');
    // Without a list, or with the negation in another clause, the fee stands.
    expect(ids('Registration fee 5000 rupees jama karna hoga, refund nahi milega.', 'en')).toContain('fee_upfront');
    // "nahi to": "or else", in the next clause: it denies nothing of the list.
    expect(ids('5000 rupees fee ya deposit, nahi to seat cancel.', 'en')).toContain('fee_upfront');
  });

  it('stops a denied list where the list stops: what follows is not denied', () => {
    for (const text of [
      'No experience needed, deposit 500 EUR before departure.',
      // What is denied first is no fee, so the list is not a list of fees.
      'No experience needed, fee or deposit: 500 EUR.',
      // No "or" / "nor": a new statement after the denial, not a list.
      'No fee, deposit 500 EUR.',
      'We take no fee, and a deposit of 300 EUR is kept until the end of the contract.',
      'No fee, deposit or commission to the agency; you pay 400 EUR to the coordinator for the visa.',
      // An amount asked before the list, in a clause of its own, is not denied by it.
      'Cost 300 EUR, no commission, deposit or levy.',
    ])
      expect(ids(text, 'en'), text).toContain('fee_upfront');
  });

  it('weighs "up to" a high pay with no experience as the weak sign it is: never high on its own', () => {
    const text = 'Salary up to 6000 EUR per month, no experience needed.';
    expect(ids(text, 'en')).toEqual(['too_good_pay']);
    expect(level(text)).toBe('low');
    expect(ids('Cleaners for Malta, pay up to 5000 EUR.', 'en')).toContain('too_good_pay');
    // With another weak sign it is worth checking (caution), still not high.
    expect(level('Salary up to 6000 EUR, no experience needed. Accommodation provided by the company. Apply at jobs@example-hotels.com.')).toBe('caution');
  });
});

describe('analyseAd: wages held back and employers nobody can name (round e)', () => {
  it('flags wages paid only every three months, or in full at the end even beside a completion bonus', () => {
    expect(ids('Pour limiter les départs, les salaires sont versés tous les trois mois.', 'fr')).toContain('wages_withheld');
    expect(ids('Wages are paid in full at the end of the season, together with a completion bonus.', 'en')).toContain('wages_withheld');
    // A bonus paid every quarter, or at the end, is on top of wages paid every month.
    expect(ids('Salary paid monthly, plus a quarterly bonus and a bonus every three months.', 'en')).not.toContain('wages_withheld');
    expect(ids('Salary paid monthly into your bank account; a completion bonus at the end of the season.', 'en')).not.toContain('wages_withheld');
  });

  it('flags an employer named only as "a reputable company", unless a company form, address or website names it', () => {
    const vague = 'A reputable manufacturing company in the Wrocław area is hiring packers. Send your CV to polandjobs.recruit@gmail.com.';
    expect(ids(vague, 'en')).toContain('employer_unknown');
    expect(ids(`${vague} Wrocław Packaging Ltd.`, 'en')).not.toContain('employer_unknown');
    expect(ids('A large hotel in Malta is hiring cooks. Apply at jobs@coralbayhotels.com.mt.', 'en')).not.toContain('employer_unknown');
  });

  it('reads Hinglish passports, deductions and payment apps, whatever language the ad is detected as', () => {
    expect(ids('Passport captain ke paas rahega. Ticket hum denge, salary se katega.')).toEqual(expect.arrayContaining(['passport_kept', 'debt_from_wages']));
    expect(ids('Company ka niyam: passport aapke paas rahega.')).not.toContain('passport_kept');
    expect(ids('Medical ke ₹15,000 coordinator ko GPay karne honge.')).toContain('fee_upfront');
  });

  it('flags wages paid to the team leader or the kafil instead of to each worker', () => {
    expect(ids("Les salaires de chaque équipe sont versés au chef d'équipe, qui les redistribue.", 'fr')).toContain('wages_withheld');
    expect(ids('Wages are paid into your own bank account, not to the team leader.', 'en')).not.toContain('wages_withheld');
  });

  it('does not read the Portuguese, Romanian or Tagalog words "o" and "do" as a company form', () => {
    // "ooo" and "doo" fold to "o" and "do" (repeated letters are folded), so they are not company words.
    expect(ids('Fale com o recrutador pelo WhatsApp, o salário é bom e o alojamento é do patrão.', 'pt-BR')).toContain('messenger_only');
  });
});
