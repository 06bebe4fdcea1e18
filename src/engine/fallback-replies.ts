/**
 * Replies that need no flow and no stored session: the emergency answer (the store may be
 * down), "slow down" for a conversation over its rate limit, and the apology for a failed turn.
 * Every one of them that can matter in danger carries the numbers.
 */
import type { Session } from './session.js';
import type { EngineParts } from './turn.js';
import type { Inbound, Reply } from './types.js';

/** A fresh session's language and country for an inbound message (no store needed). */
export function freshSession(parts: EngineParts, inbound: Inbound, now: number): Session {
  const { tr, defaults, countrySet } = parts;
  const language = tr.negotiate(inbound.languageHint) ?? tr.negotiate(defaults.language) ?? 'en';
  const hinted = inbound.countryHint?.toUpperCase();
  const country = hinted && countrySet.has(hinted) ? hinted : defaults.country;
  return { v: 1, flow: null, version: '', state: null, ctx: { language, ...(country ? { country } : {}), answers: {}, factCursor: 0 }, turns: 0, seen: now };
}

/** The emergency answer alone. */
export function emergencyReply(parts: EngineParts, inbound: Inbound, session?: Session): Reply {
  const s = session ?? freshSession(parts, inbound, 0);
  return {
    messages: parts.hotlines.emergency(s.ctx.language, s.ctx.country, s.ctx),
    language: s.ctx.language,
    direction: parts.tr.direction(s.ctx.language),
  };
}

/** The polite "slow down" answer. */
export function rateLimitedReply(parts: EngineParts, inbound: Inbound): Reply {
  const l = parts.tr.negotiate(inbound.languageHint) ?? parts.defaults.language;
  return {
    messages: [{ type: 'text', key: 'system.rate_limited', text: parts.tr.t(l, 'system.rate_limited') }],
    language: l,
    direction: parts.tr.direction(l),
  };
}

/** A kind apology with the hotline, for a turn that failed. */
export function failureReply(parts: EngineParts, inbound: Inbound, session?: Session): Reply {
  const s = session ?? freshSession(parts, inbound, 0);
  const l = s.ctx.language;
  return {
    messages: [{ type: 'text', key: 'system.error', text: parts.tr.t(l, 'system.error') }, ...parts.hotlines.emergency(l, s.ctx.country, s.ctx)],
    language: l,
    direction: parts.tr.direction(l),
  };
}
