/** The one place that turns a set of red flags into a risk level; screening and the job-ad analyser both use it. */
import type { RedFlagCategory, Strength } from './indicator-schema.js';

/** Risk levels, least to most serious. There is deliberately no "safe". */
const RISK_LEVELS = ['low', 'caution', 'high', 'urgent'] as const;

export type RiskLevel = (typeof RISK_LEVELS)[number];

/** What the level rules need to know about one red flag. */
interface FlagSignal {
  indicator: string;
  category: RedFlagCategory;
  strength: Strength;
}

/** Categories where a strong sign means someone already holds power over the person. */
const CONTROL_CATEGORIES: ReadonlySet<RedFlagCategory> = new Set(['coercion_and_control', 'documents']);

/**
 * Level rules (after the ILO–EC habit of weighing strong, medium and weak indicators together;
 * a red flag is a reason to stop and check, never proof):
 *
 * - urgent: two or more strong flags; or one strong flag in coercion_and_control or documents
 *   together with any isolation_and_movement flag (someone holds your papers or threatens you
 *   AND controls where you go: the pattern of exploitation already under way).
 * - high: any strong flag; or three or more medium flags.
 * - caution: any medium flag; or two or more weak flags; or "not sure" on a strong question
 *   (not knowing something that important is itself a reason to check).
 * - low: anything else. Low never means safe: "no red flags in your answers".
 *
 * Flags are counted once per indicator, however often an ad repeats the phrase.
 */
export function levelFor(flags: readonly FlagSignal[], options: { unsureOnStrong?: boolean } = {}): RiskLevel {
  const distinct = new Map<string, FlagSignal>();
  for (const flag of flags) distinct.set(flag.indicator, flag);
  const all = [...distinct.values()];
  const strong = all.filter((f) => f.strength === 'strong');
  const medium = all.filter((f) => f.strength === 'medium').length;
  const weak = all.filter((f) => f.strength === 'weak').length;
  const isolated = all.some((f) => f.category === 'isolation_and_movement');

  if (strong.length >= 2) return 'urgent';
  if (strong.some((f) => CONTROL_CATEGORIES.has(f.category)) && isolated) return 'urgent';
  if (strong.length >= 1 || medium >= 3) return 'high';
  if (medium >= 1 || weak >= 2 || options.unsureOnStrong === true) return 'caution';
  return 'low';
}
