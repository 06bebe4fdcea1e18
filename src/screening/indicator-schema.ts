/** zod schema of `flows/indicators.yaml`: the screening questions and red-flag indicators NGO staff edit. */
import { z } from 'zod';

/** The eight red-flag categories, after the reference's de-duplicated red-flag list. */
const RED_FLAG_CATEGORIES = [
  'deception',
  'fees_and_debt',
  'documents',
  'coercion_and_control',
  'isolation_and_movement',
  'working_conditions',
  'recruiter_legitimacy',
  'pressure',
] as const;

/** Fixed answer ids, so that typed "yes" / "no" in any language can map to them. */
const ANSWER_IDS = ['yes', 'no', 'unsure'] as const;

const answerIdSchema = z
  .enum(ANSWER_IDS)
  .describe('One of yes, no, unsure. These ids are fixed: the bot shows them as buttons and maps typed answers to them.');

const indicatorIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/, 'use snake_case: small letters, digits and underscores, e.g. fee_upfront')
  .describe('A short unique name in snake_case, e.g. fee_upfront. Flows, job-ad patterns and saved answers refer to it: do not rename it lightly.');

const textKeySchema = (what: string) =>
  z
    .string()
    .regex(
      /^screening\.[a-z0-9_]+(\.[a-z0-9_]+)+$/,
      'a text key starts with "screening." and names a text in locales/<language>/screening.json, e.g. screening.fee_upfront.question',
    )
    .describe(
      `Key of the ${what} in locales/<language>/screening.json, written with the file name first, e.g. screening.fee_upfront.${what}. Never write the text itself here.`,
    );

const answerSchema = z
  .object({
    id: answerIdSchema,
    weight: z
      .number()
      .min(0)
      .max(3)
      .describe('How much this answer counts, 0 (nothing) to 3 (most). Red flags are listed most serious first by strength, then by this weight.'),
  })
  .strict();

const appliesWhenSchema = z
  .object({
    indicator: indicatorIdSchema.describe('The id of an earlier question (usually a context question such as job_abroad).'),
    answer: z
      .union([answerIdSchema, z.array(answerIdSchema).min(1)])
      .describe('Ask this question only when that earlier question got this answer (or one of these answers), e.g. [yes, unsure].'),
  })
  .strict()
  .describe('Optional: ask this question only after a certain answer to an earlier question, e.g. visa questions only when the job is abroad.');

const sourceSchema = z
  .object({
    title: z.string().min(3).describe('Publisher and title, e.g. "ILO, Indicators of Forced Labour".'),
    url: z.url().describe('Where the source can be read.'),
    year: z.number().int().min(1900).max(2100).optional().describe('Year of publication; leave it out when the source shows no date rather than guess.'),
  })
  .strict();

const redFlagSchema = z
  .object({
    id: indicatorIdSchema,
    category: z
      .enum(RED_FLAG_CATEGORIES)
      .describe('Which kind of warning sign this is. Use "context" for a question that only decides which other questions to ask.'),
    strength: z
      .enum(['strong', 'medium', 'weak'])
      .describe(
        'How strongly this sign points to trafficking or forced labour, after the ILO–EC operational indicators: one strong sign is enough for a "high" result.',
      ),
    core: z
      .boolean()
      .default(false)
      .describe(
        'true: asked in every screening (at most 11 such questions plus the context questions, 12 in all). false: kept for the job-ad analyser and longer checks.',
      ),
    question: textKeySchema('question'),
    answers: z.array(answerSchema).min(2).max(3).describe('The buttons, in the order shown: usually yes, no, unsure.'),
    flagWhen: z.array(answerIdSchema).min(1).describe('Which answers count as the red flag, e.g. [yes]; for "Do you have a written contract?" it is [no].'),
    appliesWhen: appliesWhenSchema.optional(),
    explanation: textKeySchema('explanation'),
    advice: textKeySchema('advice'),
    sources: z.array(sourceSchema).min(1).describe('Where this warning sign is described (at least one).'),
  })
  .strict();

