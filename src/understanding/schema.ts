/** zod schemas of `flows/understanding/<lang>.yaml` (word lists) and `flows/understanding/rules.yaml`. */
import { z } from 'zod';
import { tokenize } from './normalise.js';

/** The closed list of concept ids every language shares. */
export const conceptIds = [
  'sos',
  'help_plea',
  'danger',
  'confinement',
  'cannot',
  'leave',
  'document',
  'taken',
  'violence',
  'threat',
  'emergency_service',
  'fear',
  'trafficked',
  'debt',
  'unpaid',
  'watched',
  'deprived',
  'minor',
  'age',
  'begging',
  'marriage',
  'unwilling',
  'resolved',
  'self',
  'now',
  'everyday',
  'question',
  'hypothetical',
  'negation',
] as const;
export type ConceptId = (typeof conceptIds)[number];

/** Languages whose stemmer ships with the module (NLP.js). */
export const stemmerLanguages = ['en', 'es', 'fr', 'pt', 'ro', 'ru', 'sr', 'tl', 'uk', 'hi', 'ar'] as const;
export type StemmerLanguage = (typeof stemmerLanguages)[number];

export const intentIds = ['menu', 'help', 'language', 'forget'] as const;
export type IntentId = (typeof intentIds)[number];
export const answerIds = ['yes', 'no', 'unsure'] as const;
export type AnswerId = (typeof answerIds)[number];

/** Largest number of tokens in one entry. */
export const maxEntryTokens = 4;
const regexCharacters = /[\\^$[\]{}()|?+]/;

/** One entry: a word, `prefix*` or several words; checked against the grammar, never a regular expression. */
export const entrySchema = z
  .string()
  .min(1)
  .superRefine((entry, ctx) => {
    const problem = entryProblem(entry);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe(
    'A word (matched by stem when the file has a stemmer), `prefix*` (any word starting so, 3+ letters), or up to 4 words in a row. No regular expressions.',
  );

/** Why an entry breaks the grammar, or undefined when it is fine. */
export function entryProblem(entry: string): string | undefined {
  if (regexCharacters.test(entry))
    return `\`${entry}\` contains a regular-expression character (one of \\ ^ $ [ ] { } ( ) | ? +): write plain words, and \`word*\` for "any word starting so"`;
  const parts = entry.trim().split(/\s+/);
  for (const part of parts) {
    const star = part.indexOf('*');
    if (star >= 0 && star !== part.length - 1) return `\`${entry}\`: \`*\` may only end a word (\`pomogi*\`)`;
    if (star >= 0) {
      const stem = tokenize(part.slice(0, -1)).tokens;
      const letters = [...(stem[0]?.norm ?? '')].length;
      if (stem.length !== 1 || letters < 3)
        return `\`${part}\` is too short a prefix: write at least 3 letters before \`*\` so it does not match ordinary words`;
    }
  }
  const tokens = tokenize(entry.replaceAll('*', '')).tokens;
  if (tokens.length === 0) return `\`${entry}\` has no letters or digits left after normalisation: remove it`;
  if (tokens.length > maxEntryTokens)
    return `\`${entry}\` has ${tokens.length} words: an entry may have at most ${maxEntryTokens}; split it into shorter phrases`;
  return undefined;
}

const entriesSchema = z.array(entrySchema);
const languageTag = z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'use a BCP 47 language tag such as en, uk or pt-BR');

const conceptsSchema = z
  .record(z.string(), entriesSchema)
  .superRefine((concepts, ctx) => {
    for (const id of Object.keys(concepts)) {
      if (!(conceptIds as readonly string[]).includes(id)) {
        ctx.addIssue({ code: 'custom', path: [id], message: `unknown concept id \`${id}\`: use one of ${conceptIds.join(', ')}` });
      }
    }
  })
  .describe(`Words people type, by concept id (${conceptIds.join(', ')}).`);

const placesSchema = z
  .record(z.string(), entriesSchema)
  .superRefine((places, ctx) => {
    for (const code of Object.keys(places)) {
      if (!/^[A-Z]{2}$/.test(code))
        ctx.addIssue({ code: 'custom', path: [code], message: `\`${code}\` is not an ISO 3166-1 alpha-2 code: use two capital letters such as AE or MD` });
    }
  })
  .describe('Extra place names by ISO 3166-1 alpha-2 country code (country names themselves come built in).');

const answersSchema = z
  .object(Object.fromEntries(answerIds.map((id) => [id, entriesSchema.optional()])) as Record<AnswerId, z.ZodOptional<typeof entriesSchema>>)
  .strict()
  .optional()
  .describe('A reply to a yes / no question: the whole reply, or the words it starts with ("yeah they took it the first day"). "not yet" counts as unsure.');

/** A main chat language's word list. */
export const chatWordListSchema = z
  .object({
    language: languageTag.describe('The language of these words; the file name must be <language>.yaml.'),
    stemmer: z.enum(stemmerLanguages).optional().describe('Match words by stem with this stemmer; leave out for exact words.'),
    chat: z.literal(true).describe('true: we chat in this language.'),
    concepts: conceptsSchema,
    intents: z
      .object(Object.fromEntries(intentIds.map((id) => [id, entriesSchema.optional()])) as Record<IntentId, z.ZodOptional<typeof entriesSchema>>)
      .strict()
      .optional()
      .describe('A short message (4 words or fewer) made only of these words is that command.'),
    answers: answersSchema,
    places: placesSchema.optional(),
  })
  .strict();

/** An emergency-only language's word list. */
export const extraWordListSchema = z
  .object({
    language: languageTag.describe('The language of these words; the file name must be <language>.yaml.'),
    name: z.string().min(1).describe('The English name of the language.'),
    stemmer: z.enum(stemmerLanguages).optional(),
    chat: z.literal(false).describe('false: emergency-only language, we do not chat in it yet.'),
    notice: z.string().min(1).describe('One plain line in this language: we cannot chat in it yet; if you are in danger, call the number below.'),
    concepts: conceptsSchema,
    // People answer a yes / no button and name where they are in their own language, even in a chat held in another.
    answers: answersSchema,
    places: placesSchema.optional(),
  })
  .strict();

/** `flows/understanding/<lang>.yaml` */
export const wordListFileSchema = z.discriminatedUnion('chat', [chatWordListSchema, extraWordListSchema]);
export type WordListFile = z.infer<typeof wordListFileSchema>;

const conceptIdSchema = z.enum(conceptIds);

const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'use lower-case letters, digits and _'),
    any: z.array(conceptIdSchema).min(1).optional().describe('At least one of these concepts is in the message.'),
    all: z.array(conceptIdSchema).min(1).optional().describe('Every one of these concepts is in the message.'),
    unless: z.array(conceptIdSchema).optional().describe('None of these may be in the message (an everyday request, a general question, a hypothetical).'),
    first_person: z
      .boolean()
      .optional()
      .describe('true when the rule speaks for the writer by itself (a plea, sos); otherwise first person needs the `self` concept.'),
    weak: z
      .boolean()
      .optional()
      .describe(
        'true when one sign of trouble makes the rule: the example classifier may overrule it when it is sure the message is ordinary, unless a rule that is not weak also holds or a `never_overruled` set is present.',
      ),
    why: z.string().optional(),
  })
  .strict()
  .refine((rule) => rule.any || rule.all, { message: 'a rule needs `any:` or `all:` (or both)' });

