/** Lookups over the hotline directory: which numbers to show for a country or a language. */
import type { CountryHotlines, Helpline, HotlineFile } from './hotline-schema.js';

/** Read-only view of `flows/hotlines.yaml` that the engine asks for numbers to show. */
export interface HotlineDirectory {
  /** The entry for a two-letter country code (any case), or undefined. */
  country(cc: string): CountryHotlines | undefined;
  /** Every country code in file order. */
  countries(): readonly string[];
  /** Helplines a user may see, trafficking, migrant-worker and labour lines first, enforcement lines last. */
  shownHelplines(cc: string): readonly Helpline[];
  /** Helplines for an emergency answer: as shown, without enforcement lines (a tip line may act against the caller). */
  emergencyHelplines(cc: string): readonly Helpline[];
  /** A home country's lines for its citizens abroad: only the numbers dialled from abroad or anywhere; never enforcement. */
  abroadHelplines(cc: string): readonly Helpline[];
  /** Up to four countries where a language is mostly spoken, most relevant first. */
  countriesForLanguage(lang: string): readonly string[];
}

const MAX_LANGUAGE_COUNTRIES = 4;
// A job seeker at risk needs these before general women's, children's or crime lines.
const FIRST_KINDS: ReadonlySet<Helpline['kind']> = new Set(['trafficking', 'migrant-workers', 'labour']);

const isFirstKind = (h: Helpline): boolean => FIRST_KINDS.has(h.kind);
/** Police or immigration tip lines: they may act against a caller without papers, so they never lead. */
const isEnforcement = (h: Helpline): boolean => h.kind === 'enforcement';
const reachedInWriting = (h: Helpline): boolean => Boolean(h.web ?? h.whatsapp ?? h.telegram ?? h.sms);
const rankOf = (h: Helpline): number => (isFirstKind(h) ? 0 : isEnforcement(h) ? 2 : 1);
const baseLanguage = (tag: string): string => tag.toLowerCase().split('-')[0] ?? '';

/** Builds the lookups once from a parsed directory; pure, does no I/O. */
export function createHotlineDirectory(file: HotlineFile): HotlineDirectory {
  const entries = new Map(Object.entries(file.countries));
  const codes = Object.freeze([...entries.keys()]);

  const shown = new Map<string, readonly Helpline[]>();
  const emergency = new Map<string, readonly Helpline[]>();
  const abroad = new Map<string, readonly Helpline[]>();
  for (const [cc, entry] of entries) {
    // Unverified numbers stay in the file for staff to check but never reach a user. A line reached
    // only by writing (a form, WhatsApp, Telegram, SMS) is shown too: people who are watched or have
    // no credit cannot call.
    const visible = entry.helplines.filter((h) => h.confidence !== 'unverified' && (h.numbers.length > 0 || reachedInWriting(h)));
    // Array.prototype.sort is stable, so file order decides within each group.
    const ranked = Object.freeze(visible.sort((a, b) => rankOf(a) - rankOf(b)));
    shown.set(cc, ranked);
    emergency.set(cc, Object.freeze(ranked.filter((h) => !isEnforcement(h))));
    abroad.set(
      cc,
      Object.freeze(
        ranked
          .filter((h) => !isEnforcement(h))
          .map((h) => ({ ...h, numbers: h.numbers.filter((n) => n.from !== 'inside') }))
          .filter((h) => h.numbers.length > 0),
      ),
    );
  }

  const hasFirstKindLine = (cc: string): boolean => (shown.get(cc) ?? []).some(isFirstKind);

  /** Ranks countries whose languages satisfy `matches`: primary language first, then those with a trafficking line, then file order. */
  const rank = (matches: (tag: string) => boolean): string[] =>
    codes
      .map((cc, order) => ({ cc, order, position: (entries.get(cc)?.languages ?? []).findIndex(matches) }))
      .filter((c) => c.position >= 0)
      .sort((a, b) => a.position - b.position || Number(hasFirstKindLine(b.cc)) - Number(hasFirstKindLine(a.cc)) || a.order - b.order)
      .map((c) => c.cc);

  return {
    country: (cc) => entries.get(cc.toUpperCase()),
    countries: () => codes,
    shownHelplines: (cc) => shown.get(cc.toUpperCase()) ?? [],
    emergencyHelplines: (cc) => emergency.get(cc.toUpperCase()) ?? [],
    abroadHelplines: (cc) => abroad.get(cc.toUpperCase()) ?? [],
    countriesForLanguage(lang) {
      const wanted = lang.trim().toLowerCase();
      if (wanted === '') return [];
      let found = rank((tag) => tag.toLowerCase() === wanted);
      // pt-BR finds Brazil; pt or es-MX fall back to every country sharing the base language.
      if (found.length === 0) found = rank((tag) => baseLanguage(tag) === baseLanguage(wanted));
      return found.slice(0, MAX_LANGUAGE_COUNTRIES);
    },
  };
}