const contextSchema = z
  .object({
    id: indicatorIdSchema,
    category: z.literal('context'),
    question: textKeySchema('question'),
    answers: z.array(answerSchema).min(2).max(3).describe('The buttons, in the order shown. Weights are ignored for context questions.'),
    appliesWhen: appliesWhenSchema.optional(),
  })
  .strict()
  .describe('A context question (no red flag): its answer only decides which other questions apply, e.g. job_abroad.');

const entrySchema = z.discriminatedUnion('category', [redFlagSchema, contextSchema]);

/** Most questions one screening run may ask, context questions included. */
const MAX_QUESTIONS_PER_RUN = 12;

/** The whole file: indicators in the order they are asked. Cross-checks ids, answers and the question budget. */
export const indicatorFileSchema = z
  .object({
    indicators: z
      .array(entrySchema)
      .min(1)
      .describe('Questions in the order the bot asks them. A question with appliesWhen must come after the question it depends on.'),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Map<string, Indicator>();
    file.indicators.forEach((entry, index) => {
      const path = ['indicators', index];
      if (seen.has(entry.id))
        ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `the id "${entry.id}" is used twice; every indicator needs its own id` });
      const answerIds = entry.answers.map((a) => a.id);
      if (new Set(answerIds).size !== answerIds.length)
        ctx.addIssue({ code: 'custom', path: [...path, 'answers'], message: 'each answer id may appear only once' });
      if (entry.category !== 'context') {
        entry.flagWhen.forEach((id, i) => {
          if (!answerIds.includes(id))
            ctx.addIssue({
              code: 'custom',
              path: [...path, 'flagWhen', i],
              message: `"${id}" is not one of this indicator's answers (${answerIds.join(', ')})`,
            });
        });
        const flagged = entry.answers.filter((a) => entry.flagWhen.includes(a.id));
        const others = entry.answers.filter((a) => !entry.flagWhen.includes(a.id));
        const lowestFlag = Math.min(...flagged.map((a) => a.weight));
        if (others.some((a) => a.weight >= lowestFlag))
          ctx.addIssue({ code: 'custom', path: [...path, 'answers'], message: 'a red-flag answer (flagWhen) must weigh more than every other answer' });
      }
      if (entry.appliesWhen) {
        const target = seen.get(entry.appliesWhen.indicator);
        if (!target) {
          ctx.addIssue({
            code: 'custom',
            path: [...path, 'appliesWhen', 'indicator'],
            message: `"${entry.appliesWhen.indicator}" must be the id of a question listed before this one`,
          });
        } else {
          for (const id of answerList(entry.appliesWhen.answer)) {
            if (!target.answers.some((a) => a.id === id))
              ctx.addIssue({ code: 'custom', path: [...path, 'appliesWhen', 'answer'], message: `"${target.id}" has no answer "${id}"` });
          }
          if (entry.category !== 'context' && entry.core && !isAskedInRun(target))
            ctx.addIssue({
              code: 'custom',
              path: [...path, 'appliesWhen', 'indicator'],
              message: `a core question can only depend on a context question or another core question; "${target.id}" is neither`,
            });
        }
      }
      seen.set(entry.id, entry);
    });
    const perRun = file.indicators.filter(isAskedInRun).length;
    if (perRun > MAX_QUESTIONS_PER_RUN)
      ctx.addIssue({
        code: 'custom',
        path: ['indicators'],
        message: `a screening may ask at most ${MAX_QUESTIONS_PER_RUN} questions, but ${perRun} are core or context questions; set core: false on some`,
      });
  });

/** true for questions a screening run asks: context questions and core red flags. */
export function isAskedInRun(entry: Indicator): boolean {
  return entry.category === 'context' || entry.core;
}

/** appliesWhen.answer may be one id or a list; always work with a list. */
export function answerList(answer: AnswerId | readonly AnswerId[]): readonly AnswerId[] {
  return typeof answer === 'string' ? [answer] : answer;
}

export type IndicatorFile = z.infer<typeof indicatorFileSchema>;
export type Indicator = z.infer<typeof entrySchema>;
export type RedFlagIndicator = z.infer<typeof redFlagSchema>;
export type AnswerId = z.infer<typeof answerIdSchema>;
export type RedFlagCategory = (typeof RED_FLAG_CATEGORIES)[number];
export type Strength = RedFlagIndicator['strength'];
