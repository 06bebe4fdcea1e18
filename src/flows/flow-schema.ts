/** zod schema of one dialogue flow file (`flows/*.flow.yaml`). */
import { z } from 'zod';

const name = /^[a-z][a-z0-9_]*$/;
const idText = 'lowercase letters, digits and _ , starting with a letter';

/** An i18n key such as `menu.welcome`: the first part is the locale file name (locales/<lng>/menu.json). */
const textKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/, 'an i18n key looks like `file.key` (e.g. `menu.welcome`); write the text itself in locales/<language>/<file>.json')
  .describe('An i18n key, e.g. `menu.welcome`; the text lives in locales/<language>/menu.json.');

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

const choice = z
  .object({
    id: z.string().regex(name, `a choice id: ${idText}`).max(16, 'keep choice ids at most 16 characters (they travel inside Telegram buttons)'),
    label: textKey.describe('The button label (keep it short: about 30 characters).'),
    next: target,
    action: actionRef.optional(),
  })
  .strict();

const guardRef = z
  .union([
    z.string().regex(/^[a-z][A-Za-z0-9]*$/),
    z.object({ name: z.string().regex(/^[a-z][A-Za-z0-9]*$/), params: z.record(z.string(), z.unknown()).optional() }).strict(),
  ])
  .describe('A condition implemented in code, e.g. `hasCountry`.');

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
} as const;

/** The say-only state (messages then `next`). */
export const sayStateSchema = sayState;

/** The schema editors see (JSON Schema); validation dispatches on the kind field for clearer errors. */
export const stateSchema = z.union([sayState, askChoices, askOptions, askText, actionState, branchState, screeningState, gotoState, endState]);

/** A whole flow file. */
export const flowFileSchema = z
  .object({
    id: z.string().regex(name, `a flow id: ${idText}`).describe('The flow id; must match the file name (`main` for main.flow.yaml).'),
    description: z.string().optional(),
    start: z.string().regex(name).describe('The state the flow starts in.'),
    states: z.record(z.string().regex(name, `a state name: ${idText}`), z.unknown()),
  })
  .strict();

export type StateDef = z.infer<typeof stateSchema>;
export type Target = z.infer<typeof target>;
export type ActionRef = z.infer<typeof actionRef>;
export type GuardRef = z.infer<typeof guardRef>;
export type ChoiceDef = z.infer<typeof choice>;

/** A validated flow: its states typed. */
export interface FlowDef {
  id: string;
  description?: string;
  start: string;
  states: Record<string, StateDef>;
  /** Repository-relative file, for messages. */
  file: string;
  /** Content hash: a session saved under another version is checked before it is restored. */
  version: string;
}

/** Name and params of an action or guard reference. */
export function refParts(ref: ActionRef | GuardRef): { name: string; params: Record<string, unknown> } {
  return typeof ref === 'string' ? { name: ref, params: {} } : { name: ref.name, params: ref.params ?? {} };
}

/** The flow file as editors see it (states typed), for `lantern schema`. */
export const editorFlowSchema = flowFileSchema.extend({ states: z.record(z.string().regex(name), stateSchema) });
