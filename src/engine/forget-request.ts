/**
 * Whether an inbound asks to forget the conversation, decided without the session (the host
 * asks before it reads the store): forget must work even for a conversation over its rate limit.
 */
import { refParts, type ActionRef, type Target } from '../flows/index.js';
import { readText } from './input-matching.js';
import { stateIn, type EngineParts } from './turn.js';
import type { Inbound } from './types.js';

/** Commands that delete the session (the widget's quick exit arrives as `forget`). */
const FORGET_COMMANDS: readonly string[] = ['forget', 'stop'];
/** The action that deletes the session from a flow. */
const FORGET_ACTION = 'forgetMe';

const forgets = (refs: ActionRef | ActionRef[] | undefined): boolean =>
  refs !== undefined && (Array.isArray(refs) ? refs : [refs]).some((ref) => refParts(ref).name === FORGET_ACTION);

/**
 * True for /forget, /stop and quick exit; for typed words read as forget; and for a press of a
 * button whose choice or next state runs `forgetMe`. The turn itself still checks the press
 * against the session (a stale or forged one is answered "expired", as always).
 */
export function asksToForget(parts: EngineParts, inbound: Inbound, language: string): boolean {
  const event = inbound.event;
  if (event.type === 'command') return FORGET_COMMANDS.includes(event.command.toLowerCase());
  if (event.type === 'text') {
    const intent = readText(parts, language, event.text).intent;
    return intent !== undefined && FORGET_COMMANDS.includes(intent);
  }
  if (event.type !== 'choice') return false;
  const [flow = null, state = null, id] = event.id.split('/');
  // Decided before the session is read: the press is looked up in the current flows.
  const def = stateIn(parts.current, flow, state);
  const choice = def && 'choices' in def ? def.choices.find((c) => c.id === id) : undefined;
  if (!choice) return false;
  if (forgets(choice.action)) return true;
  const next: Target = choice.next;
  const target = typeof next === 'string' ? stateIn(parts.current, flow, next) : stateIn(parts.current, next.flow, next.state ?? null);
  return target !== undefined && 'action' in target && forgets(target.action);
}
