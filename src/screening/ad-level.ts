/** The ad level table: how the red flags found in an ad make its level (rules are data, in flows/job-ad-concepts/common.yaml). */
import type { AdLevelRule } from './ad-concept-schema.js';
import type { RedFlagCategory, Strength } from './indicator-schema.js';
import type { RiskLevel } from './risk-level.js';

/** What the rules need to know about one red flag. */
interface FlagSignal {
  indicator: string;
  category: RedFlagCategory;
  strength: Strength;
}

const STRENGTH_RANK: Record<Strength, number> = { weak: 0, medium: 1, strong: 2 };
const LEVEL_RANK: Record<RiskLevel, number> = { low: 0, caution: 1, high: 2, urgent: 3 };

/** Whether one rule holds for a set of distinct flags. */
function holds(rule: AdLevelRule, flags: readonly FlagSignal[]): boolean {
  const ids = new Set(flags.map((f) => f.indicator));
  if (rule.any) return rule.any.some((id) => ids.has(id));
  if (rule.both) return rule.both[0].some((id) => ids.has(id)) && rule.both[1].some((id) => ids.has(id));
  const strong = flags.filter((f) => STRENGTH_RANK[f.strength] >= STRENGTH_RANK[rule.strength]);
  if (rule.count !== undefined)
    return strong.length >= rule.count && (rule.needs === undefined || strong.some((f) => STRENGTH_RANK[f.strength] >= STRENGTH_RANK[rule.needs!]));
  if (rule.categories !== undefined) return new Set(strong.map((f) => f.category)).size >= rule.categories;
  return false;
}

/**
 * The highest level among the rules that hold; "low" when none does. An ad is not a questionnaire:
 * its table is its own (see common.yaml for each rule and its reason). Low never means safe.
 * Flags are counted once per indicator, however often an ad repeats the phrase.
 */
export function adLevelFor(flags: readonly FlagSignal[], rules: readonly AdLevelRule[]): RiskLevel {
  const distinct = [...new Map(flags.map((f) => [f.indicator, f])).values()];
  let level: RiskLevel = 'low';
  for (const rule of rules) if (LEVEL_RANK[rule.level] > LEVEL_RANK[level] && holds(rule, distinct)) level = rule.level;
  return level;
}
