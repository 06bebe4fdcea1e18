/**
 * Typed text and button presses in a waiting step. Typed text goes through the understanding
 * module once: the emergency comes first (in any language, whatever the session's), then the
 * global intents (menu, language, forget, help), then what the step asked for — a button typed by
 * number or label, a yes / no / not sure answer, a language or a place, or free text. Anything
 * else gets "did not understand" with the emergency number and an SOS button, then the question.
 */
import { looksLikeJobAd } from '../screening/index.js';
import { EXAMPLES_ID, type Reading } from '../understanding/index.js';
import { SKIP_CHOICE, type FlowEvent } from './flow-context.js';
import { enter, reprompt, restart, send } from './flow-runner.js';
import { emergencyInto, onCommand } from './global-intents.js';
import { prompt, screeningQuestion } from './prompts.js';
import { fillParams, shownChoices } from './conditions.js';
import { normalize } from './text-match.js';
import { compiledOf, flowOf, lang, MAIN_FLOW, stateDef, text, waits, type EngineParts, type Turn } from './turn.js';
import type { Outbound } from './types.js';

/** Typed text longer than this is cut (with a note): nobody needs more to describe a job offer. */
export const MAX_TEXT = 3000;
/** The id of the SOS button shown with "did not understand": valid in every state, never stale. */
export const SOS_CHOICE = '!sos';
/** The choices of "Check this ad?": valid in the step the offer was made in. */
const AD_CHECK_YES = '?ad-yes';
const AD_CHECK_NO = '?ad-no';
/** The flow that checks a pasted ad. */
const AD_FLOW = 'job_ad';
/** A place typed alone (with a few words like "I'm in ... now") answers the country question. */
const MAX_BARE_PLACE_TOKENS = 5;

/** Reads typed text (cut to MAX_TEXT) in the session's language. */
export function readText(parts: EngineParts, language: string, input: string): Reading {
  return parts.understanding.read(input.length > MAX_TEXT ? input.slice(0, MAX_TEXT) : input, language);
}

/** True when typed text reads as an emergency, in any language we know. */
export function textIsEmergency(parts: EngineParts, language: string, input: string): boolean {
  return readText(parts, language, input).emergency !== undefined;
}

/** Handles one typed message in the state the session rests in; `read` when the caller already read it. */
export function onText(parts: EngineParts, turn: Turn, raw: string, read?: Reading): void {
  let input = raw;
  if (input.length > MAX_TEXT) {
    input = input.slice(0, MAX_TEXT);
    turn.out.push(text(parts, turn, 'system.cut', { max: MAX_TEXT }));
  }
  const reading = read ?? readText(parts, lang(turn), input);
  turn.reading = reading;
  const state = stateDef(turn, turn.s.flow, turn.s.state);
  const freeText = state !== undefined && 'input' in state;
  // A button typed by its label or number at the question asked now outweighs the examples'
  // classifier (never the rules): a label is what the bot itself wrote, whatever it scores.
  const emergency = reading.emergency?.rule === EXAMPLES_ID && typedChoice(parts, turn, state, input, reading) ? undefined : reading.emergency;
  if (emergency) {
    // A pasted job ad that describes bad conditions is analysed as an ad; the numbers go in
    // front of the analysis only when the writer speaks of themself ("they took MY passport").
    if (!freeText) {
      // A pasted ad that speaks of bad conditions, not of the writer: the numbers first, then the ad check.
      if (!emergency.firstPerson && offerable(parts, turn, input)) {
        emergencyLines(parts, turn, reading);
        offerAdCheck(parts, turn, input, { numbersShown: true });
        return;
      }
      return emergencyFor(parts, turn, reading);
    }
    if (emergency.firstPerson) emergencyLines(parts, turn, reading);
  }
  // At a yes / no question an answer wins over a command spelt the same (Arabic ابدا is "never" and, unaccented, ابدأ "start").
  const answering = state !== undefined && 'screening' in state && reading.answer !== undefined;
  if (reading.intent && !freeText && !answering) return onCommand(parts, turn, reading.intent, undefined);
  if (!state || !waits(state)) {
    if (turn.s.flow) return restart(parts, turn);
    return enter(parts, turn, MAIN_FLOW, undefined);
  }
  if ('screening' in state) {
    const question = screeningQuestion(parts, turn);
    const answer = question && matchChoice(parts, turn, answerChoices(question), input, reading);
    if (question && answer && send(parts, turn, { type: 'user.choice', choice: `${question.id}:${answer}` })) return;
    return adOrNotUnderstood(parts, turn, input, reading);
  }
  if ('input' in state) {
    send(parts, turn, { type: 'user.text', text: input, places: namedPlaces(parts, reading) });
    return;
  }
  if ('choices' in state) {
    const choice = matchChoice(parts, turn, shownChoices(parts.registry, state.choices, turn.s.ctx), input, reading);
    if (choice && send(parts, turn, { type: 'user.choice', choice })) return;
    return adOrNotUnderstood(parts, turn, input, reading);
  }
  const value = state.options === 'languages' ? matchLanguage(parts, input) : matchCountry(parts, turn, input, reading);
  if (value && send(parts, turn, { type: 'user.option', value })) return;
  if (!value && typedSkip(parts, turn, input) && send(parts, turn, { type: 'user.choice', choice: SKIP_CHOICE })) return;
  if (state.options === 'countries' && offerPlace(parts, turn, reading, `${turn.s.flow}/${turn.s.state}/=`, true)) return reprompt(parts, turn);
  adOrNotUnderstood(parts, turn, input, reading);
}

