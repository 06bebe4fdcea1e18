/** The question and buttons a waiting step shows, in the user's language. */
import type { FlowDef } from '../flows/index.js';
import { questionsFor, scoreScreening } from '../screening/index.js';
import { lang, type EngineParts, type Turn } from './turn.js';
import { fillParams, shownChoices } from './conditions.js';
import { SKIP_CHOICE, type CountryField } from './flow-context.js';
import type { Choice, Outbound } from './types.js';

/** The question and buttons of an ask or screening state. */
export function prompt(parts: EngineParts, turn: Turn, flow: FlowDef, name: string): Outbound[] {
  const { tr, hotlines, content } = parts;
  const state = flow.states[name];
  const id = (choice: string) => `${flow.id}/${name}/${choice}`;
  const l = lang(turn);
  if (state && 'screening' in state) {
    const question = screeningQuestion(parts, turn);
    if (!question) return [];
    const progress = scoreScreening(content.indicators, turn.s.ctx.answers);
    return [
      {
        type: 'choices',
        key: question.question,
        text: `${tr.t(l, 'screening.progress', { current: progress.answered + 1, total: progress.total })}\n${tr.t(l, question.question, parts.varsOf(turn))}`,
        choices: question.answers.map((a) => ({ id: id(`${question.id}:${a.id}`), label: tr.t(l, `screening.answer.${a.id}`) })),
      },
    ];
  }
  if (!state || !('ask' in state)) return [];
  // `{topic}` in a key takes the value the caller gave this flow.
  const key = (k: string) => fillParams(k, turn.s.ctx.params);
  const ask = key(state.ask);
  const question = tr.t(l, ask, parts.varsOf(turn));
  if ('choices' in state) {
    const choices = shownChoices(parts.registry, state.choices, turn.s.ctx).map((c) => ({ id: id(c.id), label: tr.t(l, key(c.label), parts.varsOf(turn)) }));
    return [{ type: 'choices', key: ask, text: question, choices }];
  }
  if ('options' in state) {
    const choices: Choice[] =
      state.options === 'languages'
        ? tr.languages.map((lng) => ({ id: id(`=${lng}`), label: tr.nativeName(lng) }))
        : suggestedCountries(parts, turn, state.sets).map((c) => ({ id: id(`=${c}`), label: hotlines.countryName(l, c) }));
    if (state.skip) choices.push({ id: id(SKIP_CHOICE), label: tr.t(l, key(state.skip.label), parts.varsOf(turn)) });
    return [{ type: 'choices', key: ask, text: question, choices }];
  }
  return [{ type: 'text', key: ask, text: question }];
}

/** The screening question to ask next, given the answers so far. */
export function screeningQuestion(parts: EngineParts, turn: Turn) {
  const { indicators } = parts.content;
  const next = questionsFor(indicators, turn.s.ctx.answers)[0];
  return next === undefined ? undefined : indicators.find((i) => i.id === next);
}

/**
 * Countries offered as buttons: the one this question set before first, then those whose lines
 * speak the language (a suggestion to tap, never an answer taken from the language).
 */
function suggestedCountries(parts: EngineParts, turn: Turn, sets: CountryField = 'country'): string[] {
  const { ctx } = turn.s;
  const known = sets === 'job' ? ctx.jobCountry : sets === 'home' ? ctx.home : ctx.country;
  const list = [known, ...parts.countries.filter((c) => parts.content.hotlines.countries[c]?.languages.includes(lang(turn)))].filter((c): c is string => !!c);
  return [...new Set(list)].slice(0, 6);
}
