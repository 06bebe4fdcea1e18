/**
 * What works in every state of every flow: commands (`/menu`, `/language`, `/help`, `/forget`,
 * `/sos`...) and the emergency answer, which always comes first.
 */
import { enter, reprompt } from './flow-runner.js';
import { onStart } from './deep-link.js';
import { compiledOf, lang, MAIN_FLOW, text, type EngineParts, type Turn } from './turn.js';

/** Commands that mean "I need help now": answered with the emergency numbers. */
export const EMERGENCY_COMMANDS: readonly string[] = ['sos', 'emergency', 'hotline'];

/** The emergency numbers first, then back to where the user was (or the country question). */
export function emergencyInto(parts: EngineParts, turn: Turn): void {
  turn.notes.push({ type: 'intent', intent: 'emergency' });
  turn.out.push(...parts.hotlines.emergency(lang(turn), turn.s.ctx.country, turn.s.ctx));
  if (turn.s.ctx.country) {
    turn.notes.push({ type: 'hotline', country: turn.s.ctx.country });
    reprompt(parts, turn);
  } else if (compiledOf(turn, 'country')) {
    enter(parts, turn, 'country', undefined);
  } else {
    reprompt(parts, turn);
  }
}

/** A command, typed with a slash or recognised from words (menu, language, forget). */
export function onCommand(parts: EngineParts, turn: Turn, command: string, args: string | undefined): void {
  const name = command.toLowerCase();
  if (EMERGENCY_COMMANDS.includes(name)) return emergencyInto(parts, turn);
  switch (name) {
    case 'start':
      return onStart(parts, turn, args, false);
    case 'menu':
      turn.notes.push({ type: 'intent', intent: 'menu' });
      return enter(parts, turn, MAIN_FLOW, parts.current.flows.get(MAIN_FLOW)?.def.states.menu ? 'menu' : undefined);
    case 'language': {
      turn.notes.push({ type: 'intent', intent: 'language' });
      // A language named with the command (the web widget's picker, `/language uk`) is chosen at once:
      // the question the user was at comes again in it, instead of the language menu in the old one.
      const chosen = args ? parts.tr.negotiate(args) : undefined;
      if (!chosen) return compiledOf(turn, 'language') ? enter(parts, turn, 'language', undefined) : reprompt(parts, turn);
      turn.s.ctx = { ...turn.s.ctx, language: chosen, languageChosen: true };
      turn.out.push(text(parts, turn, 'language.changed'));
      return reprompt(parts, turn);
    }
    case 'country':
      return compiledOf(turn, 'country') ? enter(parts, turn, 'country', undefined) : reprompt(parts, turn);
    case 'help':
      turn.notes.push({ type: 'intent', intent: 'help' });
      turn.out.push(text(parts, turn, 'system.help'));
      return reprompt(parts, turn);
    case 'forget':
    case 'stop':
      turn.notes.push({ type: 'intent', intent: 'forget' });
      turn.out.push(text(parts, turn, 'system.forgotten'), { type: 'forget' });
      turn.forget = true;
      return;
    default:
      turn.notes.push({ type: 'intent', intent: 'unknown_command' });
      turn.out.push(text(parts, turn, 'system.unknown_command'));
      return reprompt(parts, turn);
  }
}