/**
 * The countries a free text names (a pasted ad's "Dubai", "España", "دبي"), distinct. In a long text a
 * Latin-script place counts only written as a name, with a capital: "Contact us" is not the US.
 */
function namedPlaces(parts: EngineParts, reading: Reading): string[] {
  const named = reading.places.filter((p) => parts.countrySet.has(p.country) && p.words.some((w) => !/^\p{Ll}/u.test(w)));
  return [...new Set(named.map((p) => p.country))];
}

/** The emergency answer; for a language we do not chat in yet, with a line saying so. */
function emergencyFor(parts: EngineParts, turn: Turn, reading: Reading): void {
  notChatNotice(parts, turn, reading);
  emergencyInto(parts, turn);
}

/** The emergency numbers alone, before the step goes on (a first-person ad in the ad step). */
function emergencyLines(parts: EngineParts, turn: Turn, reading: Reading): void {
  notChatNotice(parts, turn, reading);
  turn.notes.push({ type: 'intent', intent: 'emergency' });
  turn.out.push(...parts.hotlines.emergency(lang(turn), turn.s.ctx.country, turn.s.ctx));
}

function notChatNotice(parts: EngineParts, turn: Turn, reading: Reading): void {
  const other = reading.language ? parts.notChatLanguages.get(reading.language) : undefined;
  if (!other) return;
  turn.out.push({ type: 'text', text: other.notice }, text(parts, turn, 'system.not_chat_language', { language: other.name }));
}

/** A pasted job ad where the step asked something else gets "Check this ad?"; anything else "did not understand". */
function adOrNotUnderstood(parts: EngineParts, turn: Turn, input: string, reading: Reading): void {
  if (offerAdCheck(parts, turn, input)) return;
  notUnderstood(parts, turn, reading);
}

/**
 * "Check this ad?" (yes / no) for a long message that reads like a job ad, typed at the menu or
 * in any step but the ad check itself; the number stays one tap away. The text is not kept (it is
 * never stored), so "yes" asks for it once more. True when offered.
 */
export function offerAdCheck(parts: EngineParts, turn: Turn, input: string, options: { numbersShown?: boolean } = {}): boolean {
  if (!offerable(parts, turn, input)) return false;
  const l = lang(turn);
  const at = `${turn.s.flow}/${turn.s.state}/`;
  turn.notes.push({ type: 'action', name: 'offerAdCheck' });
  turn.out.push(
    {
      type: 'choices',
      key: 'system.ad_offer',
      text: parts.tr.t(l, 'system.ad_offer', parts.varsOf(turn)),
      choices: [
        { id: `${at}${AD_CHECK_YES}`, label: parts.tr.t(l, 'system.ad_offer_yes') },
        { id: `${at}${AD_CHECK_NO}`, label: parts.tr.t(l, 'system.ad_offer_no') },
      ],
    },
    ...(options.numbersShown ? [] : [dangerLine(parts, turn)]),
  );
  return true;
}

/** Whether the step may offer the ad check for this text: not in the ad check itself, and only for what reads like an ad. */
function offerable(parts: EngineParts, turn: Turn, input: string): boolean {
  if (!compiledOf(turn, AD_FLOW) || turn.s.flow === AD_FLOW || !turn.s.flow || !turn.s.state) return false;
  return looksLikeJobAd(input, parts.content.adConcepts, parts.content.indicators);
}

