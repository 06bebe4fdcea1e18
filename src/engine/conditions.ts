/**
 * Conditions written as data in flows (`when: { country: MD }`) and flow parameters in texts
 * (`facts.{topic}.intro`). Pure functions of the conversation's data: the same on every channel.
 */
import { CONDITION_GUARD, listOf, refParts, type ChoiceDef, type Condition, type GuardRef } from '../flows/index.js';
import type { Registry } from './action-registry.js';
import type { FlowContext } from './flow-context.js';

/** True when a `when:` holds: a condition written as data, or one implemented in code. */
export function whenHolds(registry: Registry, when: GuardRef, context: FlowContext): boolean {
  const { name, params } = refParts(when);
  if (name === CONDITION_GUARD) return conditionHolds(params as Condition, context);
  return registry.guards[name]?.check(context, params) ?? false;
}

/** The buttons of a question that are shown now: those without `when`, and those whose condition holds. */
export function shownChoices<C extends Pick<ChoiceDef, 'when'>>(registry: Registry, choices: readonly C[], context: FlowContext): C[] {
  return choices.filter((c) => c.when === undefined || whenHolds(registry, c.when, context));
}

/** True when every field of the condition holds for the conversation. */
export function conditionHolds(condition: Condition, context: FlowContext): boolean {
  if (condition.country !== undefined && !(context.country !== undefined && listOf(condition.country).includes(context.country))) return false;
  if (condition.language !== undefined && !listOf(condition.language).includes(context.language)) return false;
  for (const [question, answers] of Object.entries(condition.answer ?? {})) {
    const given = context.answers[question];
    if (given === undefined || !listOf(answers).includes(given)) return false;
  }
  for (const [param, values] of Object.entries(condition.param ?? {})) {
    const value = context.params?.[param];
    if (value === undefined || !listOf(values).includes(value)) return false;
  }
  if (condition.returned !== undefined && !(context.returned !== undefined && listOf(condition.returned).includes(context.returned))) return false;
  return true;
}

/** `{name}` in a text key or an action parameter, replaced by the flow parameter's value (left as written when there is none). */
export function fillParams(text: string, params: Readonly<Record<string, string>> | undefined): string {
  return params && text.includes('{') ? text.replace(/\{([a-z][a-z0-9_]*)\}/g, (whole, name: string) => params[name] ?? whole) : text;
}
