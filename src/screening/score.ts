/** Deterministic screening: which questions to ask next, and what a set of answers means. */
import { answerList, isAskedInRun } from './indicator-schema.js';
import type { Indicator, RedFlagCategory, RedFlagIndicator, Strength } from './indicator-schema.js';
import { levelFor } from './risk-level.js';
import type { RiskLevel } from './risk-level.js';

/** Saved answers: indicator id -> answer id. Values are untrusted (old sessions, edited files). */
export type ScreeningAnswers = Readonly<Record<string, string | undefined>>;

/** One red flag found in the answers, with the text keys that explain it. */
export interface ScreeningFlag {
  indicator: string;
  category: RedFlagCategory;
  strength: Strength;
  explanation: string;
  advice: string;
}

/** The outcome of a screening: level, red flags, what to do next (text keys) and progress. */
export interface ScreeningResult {
  level: RiskLevel;
  flags: ScreeningFlag[];
  nextSteps: string[];
  answered: number;
  total: number;
}

const NEXT_STEPS = ['verify_licence', 'keep_passport', 'keep_copies', 'share_plans', 'call_hotline'] as const;
type NextStep = (typeof NEXT_STEPS)[number];

/** Which next step speaks to each kind of red flag, so the most relevant one comes first. */
const STEP_FOR_CATEGORY: Record<RedFlagCategory, NextStep> = {
  recruiter_legitimacy: 'verify_licence',
  fees_and_debt: 'verify_licence',
  documents: 'keep_passport',
  deception: 'keep_copies',
  isolation_and_movement: 'share_plans',
  pressure: 'share_plans',
  coercion_and_control: 'call_hotline',
  working_conditions: 'call_hotline',
};

const STRENGTH_RANK: Record<Strength, number> = { strong: 0, medium: 1, weak: 2 };

type Applies = 'yes' | 'no' | 'unknown';

/** Whether a question applies given the answers so far; 'unknown' while the question it depends on is unanswered. */
function applicability(entry: Indicator, answers: ScreeningAnswers, byId: ReadonlyMap<string, Indicator>, depth = 0): Applies {
  const rule = entry.appliesWhen;
  if (!rule) return 'yes';
  const target = byId.get(rule.indicator);
  // The schema forbids cycles (a rule may only point backwards); the depth bound guards unvalidated input.
  if (!target || depth > byId.size) return 'no';
  const parent = applicability(target, answers, byId, depth + 1);
  if (parent === 'no') return 'no';
  const given = validAnswer(target, answers[target.id]);
  if (given === undefined) return 'unknown';
  return (answerList(rule.answer) as readonly string[]).includes(given) ? parent : 'no';
}

/** The answer id if it is one this question offers; anything else counts as unanswered. */
function validAnswer(entry: Indicator, value: string | undefined): string | undefined {
  return value !== undefined && entry.answers.some((a) => a.id === value) ? value : undefined;
}

/** The questions of one run (context + core) that apply or may still apply, in file order. */
function runQuestions(indicators: readonly Indicator[], answers: ScreeningAnswers): Indicator[] {
  const byId = new Map(indicators.map((i) => [i.id, i]));
  return indicators.filter((i) => isAskedInRun(i) && applicability(i, answers, byId) !== 'no');
}

/**
 * The ids of the questions still to ask, in order. A question whose appliesWhen depends on an
 * unanswered question stays in the list until that answer is known.
 */
export function questionsFor(indicators: readonly Indicator[], answers: ScreeningAnswers): string[] {
  return runQuestions(indicators, answers)
    .filter((i) => validAnswer(i, answers[i.id]) === undefined)
    .map((i) => i.id);
}

/**
 * Scores the answers. Only answers to questions that apply count (a visa answer is ignored once
 * the job turns out not to be abroad). "unsure" is never a red flag; on a strong question it lifts
 * low to caution. Level rules: see `levelFor`.
 */
export function scoreScreening(indicators: readonly Indicator[], answers: ScreeningAnswers): ScreeningResult {
  const byId = new Map(indicators.map((i) => [i.id, i]));
  const found: { entry: RedFlagIndicator; weight: number; order: number }[] = [];
  let unsureOnStrong = false;

  indicators.forEach((entry, order) => {
    if (entry.category === 'context') return;
    const given = validAnswer(entry, answers[entry.id]);
    if (given === undefined || applicability(entry, answers, byId) === 'no') return;
    if ((entry.flagWhen as readonly string[]).includes(given)) {
      const weight = entry.answers.find((a) => a.id === given)?.weight ?? 0;
      found.push({ entry, weight, order });
    } else if (given === 'unsure' && entry.strength === 'strong') {
      unsureOnStrong = true;
    }
  });

  found.sort((a, b) => STRENGTH_RANK[a.entry.strength] - STRENGTH_RANK[b.entry.strength] || b.weight - a.weight || a.order - b.order);
  const flags = found.map(({ entry }) => ({
    indicator: entry.id,
    category: entry.category,
    strength: entry.strength,
    explanation: entry.explanation,
    advice: entry.advice,
  }));
  const level = levelFor(flags, { unsureOnStrong });

  const asked = runQuestions(indicators, answers);
  return {
    level,
    flags,
    nextSteps: nextStepsFor(level, flags).map((step) => `screening.next_steps.${step}`),
    answered: asked.filter((i) => validAnswer(i, answers[i.id]) !== undefined).length,
    total: asked.length,
  };
}

/** Every next step, always; the hotline first when the level is high or urgent, then the steps that answer the flags found. */
function nextStepsFor(level: RiskLevel, flags: readonly ScreeningFlag[]): NextStep[] {
  const ordered: NextStep[] = [];
  const add = (step: NextStep) => {
    if (!ordered.includes(step)) ordered.push(step);
  };
  if (level === 'high' || level === 'urgent') add('call_hotline');
  for (const flag of flags) add(STEP_FOR_CATEGORY[flag.category]);
  NEXT_STEPS.forEach(add);
  return ordered;
}
