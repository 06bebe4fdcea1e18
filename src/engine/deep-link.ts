/** Telegram-style deep links (`/start md_ro`): where the person is and which language they read. */
import { enter } from './flow-runner.js';
import { MAIN_FLOW, type EngineParts, type Turn } from './turn.js';

/** Reads a deep link such as `md_ro`, `br_pt-BR`, `ua` or `_uk`; unknown parts are ignored. */
export function parseDeepLink(
  payload: string | undefined,
  negotiate: (language: string) => string | undefined,
  countries: ReadonlySet<string>,
): { country?: string; language?: string } {
  if (!payload) return {};
  const [countryPart = '', languagePart = ''] = payload.trim().split('_', 2);
  const country = countryPart.toUpperCase();
  const language = languagePart ? negotiate(languagePart) : undefined;
  return { ...(countries.has(country) ? { country } : {}), ...(language ? { language } : {}) };
}

/** A (re)start: applies the deep link (a language the user chose wins over it) and shows the main flow. */
export function onStart(parts: EngineParts, turn: Turn, payload: string | undefined, isNew: boolean): void {
  const link = parseDeepLink(payload, (l) => parts.tr.negotiate(l), parts.countrySet);
  if (link.country) turn.s.ctx = { ...turn.s.ctx, country: link.country };
  if (link.language && !turn.s.ctx.languageChosen) turn.s.ctx = { ...turn.s.ctx, language: link.language };
  if (!isNew) turn.s = { ...turn.s, flow: null, state: null };
  enter(parts, turn, MAIN_FLOW, undefined);
}
