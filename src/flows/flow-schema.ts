/** zod schema of one dialogue flow file (`flows/*.flow.yaml`). */
import { z } from 'zod';

const name = /^[a-z][a-z0-9_]*$/;
const idText = 'lowercase letters, digits and _ , starting with a letter';

/**
 * An i18n key such as `menu.welcome`: the first part is the locale file name (locales/<lng>/menu.json).
 * In a flow with `params`, `{name}` inside a later part is replaced by the parameter's value (`facts.{topic}.intro`).
 */
const textKey = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]*(\.([a-z0-9_]|\{[a-z][a-z0-9_]*\})+)+$/,
    'an i18n key looks like `file.key` (e.g. `menu.welcome`, or `facts.{topic}.intro` in a flow with params); write the text itself in locales/<language>/<file>.json',
  )
  .describe('An i18n key, e.g. `menu.welcome`; the text lives in locales/<language>/menu.json. In a flow with `params`, `{topic}` is replaced by the value of the parameter `topic`.');

/** A country code as in flows/hotlines.yaml (ISO 3166-1 alpha-2, capitals). */
const countryCode = z.string().regex(/^[A-Z]{2}$/, 'a country is its two-letter ISO code in capitals, as in flows/hotlines.yaml (e.g. MD)');
/** A language as the folder names of locales/ (`uk`, `pt-BR`). */
const languageCode = z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'a language is the name of its folder in locales/ (e.g. uk, pt-BR)');
/** A parameter's value: a lowercase name (`rights`), a country code (`MD`) or a language (`pt-BR`). */
const paramValue = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$|^[A-Z]{2}$|^[a-z]{2,3}(-[A-Z]{2})?$/, 'a parameter value is a lowercase name (rights), a country code (MD) or a language (uk)');
const oneOrMore = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]);

/**
 * A condition written as data (`when: { country: MD }`): every field given must hold. Conditions never
 * name a channel: the dialogue is the same on every channel.
 */
const condition = z
  .object({
    country: oneOrMore(countryCode).optional().describe('Where the person is now is one of these countries: `MD` or `[MD, RO]`.'),
    language: oneOrMore(languageCode).optional().describe('The conversation speaks one of these languages: `uk` or `[uk, ru]`.'),
    answer: z
      .record(z.string().regex(name), oneOrMore(z.string().regex(name)))
      .optional()
      .describe('A screening answer given in this screening (before the result forgets them): `{ job_abroad: "yes" }`.'),
    param: z
      .record(z.string().regex(name), oneOrMore(paramValue))
      .optional()
      .describe("A parameter of this flow (a flow with `params`) has one of these values: `{ topic: myths }`."),
    returned: oneOrMore(z.string().regex(name))
      .optional()
      .describe('The flow called just before returned this value (`return: menu`): on the step after a `call`.'),
  })
  .strict()
  .refine((c) => Object.keys(c).length > 0, 'a condition needs at least one of country, language, answer, param or returned');

/** Where to go next: a state of this flow, or another flow (optionally at one of its states). */
const target = z
  .union([
    z.string().regex(name, `a state name: ${idText}`),
    z.object({ flow: z.string().regex(name), state: z.string().regex(name).optional() }).strict(),
  ])
  .describe('A state of this flow (`menu`), or another flow: `{ flow: hotlines }` or `{ flow: hotlines, state: ask_country }`.');

/** A named effect implemented in code, with optional parameters. */
const actionRef = z
  .union([
    z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'an action name in camelCase, e.g. showHotlines'),
    z.object({ name: z.string().regex(/^[a-z][A-Za-z0-9]*$/), params: z.record(z.string(), z.unknown()).optional() }).strict(),
  ])
  .describe('An action implemented in code, e.g. `showHotlines`, or `{ name: randomFact, params: { topic: rights } }`.');

const say = z.union([textKey, z.array(textKey).min(1)]).describe('One key or a list of keys: messages shown when the state is entered.');

const guardRef = z
  .union([
    z.string().regex(/^[a-z][A-Za-z0-9]*$/),
    z.object({ name: z.string().regex(/^[a-z][A-Za-z0-9]*$/), params: z.record(z.string(), z.unknown()).optional() }).strict(),
    condition,
  ])
  .describe('A condition: one implemented in code (`hasCountry`), or written as data: `{ country: MD }`, `{ language: [uk, ru] }`, `{ answer: { job_abroad: "yes" } }`, `{ param: { topic: myths } }`, `{ returned: menu }`.');

