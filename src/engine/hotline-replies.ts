/** The hotline and emergency answers. Stateless: they work even when the store or a flow is broken. */
import type { HotlineDirectory } from '../content/index.js';
import { dialString } from '../content/index.js';
import type { Translator } from '../i18n/index.js';
import type { Outbound } from './types.js';

/** How many helplines one answer lists: enough to choose, few enough to read on a small screen. */
const MAX_HELPLINES = 3;
/** How many countries an answer lists before the user's country is known. */
const MAX_SUGGESTED = 3;

/** Renders hotline answers in the user's language. */
export interface HotlineReplies {
  /** The helplines and emergency number for a country. */
  forCountry(lng: string, country: string): Outbound[];
  /** The emergency answer: numbers first, for the country if known, else for likely countries. */
  emergency(lng: string, country: string | undefined): Outbound[];
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

  const emergencyContact = (lng: string, cc: string, withCountry: boolean): Outbound[] => {
    const entry = directory.country(cc);
    if (!entry) return [];
    const label = withCountry ? `${countryName(lng, cc)}: ${t(lng, 'hotlines.emergency')}` : t(lng, 'hotlines.emergency');
    return [
      { type: 'contact', label, number: entry.emergency.number, dial: dialString(cc, { number: entry.emergency.number, from: 'inside', shortCode: true }) },
    ];
  };

  const helplineContacts = (lng: string, cc: string, limit: number, withCountry: boolean): Outbound[] => {
    const out: Outbound[] = [];
    for (const helpline of directory.shownHelplines(cc).slice(0, limit)) {
      for (const n of helpline.numbers) {
        const notes = [n.tollFree ? t(lng, 'hotlines.free') : '', n.from === 'abroad' ? t(lng, 'hotlines.from_abroad') : ''].filter(Boolean);
        const prefix = withCountry ? `${countryName(lng, cc)}: ` : '';
        out.push({
          type: 'contact',
          label: `${prefix}${helpline.organisation} — ${helpline.name}${notes.length ? ` (${notes.join(', ')})` : ''}`,
          number: n.number,
          dial: dialString(cc, n),
        });
      }
      if (helpline.website) out.push({ type: 'link', label: helpline.organisation, url: helpline.website });
    }
    return out;
  };

  return {
    countryName,
    forCountry(lng, cc) {
      if (!directory.country(cc)) return [{ type: 'text', key: 'hotlines.unknown_country', text: t(lng, 'hotlines.unknown_country') }];
      const helplines = helplineContacts(lng, cc, MAX_HELPLINES, false);
      return [
        { type: 'text', key: 'hotlines.title', text: t(lng, 'hotlines.title', { country: countryName(lng, cc) }) },
        ...(helplines.length ? helplines : [{ type: 'text' as const, key: 'hotlines.none', text: t(lng, 'hotlines.none', { country: countryName(lng, cc) }) }]),
        ...emergencyContact(lng, cc, false),
        { type: 'text', key: 'hotlines.recheck', text: t(lng, 'hotlines.recheck') },
      ];
    },
    emergency(lng, cc) {
      if (cc && directory.country(cc)) {
        return [
          { type: 'text', key: 'emergency.intro', text: t(lng, 'emergency.intro', { country: countryName(lng, cc) }) },
          ...emergencyContact(lng, cc, false),
          ...helplineContacts(lng, cc, 2, false),
        ];
      }
      const suggested = directory.countriesForLanguage(lng).slice(0, MAX_SUGGESTED);
      return [
        { type: 'text', key: 'emergency.intro_no_country', text: t(lng, 'emergency.intro_no_country') },
        ...suggested.flatMap((c) => [...emergencyContact(lng, c, true), ...helplineContacts(lng, c, 1, true)]),
      ];
    },
  };
}

/** The ICU locale for a shipped language: Serbian is shipped in Latin script. */
export function intlLocale(lng: string): string {
  return lng === 'sr' ? 'sr-Latn' : lng;
}
