/** The hotline and emergency answers. Stateless: they work even when the store or a flow is broken. */
import type { Helpline, HotlineDirectory } from '../content/index.js';
import { dialString } from '../content/index.js';
import type { Translator } from '../i18n/index.js';
import type { LineChannel, NumberLine, NumberSection, Outbound } from './types.js';

/** How many helplines one answer lists: enough to choose, few enough to read on a small screen. */
const MAX_HELPLINES = 3;
/** How many helplines the emergency answer lists under the emergency number. */
const MAX_EMERGENCY_HELPLINES = 2;
/** How many countries an answer lists before the user's country is known. */
const MAX_SUGGESTED = 3;

/** The two other countries a person may have given: where the job is, and their home country. Never where they are. */
export interface OtherCountries {
  jobCountry?: string;
  home?: string;
}

/** Renders hotline answers in the user's language. */
export interface HotlineReplies {
  /**
   * The emergency number and helplines for where the person is; then, when they differ from it, the
   * lines of the country where the job is and their home country's lines for citizens abroad.
   */
  forCountry(lng: string, country: string, others?: OtherCountries): Outbound[];
  /** The emergency answer: numbers first, for the country if known, else for likely countries; then home lines; never an enforcement line. */
  emergency(lng: string, country: string | undefined, others?: OtherCountries): Outbound[];
  /** Only the home country's lines for citizens abroad (after the person gave their home country). */
  forHome(lng: string, country: string | undefined, home: string): Outbound[];
  /** The country's name in the language. */
  countryName(lng: string, country: string): string;
}