/**
 * "Did not understand", with the emergency number and an SOS button (a person in danger may
 * not find the words we know), then the question again. A place named where the step did not ask
 * for one ("Dubai" at the menu) was understood: it is offered, with its emergency number, instead
 * of "did not understand".
 */
function notUnderstood(parts: EngineParts, turn: Turn, reading?: Reading): void {
  turn.notes.push({ type: 'intent', intent: 'not_understood' });
  const offered =
    reading !== undefined && turn.s.flow !== undefined && turn.s.state !== undefined && offerPlace(parts, turn, reading, `${turn.s.flow}/${turn.s.state}/@`);
  if (!offered) turn.out.push(text(parts, turn, 'system.not_understood'));
  turn.out.push(dangerLine(parts, turn));
  reprompt(parts, turn);
}

/** "In danger now? Call N" with a one-tap SOS button. */
export function dangerLine(parts: EngineParts, turn: Turn): Outbound {
  const country = turn.s.ctx.country;
  const number = country ? parts.content.hotlines.countries[country]?.emergency.number : undefined;
  const key = number ? 'system.danger_line' : 'system.danger_line_no_country';
  return {
    type: 'choices',
    key,
    text: parts.tr.t(lang(turn), key, { ...parts.varsOf(turn), ...(number ? { number } : {}) }),
    choices: [{ id: SOS_CHOICE, label: parts.tr.t(lang(turn), 'system.sos_button') }],
  };
}

/**
 * A place named where the step did not ask for one, or inside a sentence: never taken as where
 * the person is, only offered with a button (and its emergency number shown at once). A name two
 * countries share (Arabic عمان: Amman, Jordan, or Oman) offers each country by its own name and
 * number, one question each, so the person taps the one they are in. At the country question
 * (`answering`) the country already set may be offered too: the person is answering it again.
 */
function offerPlace(parts: EngineParts, turn: Turn, reading: Reading, idPrefix: string, answering = false): boolean {
  const candidates = reading.places.filter((p) => parts.countrySet.has(p.country) && (answering || p.country !== turn.s.ctx.country));
  const first = candidates[0];
  if (!first) return false;
  const sameName = candidates.filter((p) => p === first || p.words.some((w) => first.words.includes(w)));
  for (const place of sameName) {
    const number = parts.content.hotlines.countries[place.country]?.emergency.number ?? '';
    const name = parts.hotlines.countryName(lang(turn), place.country);
    turn.out.push({
      type: 'choices',
      key: 'system.place_confirm',
      text: parts.tr.t(lang(turn), 'system.place_confirm', { place: name, number }),
      choices: [{ id: `${idPrefix}${place.country}`, label: name }],
    });
  }
  return true;
}

/** Whether the text is one of the buttons of the question the session waits on (by number, label or answer word). */
function typedChoice(parts: EngineParts, turn: Turn, state: ReturnType<typeof stateDef>, input: string, reading: Reading): boolean {
  if (!state) return false;
  if ('choices' in state) return matchChoice(parts, turn, shownChoices(parts.registry, state.choices, turn.s.ctx), input, reading) !== undefined;
  if (!('screening' in state)) return false;
  const question = screeningQuestion(parts, turn);
  return question !== undefined && matchChoice(parts, turn, answerChoices(question), input, reading) !== undefined;
}

/** A screening question's answers as the buttons it shows (their labels are `screening.answer.<id>`). */
function answerChoices(question: { answers: readonly { id: string }[] }): { id: string; label: string }[] {
  return question.answers.map((a) => ({ id: a.id, label: `screening.answer.${a.id}` }));
}

/** A button typed by its number or label, or a yes / no / not sure answer for buttons with those ids. */
function matchChoice(parts: EngineParts, turn: Turn, choices: { id: string; label: string }[], input: string, reading: Reading): string | undefined {
  const n = normalize(input);
  const number = /^\d{1,2}$/.test(n) ? Number(n) : NaN;
  if (number >= 1 && number <= choices.length) return choices[number - 1]!.id;
  const vars = parts.varsOf(turn);
  const labelOf = (c: { label: string }) => fillParams(c.label, turn.s.ctx.params);
  const byLabel = choices.find((c) => parts.normalizedLabel(lang(turn), labelOf(c), vars) === n || parts.normalizedLabel('en', labelOf(c), vars) === n);
  if (byLabel) return byLabel.id;
  if (reading.answer && choices.some((c) => c.id === reading.answer)) return reading.answer;
  return undefined;
}