/** `flows/understanding/rules.yaml` */
export const rulesFileSchema = z
  .object({
    emergency: z.array(ruleSchema).min(1).describe('When is a message an emergency? The first rule that holds names it.'),
    never_overruled: z
      .array(z.array(conceptIdSchema).min(1))
      .optional()
      .describe('Sets of concepts: a message holding every concept of one set is never overruled by the example classifier, whatever rule holds.'),
    ordinary_words: z
      .array(z.string().min(1))
      .optional()
      .describe(
        'Ordinary words that must never be read as a typo or another form of a listed word (English "polite" is neither "police" nor Romanian "poliție"). Exact listed words still match.',
      ),
  })
  .strict();
export type RulesFile = z.infer<typeof rulesFileSchema>;
export type EmergencyRule = RulesFile['emergency'][number];

const exampleSchema = z
  .object({
    text: z.string().min(1).describe('The message as people type it: typos, mixed languages and all.'),
    note: z.string().optional().describe('Why it is here, or where it came from.'),
  })
  .strict();

/** `flows/understanding/examples/<lang>.yaml`: example messages the emergency classifier learns from. */
export const exampleFileSchema = z
  .object({
    language: languageTag.describe('The language of these messages; the file name must be <language>.yaml.'),
    emergency: z.array(exampleSchema).optional().describe('Messages that must get the emergency answer.'),
    ordinary: z.array(exampleSchema).optional().describe('Messages that must not, above all those that share words with emergencies.'),
  })
  .strict();
export type ExampleFile = z.infer<typeof exampleFileSchema>;