/** Creates the hotline answers over the directory. */
export function createHotlineReplies(directory: HotlineDirectory, translator: Translator): HotlineReplies {
  const names = new Map<string, string>();
  const countryName = (lng: string, cc: string): string => {
    const key = `${lng}:${cc}`;
    let name = names.get(key);
    if (name === undefined) {
      name = new Intl.DisplayNames([intlLocale(lng), 'en'], { type: 'region', fallback: 'code' }).of(cc) ?? cc;
      names.set(key, name);
    }
    return name;
  };
  const t = translator.t.bind(translator);
  /** A line's own text in the language, when a translator wrote it (locales/<lang>/hotlines.json, `lines.<id>`). */
  const own = (lng: string, helpline: Helpline, field: 'name' | 'purpose'): string | undefined => {
    const key = `hotlines.lines.${helpline.id}.${field}`;
    return translator.has(lng, key) ? t(lng, key) : undefined;
  };

  const emergencyLine = (lng: string, cc: string): NumberLine[] => {
    const entry = directory.country(cc);
    if (!entry) return [];
    const number = entry.emergency.number;
    return [
      {
        kind: 'emergency',
        title: t(lng, 'hotlines.emergency'),
        numbers: [{ number, dial: dialString(cc, { number, from: 'inside', shortCode: true }), marks: [] }],
        channels: [],
      },
    ];
  };

  const channelsOf = (lng: string, h: Helpline): LineChannel[] => {
    const out: LineChannel[] = [];
    const whatsapp = h.whatsapp && digits(h.whatsapp);
    if (whatsapp) out.push({ label: 'WhatsApp', text: h.whatsapp!.trim(), url: `https://wa.me/${whatsapp}` });
    const telegram = h.telegram
      ?.trim()
      .replace(/^(?:https?:\/\/)?t\.me\//, '')
      .replace(/^@/, '');
    if (telegram && /^\w{4,}$/.test(telegram)) out.push({ label: 'Telegram', text: `@${telegram}`, url: `https://t.me/${telegram}` });
    const sms = h.sms?.match(/\+?\d[\d ]*\d/)?.[0];
    if (sms) out.push({ label: t(lng, 'hotlines.channel.sms'), text: sms, url: `sms:${sms.replace(/ /g, '')}` });
    const web = h.web ?? h.website;
    // The address is shown, not hidden behind a label: people should see where a link goes.
    if (web) out.push({ label: t(lng, h.web ? 'hotlines.channel.web' : 'hotlines.channel.website'), text: web, url: web });
    return out;
  };

  const helplineLine = (lng: string, cc: string, h: Helpline): NumberLine => {
    const notes = [h.confidential ? t(lng, 'hotlines.note.confidential') : '', h.withoutPapers ? t(lng, 'hotlines.note.without_papers') : ''].filter(Boolean);
    return {
      kind: 'helpline',
      // The operator's own name is kept as written; the service's name may be translated.
      title: `${h.organisation} — ${own(lng, h, 'name') ?? h.name}`,
      // A translated general description beats an English sentence for someone who may not read English.
      purpose: own(lng, h, 'purpose') ?? (lng === 'en' && h.purpose ? h.purpose : t(lng, `hotlines.kind.${h.kind}`)),
      numbers: h.numbers.map((n) => ({
        number: n.number,
        dial: dialString(cc, n),
        marks: [n.tollFree ? t(lng, 'hotlines.free') : '', n.from === 'abroad' ? t(lng, 'hotlines.from_abroad') : ''].filter(Boolean),
      })),
      channels: channelsOf(lng, h),
      ...(notes.length ? { note: notes.join(' ') } : {}),
    };
  };

  /** A country's emergency number, then its first `count` helplines fit for the emergency answer (never enforcement). */
  const emergencyLines = (lng: string, cc: string, count: number): NumberLine[] => [
    ...emergencyLine(lng, cc),
    ...directory
      .emergencyHelplines(cc)
      .slice(0, count)
      .map((h) => helplineLine(lng, cc, h)),
  ];

  /** The home country's lines for its citizens abroad, under their own heading; nothing when home is where they are. */
  const homeSection = (lng: string, country: string | undefined, home: string | undefined): NumberSection[] => {
    if (!home || home === country) return [];
    const lines = directory
      .abroadHelplines(home)
      .slice(0, MAX_HELPLINES)
      .map((h) => helplineLine(lng, home, h));
    return lines.length ? [{ heading: t(lng, 'hotlines.home_heading', { country: countryName(lng, home) }), lines }] : [];
  };

  /** Where the job is, when it is not where the person is: its emergency number and helplines (never enforcement). */
  const jobSection = (lng: string, country: string, job: string | undefined): NumberSection[] => {
    if (!job || job === country || !directory.country(job)) return [];
    return [{ heading: t(lng, 'hotlines.job_heading', { country: countryName(lng, job) }), lines: emergencyLines(lng, job, MAX_EMERGENCY_HELPLINES) }];
  };

  return {
    countryName,
    forHome(lng, cc, home) {
      const sections = homeSection(lng, cc, home);
      if (!sections.length) return [{ type: 'text', key: 'hotlines.home_none', text: t(lng, 'hotlines.home_none', { country: countryName(lng, home) }) }];
      return [{ type: 'numbers', key: 'hotlines.home_heading', sections, outro: t(lng, 'hotlines.recheck') }];
    },
    forCountry(lng, cc, others = {}) {
      const { home, jobCountry } = others;
      if (!directory.country(cc)) return [{ type: 'text', key: 'hotlines.unknown_country', text: t(lng, 'hotlines.unknown_country') }];
      const helplines = directory
        .shownHelplines(cc)
        .slice(0, MAX_HELPLINES)
        .map((h) => helplineLine(lng, cc, h));
      const title = t(lng, 'hotlines.title', { country: countryName(lng, cc) });
      return [
        {
          type: 'numbers',
          key: 'hotlines.title',
          intro: helplines.length ? title : `${title}\n${t(lng, 'hotlines.none', { country: countryName(lng, cc) })}`,
          sections: [{ lines: [...emergencyLine(lng, cc), ...helplines] }, ...jobSection(lng, cc, jobCountry), ...homeSection(lng, cc, home)],
          outro: t(lng, 'hotlines.recheck'),
        },
      ];
    },
    emergency(lng, cc, others = {}) {
      const { home } = others;
      if (cc && directory.country(cc)) {
        return [
          {
            type: 'numbers',
            key: 'emergency.intro',
            intro: t(lng, 'emergency.intro', { country: countryName(lng, cc) }),
            sections: [{ lines: emergencyLines(lng, cc, MAX_EMERGENCY_HELPLINES) }, ...homeSection(lng, cc, home)],
          },
        ];
      }
      const suggested = directory.countriesForLanguage(lng).slice(0, MAX_SUGGESTED);
      return [
        {
          type: 'numbers',
          key: 'emergency.intro_no_country',
          intro: t(lng, 'emergency.intro_no_country'),
          sections: [
            ...suggested.map((c) => ({
              heading: countryName(lng, c),
              // One helpline each: several countries share the answer.
              lines: emergencyLines(lng, c, 1),
            })),
            ...homeSection(lng, undefined, home),
          ],
        },
      ];
    },
  };
}

const digits = (text: string): string => text.replace(/\D/g, '');

/** The ICU locale for a shipped language: Serbian is shipped in Latin script. */
export function intlLocale(lng: string): string {
  return lng === 'sr' ? 'sr-Latn' : lng;
}
