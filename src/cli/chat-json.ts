/**
 * The stable JSON form of one chat turn (`lantern chat --json`, `lantern explain`): what was
 * typed, the intent the bot acted on, the concepts it read with the words that fired them, where
 * the person is after the turn, and every message of the reply. Tests outside the project read it.
 */
import type { Outbound, StepResult } from '../engine/index.js';

/** One line of `lantern chat --json`. */
export interface JsonTurn {
  turn: number;
  input: string;
  intent: string | null;
  concepts: { id: string; words: string[] }[];
  country: string | null;
  messages: Outbound[];
}

/** Intents in the order they decide what a turn was about (the emergency first). */
const INTENTS = ['emergency', 'forget', 'menu', 'language', 'help', 'expired', 'unsupported', 'restarted', 'unknown_command', 'not_understood'];

/** Builds the JSON line of one turn from the engine's step result. */
export function jsonTurn(turn: number, input: string, result: StepResult): JsonTurn {
  const noted = new Set(result.notes.flatMap((n) => (n.type === 'intent' ? [n.intent] : [])));
  const intent = INTENTS.find((i) => noted.has(i as never)) ?? answerIntent(result) ?? null;
  return {
    turn,
    input,
    intent,
    concepts: (result.reading?.concepts ?? []).map((c) => ({ id: c.id, words: c.words })),
    country: result.session?.ctx.country ?? null,
    messages: result.reply.messages,
  };
}

/** A typed answer the engine read (yes / no / not sure, a place), named as an intent. */
function answerIntent(result: StepResult): string | undefined {
  if (result.reading?.answer) return `answer.${result.reading.answer}`;
  return undefined;
}