/** The skip button of a country question, typed by its number or its label. */
function typedSkip(parts: EngineParts, turn: Turn, input: string): boolean {
  const shown = prompt(parts, turn, flowOf(turn, turn.s.flow)!, turn.s.state!)[0];
  const buttons = shown && shown.type === 'choices' ? shown.choices : [];
  const at = buttons.findIndex((b) => b.id.endsWith(`/${SKIP_CHOICE}`));
  if (at < 0) return false;
  const n = normalize(input);
  return n === String(at + 1) || n === normalize(buttons[at]!.label);
}

/** A language typed by its name (in itself) or its code. */
function matchLanguage(parts: EngineParts, input: string): string | undefined {
  const { tr } = parts;
  const n = normalize(input);
  return tr.languages.find((l) => normalize(tr.nativeName(l)) === n || normalize(l) === n || tr.negotiate(input.trim()) === l);
}

/** A country typed by its button number, or a place named alone (a city, a short name, a code). */
function matchCountry(parts: EngineParts, turn: Turn, input: string, reading: Reading): string | undefined {
  const n = normalize(input);
  const shown = prompt(parts, turn, flowOf(turn, turn.s.flow)!, turn.s.state!)[0];
  const buttons = shown && shown.type === 'choices' ? shown.choices : [];
  const number = /^\d{1,2}$/.test(n) ? Number(n) : NaN;
  if (number >= 1 && number <= buttons.length) return buttons[number - 1]!.id.split('/=')[1];
  // Answering "which country?", a two-letter code counts in any case ("md").
  const code = n.toUpperCase();
  if (code.length === 2 && parts.countrySet.has(code)) return code;
  const known = reading.places.filter((p) => parts.countrySet.has(p.country));
  const distinct = new Set(known.map((p) => p.country));
  if (distinct.size === 1 && reading.tokens <= MAX_BARE_PLACE_TOKENS) return known[0]!.country;
  return undefined;
}

/** A button press: valid only for the question the session waits on now (else "expired"). */
export function onChoice(parts: EngineParts, turn: Turn, id: string): void {
  if (id === SOS_CHOICE) return emergencyInto(parts, turn);
  const [flow, state, choice, ...rest] = id.split('/');
  const def = stateDef(turn, turn.s.flow, turn.s.state);
  const valid = rest.length === 0 && flow === turn.s.flow && state === turn.s.state && choice && def && waits(def);
  let event: FlowEvent | undefined;
  if (valid && choice === AD_CHECK_YES && compiledOf(turn, AD_FLOW) !== undefined) return enter(parts, turn, AD_FLOW, undefined);
  if (valid && choice === AD_CHECK_NO) return reprompt(parts, turn);
  if (valid && choice.startsWith('@') && parts.countrySet.has(choice.slice(1))) {
    // A place offered with "are you in ... now?": confirmed, it becomes where the person is.
    turn.s.ctx = { ...turn.s.ctx, country: choice.slice(1) };
    turn.out.push(text(parts, turn, 'system.country_set'));
    return reprompt(parts, turn);
  }
  if (valid && 'screening' in def) {
    // Only an answer to the question being asked now counts; an older question's button has expired.
    const [indicator, answer] = choice.split(':');
    const question = screeningQuestion(parts, turn);
    if (question && question.id === indicator && question.answers.some((a) => a.id === answer)) event = { type: 'user.choice', choice };
  } else if (valid && choice === SKIP_CHOICE && 'options' in def && def.skip) {
    event = { type: 'user.choice', choice };
  } else if (valid && choice.startsWith('=') && 'options' in def) {
    const value = choice.slice(1);
    const allowed = def.options === 'languages' ? parts.tr.languages.includes(value) : parts.countrySet.has(value);
    if (allowed) event = { type: 'user.option', value };
  } else if (valid && 'choices' in def && shownChoices(parts.registry, def.choices, turn.s.ctx).some((c) => c.id === choice)) {
    event = { type: 'user.choice', choice };
  }
  if (event && send(parts, turn, event)) return;
  turn.notes.push({ type: 'intent', intent: 'expired' });
  turn.out.push(text(parts, turn, 'system.expired'));
  reprompt(parts, turn);
}
