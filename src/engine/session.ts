/** The stored conversation: where it is in which flow, and the little data it needs. Never message text. */
import { z } from 'zod';
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

const sessionSchema = z.object({
  v: z.literal(1),
  flow: z.string().nullable(),
  version: z.string(),
  state: z.string().nullable(),
  ctx: z.object({
    language: z.string(),
    languageChosen: z.boolean().optional(),
    country: z.string().optional(),
    answers: z.record(z.string(), z.string()),
    factCursor: z.number().int().nonnegative(),
  }),
  turns: z.number().int().nonnegative(),
  seen: z.number(),
});

/** Reads a stored session; undefined when it is unreadable (an old format or a damaged value). */
export function parseSession(json: string): Session | undefined {
  try {
    const result = sessionSchema.safeParse(JSON.parse(json));
    return result.success ? (result.data as Session) : undefined;
  } catch {
    return undefined;
  }
}

/** Serializes a session for the store. */
export function serializeSession(session: Session): string {
  return JSON.stringify(session);
}
