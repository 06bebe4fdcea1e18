/**
 * Typed text in a waiting step: the global intents first (emergency above all), then what the
 * step asked for — a button typed by number or label, a yes / no / not sure word, a language or a
 * country name, or free text. Anything else gets "did not understand" and the question again.
 */
import { intlLocale } from './hotline-replies.js';
import type { FlowEvent } from './flow-context.js';
import { enter, reprompt, restart, send } from './flow-runner.js';
import { emergencyInto, onCommand } from './global-intents.js';
import { prompt, screeningQuestion } from './prompts.js';
import { isKeyword, mentionsKeyword, normalize } from './text-match.js';
import { lang, MAIN_FLOW, stateDef, text, waits, type EngineParts, type Turn } from './turn.js';

/** Typed text longer than this is cut (with a note): nobody needs more to describe a job offer. */
export const MAX_TEXT = 3000;

/** True when typed text asks for emergency help, in the given language or English. */
export function textIsEmergency(parts: EngineParts, language: string, input: string): boolean {
  return mentionsKeyword(input.slice(0, MAX_TEXT), parts.wordsFor(language, 'emergency'));
}

/** Handles one typed message in the state the session rests in. */
export function onText(parts: EngineParts, turn: Turn, raw: string): void {
  let input = raw;
  if (input.length > MAX_TEXT) {
    input = input.slice(0, MAX_TEXT);
    turn.out.push(text(parts, turn, 'system.cut', { max: MAX_TEXT }));
  }
  const l = lang(turn);
  if (textIsEmergency(parts, l, input)) return emergencyInto(parts, turn);
  for (const intent of ['menu', 'language', 'forget'] as const) {
    if (isKeyword(input, parts.wordsFor(l, intent))) return onCommand(parts, turn, intent, undefined);
  }
  const state = stateDef(parts, turn.s.flow, turn.s.state);
  if (!state || !waits(state)) {
    if (turn.s.flow) return restart(parts, turn);
    return enter(parts, turn, MAIN_FLOW, undefined);
  }
  if ('screening' in state) {
    const question = screeningQuestion(parts, turn);
    const answer = question && matchChoice(parts, turn, question.answers.map((a) => ({ id: a.id, label: `screening.answer.${a.id}` })), input);
    if (question && answer?.type === 'user.choice' && send(parts, turn, { type: 'user.choice', choice: `${question.id}:${answer.choice}` })) return;
    return notUnderstood(parts, turn);
  }
  if ('input' in state) {
    send(parts, turn, { type: 'user.text', text: input });
    return;
  }
  const event = 'choices' in state ? matchChoice(parts, turn, state.choices, input) : matchOption(parts, turn, state.options, input);
  if (event && send(parts, turn, event)) return;
  notUnderstood(parts, turn);
}

/** "Did not understand", then the question again. */
function notUnderstood(parts: EngineParts, turn: Turn): void {
  turn.notes.push({ type: 'intent', intent: 'not_understood' });
  turn.out.push(text(parts, turn, 'system.not_understood'));
  reprompt(parts, turn);
}

/** A button typed by its number or label, or a yes / no / not sure word for buttons with those ids. */
function matchChoice(parts: EngineParts, turn: Turn, choices: { id: string; label: string }[], input: string): FlowEvent | undefined {
  const n = normalize(input);
  const number = /^\d{1,2}$/.test(n) ? Number(n) : NaN;
  if (number >= 1 && number <= choices.length) return { type: 'user.choice', choice: choices[number - 1]!.id };
  const vars = parts.varsOf(turn);
  const byLabel = choices.find((c) => parts.normalizedLabel(lang(turn), c.label, vars) === n || parts.normalizedLabel('en', c.label, vars) === n);
  if (byLabel) return { type: 'user.choice', choice: byLabel.id };
  for (const answer of ['yes', 'no', 'unsure']) {
    if (choices.some((c) => c.id === answer) && isKeyword(input, parts.wordsFor(lang(turn), answer))) {
      return { type: 'user.choice', choice: answer };
    }
  }
  return undefined;
}

/** A language or country typed by its button number, its name in any shipped language, or its code. */
function matchOption(parts: EngineParts, turn: Turn, kind: 'languages' | 'countries', input: string): FlowEvent | undefined {
  const { tr } = parts;
  const n = normalize(input);
  const shown = prompt(parts, turn, parts.content.flows.get(turn.s.flow!)!, turn.s.state!)[0];
  const buttons = shown && shown.type === 'choices' ? shown.choices : [];
  const number = /^\d{1,2}$/.test(n) ? Number(n) : NaN;
  if (number >= 1 && number <= buttons.length) return { type: 'user.option', value: buttons[number - 1]!.id.split('/=')[1]! };
  if (kind === 'languages') {
    const hit = tr.languages.find((l) => normalize(tr.nativeName(l)) === n || normalize(l) === n || tr.negotiate(input.trim()) === l);
    return hit ? { type: 'user.option', value: hit } : undefined;
  }
  const code = input.trim().toUpperCase();
  const cc = parts.countryIndex.get(n) ?? (parts.countrySet.has(code) ? code : undefined);
  return cc ? { type: 'user.option', value: cc } : undefined;
}

/** Country names in every shipped language (and English), normalized, to read a typed country. */
export function buildCountryIndex(countries: readonly string[], languages: readonly string[]): Map<string, string> {
  const index = new Map<string, string>();
  // Shipped languages plus a few widely used ones: people often type a country in a language the bot does not speak.
  for (const lng of new Set(['en', ...languages.map(intlLocale), 'sr-Cyrl', 'fr', 'es', 'pt', 'ru', 'uk', 'ro', 'ar', 'de', 'it'])) {
    const names = new Intl.DisplayNames([lng], { type: 'region', fallback: 'code' });
    for (const cc of countries) {
      const name = names.of(cc);
      if (name) index.set(normalize(name), cc);
    }
  }
  for (const cc of countries) index.set(cc.toLowerCase(), cc);
  return index;
}

/** A button press: valid only for the question the session waits on now (else "expired"). */
export function onChoice(parts: EngineParts, turn: Turn, id: string): void {
  const [flow, state, choice, ...rest] = id.split('/');
  const def = stateDef(parts, turn.s.flow, turn.s.state);
  const valid = rest.length === 0 && flow === turn.s.flow && state === turn.s.state && choice && def && waits(def);
  let event: FlowEvent | undefined;
  if (valid && 'screening' in def) {
    // Only an answer to the question being asked now counts; an older question's button has expired.
    const [indicator, answer] = choice.split(':');
    const question = screeningQuestion(parts, turn);
    if (question && question.id === indicator && question.answers.some((a) => a.id === answer)) event = { type: 'user.choice', choice };
  } else if (valid && choice.startsWith('=') && 'options' in def) {
    const value = choice.slice(1);
    const allowed = def.options === 'languages' ? parts.tr.languages.includes(value) : parts.countrySet.has(value);
    if (allowed) event = { type: 'user.option', value };
  } else if (valid && 'choices' in def && def.choices.some((c) => c.id === choice)) {
    event = { type: 'user.choice', choice };
  }
  if (event && send(parts, turn, event)) return;
  turn.notes.push({ type: 'intent', intent: 'expired' });
  turn.out.push(text(parts, turn, 'system.expired'));
  reprompt(parts, turn);
}