const choice = z
  .object({
    id: z.string().regex(name, `a choice id: ${idText}`).max(16, 'keep choice ids at most 16 characters (they travel inside Telegram buttons)'),
    label: textKey.describe('The button label (keep it short: about 30 characters).'),
    next: target,
    action: actionRef.optional(),
    when: guardRef.optional().describe('Show this button only when the condition holds (e.g. `{ country: MD }`).'),
  })
  .strict();

const base = { say: say.optional(), note: z.string().optional().describe('A note for editors; never shown to users.') };

const sayState = z.object({ ...base, say, next: target }).strict().describe('Shows messages, then moves on.');
const askChoices = z
  .object({ ...base, ask: textKey, choices: z.array(choice).min(1) })
  .strict()
  .describe('Asks a question with buttons.');
const askOptions = z
  .object({
    ...base,
    ask: textKey,
    options: z.enum(['languages', 'countries']),
    sets: z
      .enum(['country', 'job', 'home'])
      .optional()
      .describe(
        'Which country a `countries` question sets: `country` (where the person is now, the default: it sets the emergency number), `job` (where the job is) or `home` (their home country, only if they give it).',
      ),
    skip: z
      .object({ label: textKey, next: target })
      .strict()
      .optional()
      .describe('A button to skip the question: its label and where it leads (the question is then not asked again).'),
    next: target,
  })
  .strict()
  .describe('Asks the user to pick their language or country (buttons built from locales/ or hotlines.yaml; a country can also be typed).');
const askText = z
  .object({ ...base, ask: textKey, input: z.literal('text'), action: actionRef, next: target })
  .strict()
  .describe('Asks for free text, hands it to an action (the text is never stored), then moves on.');
const actionState = z
  .object({ ...base, action: z.union([actionRef, z.array(actionRef).min(1)]), next: target })
  .strict()
  .describe('Runs one or more actions implemented in code, then moves on.');
const branchState = z
  .object({
    ...base,
    branch: z
      .array(z.object({ when: guardRef.optional(), next: target }).strict())
      .min(1)
      .refine((b) => b.at(-1)?.when === undefined, 'the last branch must have no `when`: it is where everyone else goes'),
  })
  .strict()
  .describe('Goes to the first `next` whose `when` holds.');
const screeningState = z
  .object({ ...base, screening: z.literal('indicators'), next: target })
  .strict()
  .describe('Asks the screening questions from flows/indicators.yaml, then moves on.');
const callState = z
  .object({
    ...base,
    call: z
      .object({
        flow: z.string().regex(name, `a flow id: ${idText}`).describe('The flow to run; it ends with `return`.'),
        params: z
          .record(z.string().regex(name), paramValue)
          .optional()
          .describe('A value for each parameter the called flow declares: `{ topic: rights }`.'),
        then: target.describe('Where to continue once the called flow returns (branch on `when: { returned: ... }` there).'),
      })
      .strict(),
  })
  .strict()
  .describe('Runs another flow with parameters; when it reaches `return`, continues at `then`.');
const returnState = z
  .object({
    ...base,
    return: z
      .union([z.literal(true), z.string().regex(name, `a return value: ${idText}`)])
      .describe('`true`, or a value the caller can branch on with `when: { returned: value }`.'),
  })
  .strict()
  .describe('Ends a called flow and goes back to the flow that called it.');
const gotoState = z.object({ ...base, goto: target }).strict().describe('Continues in another flow or state.');
const endState = z
  .object({ ...base, end: z.literal(true) })
  .strict()
  .describe('Ends the conversation (the next message starts again at the main menu).');

/** Each state kind with the field that marks it; a state has exactly one of these fields (or only `say`). */
export const stateKinds = {
  ask: [askChoices, askOptions, askText],
  action: [actionState],
  branch: [branchState],
  screening: [screeningState],
  goto: [gotoState],
  end: [endState],
  call: [callState],
  return: [returnState],
} as const;

