/** The stored conversation: where it is in which flow, and the little data it needs. Never message text. */
import type { FlowContext } from './flow-context.js';

/** One conversation's state between turns. */
export interface Session {
  v: 1;
  /** The running flow, or null before the first flow and after an end node. */
  flow: string | null;
  /** The flow's content version when saved; a mismatch triggers a check of the state. */
  version: string;
  /** The state the flow waits in. */
  state: string | null;
  ctx: FlowContext;
  /** Turns taken, for rate limits and figures. */
  turns: number;
  /** Last seen, epoch milliseconds. */
  seen: number;
}

/** Reads a stored session; undefined when it is unreadable (an old format or a damaged value). */
export function parseSession(json: string): Session | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  // A hand-written check: this runs on every turn, and the shape is small and fixed.
  const s = value as Partial<Session> | null;
  const ctx = s?.ctx as Partial<FlowContext> | undefined;
  const ok =
    s !== null &&
    typeof s === 'object' &&
    s.v === 1 &&
    (s.flow === null || typeof s.flow === 'string') &&
    (s.state === null || typeof s.state === 'string') &&
    typeof s.version === 'string' &&
    Number.isInteger(s.turns) &&
    typeof s.seen === 'number' &&
    ctx !== null &&
    typeof ctx === 'object' &&
    typeof ctx.language === 'string' &&
    (ctx.languageChosen === undefined || typeof ctx.languageChosen === 'boolean') &&
    [ctx.country, ctx.jobCountry, ctx.home].every((c) => c === undefined || (typeof c === 'string' && /^[A-Z]{2}$/.test(c))) &&
    (ctx.homeAsked === undefined || typeof ctx.homeAsked === 'boolean') &&
    (ctx.adLevel === undefined || ['low', 'caution', 'high', 'urgent'].includes(ctx.adLevel)) &&
    Number.isInteger(ctx.factCursor) &&
    ctx.factCursor! >= 0 &&
    ctx.answers !== null &&
    typeof ctx.answers === 'object' &&
    Object.values(ctx.answers).every((a) => typeof a === 'string');
  return ok ? (value as Session) : undefined;
}

/** Serializes a session for the store. */
export function serializeSession(session: Session): string {
  return JSON.stringify(session);
}
