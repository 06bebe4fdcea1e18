/** The stored conversation: where it is in which flow, and the little data it needs. Never message text. */
import type { Target } from '../flows/index.js';
import type { FlowContext } from './flow-context.js';

/** A flow waiting for the flow it called to return: where to continue, and its own parameters. */
export interface CallFrame {
  flow: string;
  then: Target;
  params?: Record<string, string>;
}

/** One conversation's state between turns. */
export interface Session {
  v: 1;
  /** The running flow, or null before the first flow and after an end node. */
  flow: string | null;
  /**
   * The version of the flows the conversation runs on (all flows as loaded together). A session keeps
   * it after a reload until it next reaches the main menu; an unknown one (the process restarted, or
   * the version was retired) is checked against the current flows before it is restored.
   */
  version: string;
  /** The state the flow waits in. */
  state: string | null;
  ctx: FlowContext;
  /** The flows that called the running one, innermost last (absent when no call is running). */
  stack?: CallFrame[];
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
    Object.values(ctx.answers).every((a) => typeof a === 'string') &&
    (ctx.params === undefined || isWordMap(ctx.params)) &&
    (ctx.returned === undefined || isWord(ctx.returned)) &&
    (s.stack === undefined || (Array.isArray(s.stack) && s.stack.every(isFrame)));
  return ok ? (value as Session) : undefined;
}

const isWord = (v: unknown): v is string => typeof v === 'string' && /^[a-z][a-z0-9_]*$|^[A-Z]{2}$|^[a-z]{2,3}(-[A-Z]{2})?$/.test(v);
const isWordMap = (v: unknown): boolean =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.entries(v).every(([k, x]) => /^[a-z][a-z0-9_]*$/.test(k) && isWord(x));
const isTarget = (t: unknown): boolean => {
  if (isWord(t)) return true;
  const target = t as { flow?: unknown; state?: unknown } | null;
  return target !== null && typeof target === 'object' && isWord(target.flow) && (target.state === undefined || isWord(target.state));
};
function isFrame(f: unknown): boolean {
  const frame = f as Partial<CallFrame> | null;
  return frame !== null && typeof frame === 'object' && isWord(frame.flow) && isTarget(frame.then) && (frame.params === undefined || isWordMap(frame.params));
}

/** Serializes a session for the store. */
export function serializeSession(session: Session): string {
  return JSON.stringify(session);
}