/** The say-only state (messages then `next`). */
export const sayStateSchema = sayState;

/** The schema editors see (JSON Schema); validation dispatches on the kind field for clearer errors. */
export const stateSchema = z.union([sayState, askChoices, askOptions, askText, actionState, branchState, screeningState, gotoState, endState, callState, returnState]);

/** One parameter a called flow declares: its kind and the values a caller may give. */
const paramDecl = z
  .object({
    kind: z.enum(['choice', 'country', 'language']).describe('`choice` (one of `values`), `country` (a country code of hotlines.yaml) or `language` (a folder of locales/).'),
    values: z
      .array(paramValue)
      .min(1)
      .optional()
      .describe('The values allowed (required for `choice`; for `country` and `language`, limits them). `{topic}` in a text key is checked for each value.'),
  })
  .strict()
  .refine((p) => p.kind !== 'choice' || p.values !== undefined, 'a `choice` parameter lists its `values`');

/** A whole flow file. */
export const flowFileSchema = z
  .object({
    id: z.string().regex(name, `a flow id: ${idText}`).describe('The flow id; must match the file name (`main` for main.flow.yaml).'),
    description: z.string().optional(),
    start: z.string().regex(name).describe('The state the flow starts in.'),
    params: z
      .record(z.string().regex(name, `a parameter name: ${idText}`), paramDecl)
      .optional()
      .describe('The parameters a caller gives this flow (`call: { flow: ..., params: ... }`); a flow with params is called, and ends with `return`.'),
    states: z.record(z.string().regex(name, `a state name: ${idText}`), z.unknown()),
  })
  .strict();

export type StateDef = z.infer<typeof stateSchema>;
export type Target = z.infer<typeof target>;
export type ActionRef = z.infer<typeof actionRef>;
export type GuardRef = z.infer<typeof guardRef>;
export type ChoiceDef = z.infer<typeof choice>;
export type Condition = z.infer<typeof condition>;
export type ParamDecl = z.infer<typeof paramDecl>;
/** The deepest nesting of calls a flow may start (checked at load; the engine refuses deeper stacks too). */
export const MAX_CALL_DEPTH = 4;

/** A validated flow: its states typed. */
export interface FlowDef {
  id: string;
  description?: string;
  start: string;
  /** The parameters of a called flow, by name. */
  params?: Record<string, ParamDecl>;
  states: Record<string, StateDef>;
  /** Repository-relative file, for messages. */
  file: string;
  /** Content hash: a session saved under another version is checked before it is restored. */
  version: string;
}

/** True for a condition written as data (`{ country: MD }`) rather than one implemented in code. */
export function isCondition(ref: GuardRef): ref is Condition {
  return typeof ref === 'object' && !('name' in ref);
}

/** Name and params of an action or guard reference (a data condition is the guard `when` with itself as params). */
export function refParts(ref: ActionRef | GuardRef): { name: string; params: Record<string, unknown> } {
  if (typeof ref === 'string') return { name: ref, params: {} };
  if (!('name' in ref)) return { name: CONDITION_GUARD, params: ref };
  return { name: ref.name, params: ref.params ?? {} };
}

/** The guard that checks a condition written as data. */
export const CONDITION_GUARD = 'when';

/** The values a data condition field lists, as an array. */
export function listOf<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The flow file as editors see it (states typed), for `lantern schema`. */
export const editorFlowSchema = flowFileSchema.extend({ states: z.record(z.string().regex(name), stateSchema) });

/** A `when:` as a short edge label: `hasCountry`, `country=MD`, `returned=menu`. */
export function whenLabel(when: GuardRef): string {
  if (typeof when === 'string') return when;
  if (!isCondition(when)) return when.name;
  const list = (v: string | string[]) => listOf(v).join(',');
  const parts = [
    ...(when.country ? [`country=${list(when.country)}`] : []),
    ...(when.language ? [`language=${list(when.language)}`] : []),
    ...Object.entries(when.answer ?? {}).map(([q, a]) => `${q}=${list(a)}`),
    ...Object.entries(when.param ?? {}).map(([p, v]) => `${p}=${list(v)}`),
    ...(when.returned ? [`returned=${list(when.returned)}`] : []),
  ];
  return parts.join(' ');
}
