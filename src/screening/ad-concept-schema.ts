/**
 * zod schemas of `flows/job-ad-concepts/`: the words of each red-flag concept per language
 * (`<lang>.yaml`), and the language-independent file (`common.yaml`) that says which concepts
 * together are a red flag and which level a set of flags gets.
 */
import { z } from 'zod';
import { entrySchema, stemmerLanguages } from '../understanding/index.js';

/** Concepts the analyser computes from the text itself, in every language: never listed in a file. */
export const COMPUTED_CONCEPTS = ['number', 'small_number', 'money', 'phone', 'email', 'website', 'minor_age'] as const;

const conceptIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'use snake_case: small letters, digits and _, e.g. fee_word')
  .describe(`A concept: a name the words of each language file are listed under, or one the analyser computes (${COMPUTED_CONCEPTS.join(', ')}).`);

function isScript(name: string): boolean {
  try {
    new RegExp(`\\p{Script=${name}}`, 'u');
    return true;
  } catch {
    return false;
  }
}

const detectProfileSchema = z
  .object({
    script: z
      .string()
      .regex(/^[A-Z][A-Za-z_]+$/, 'a Unicode script name such as Latin, Cyrillic, Arabic, Devanagari or Khmer')
      .refine((name) => isScript(name), 'not a Unicode script name: use one such as Latin, Cyrillic, Arabic, Devanagari or Khmer')
      .describe('The Unicode script the language is written in (Latin, Cyrillic, Arabic, Devanagari, Khmer...).'),
    letters: z
      .string()
      .regex(/^[^\\[\]^-]+$/u, 'write the letters themselves, one after the other, e.g. ñ¿¡ (no brackets, dashes or backslashes)')
      .optional()
      .describe('Letters only this language of its script uses, written one after the other (e.g. ñ¿¡); each one in an ad counts 2.'),
    words: z
      .string()
      .min(1)
      .optional()
      .describe('Short, frequent words in lower case, separated by spaces, that other languages of the same script do not use; each one in an ad counts 1.'),
  })
  .strict();

const examplesSchema = z
  .object({
    flag: z.array(z.string().min(3)).min(2).describe('At least two sentences that must raise this red flag.'),
    clean: z.array(z.string().min(3)).min(1).describe('At least one sentence that shares words with it but must not raise it (a negation, a lawful version).'),
  })
  .strict();

/** `flows/job-ad-concepts/<lang>.yaml`: one language's words for each concept, and example sentences per red flag. */
export const adConceptFileSchema = z
  .object({
    language: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'use a BCP 47 language tag such as en, uk or pt-BR')
      .describe('The language of the ads these words read; the file name must be <language>.yaml.'),
    alsoRead: z
      .array(z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'use a BCP 47 language tag such as en'))
      .optional()
      .describe('Languages whose words are read too in an ad of this language, because its ads mix them in (Tagalog ads are often half English).'),
    stemmer: z.enum(stemmerLanguages).optional().describe('Match single words by stem with this stemmer ("fees" finds "fee"); leave out for exact words.'),
    detect: z
      .array(detectProfileSchema)
      .min(1)
      .describe('How the analyser recognises this language when nobody names it: one entry per script the language is written in.'),
    concepts: z.record(conceptIdSchema, z.array(entrySchema).min(1)).describe('Words, `prefix*` and short phrases per concept, in this language.'),
    examples: z
      .record(z.string(), examplesSchema)
      .describe('Per red-flag indicator (id of flows/indicators.yaml): sentences that must raise it and sentences that must not. Checked at every load.'),
  })
  .strict();

export type AdConceptFile = z.infer<typeof adConceptFileSchema>;

const indicatorIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/)
  .describe('The id of a red-flag indicator in flows/indicators.yaml.');

const signalSchema = z
  .object({
    indicator: indicatorIdSchema,
    all: z
      .array(conceptIdSchema)
      .min(1)
      .max(4)
      .describe('Concepts that must all stand together, in any order: within `within` words of one sentence (or anywhere in the ad with `scope: ad`).'),
    within: z.number().int().min(1).max(40).default(12).describe('Most words from the first to the last concept of `all` (default 12).'),
    scope: z.enum(['sentence', 'ad']).default('sentence').describe('sentence (default): `all` in one sentence; ad: anywhere in the ad.'),
    unless: z
      .array(conceptIdSchema)
      .optional()
      .describe('Concepts that cancel the match when they stand in the same sentence ("employer pays", "free of charge").'),
    negatable: z
      .boolean()
      .default(true)
      .describe('true (default): a `negation` word just before the match, in the same clause, cancels it ("we never charge fees").'),
    absent: z
      .array(conceptIdSchema)
      .optional()
      .describe('Concepts that must appear nowhere in the ad (an absence: "no email, no website, no company"); the match of `all` is the evidence shown.'),
    why: z.string().min(3).describe('Why these concepts together are this red flag (for editors; never shown).'),
  })
  .strict();

const levelRuleSchema = z
  .object({
    level: z.enum(['caution', 'high', 'urgent']).describe('The least level an ad gets when this rule holds; the highest level of all rules that hold wins.'),
    any: z.array(indicatorIdSchema).min(1).optional().describe('One of these red flags is found.'),
    both: z
      .tuple([z.array(indicatorIdSchema).min(1), z.array(indicatorIdSchema).min(1)])
      .optional()
      .describe('A red flag of the first list and one of the second are found.'),
    count: z.number().int().min(1).optional().describe('At least this many distinct red flags (of at least `strength`) are found.'),
    categories: z.number().int().min(2).optional().describe('Red flags (of at least `strength`) from at least this many distinct categories are found.'),
    strength: z.enum(['weak', 'medium', 'strong']).default('weak').describe('Only red flags at least this strong count for `count` and `categories`.'),
    needs: z
      .enum(['medium', 'strong'])
      .optional()
      .describe('With `count`: at least one of the flags counted must be this strong (so that weak flags alone never make the level).'),
    reason: z.string().min(10).describe('Why this rule gives this level: one plain sentence, with its source where there is one.'),
  })
  .strict()
  .refine((rule) => [rule.any, rule.both, rule.count, rule.categories].filter((x) => x !== undefined).length === 1, {
    message: 'a level rule needs exactly one of `any`, `both`, `count` or `categories`',
  });

/** `flows/job-ad-concepts/common.yaml`: words shared by every language, the red-flag signals, and the ad level rules. */
export const adCommonFileSchema = z
  .object({
    concepts: z
      .record(conceptIdSchema, z.array(entrySchema).min(1))
      .describe('Words read in an ad of any language: brand names (WhatsApp), currencies, company forms (Ltd, GmbH).'),
    signals: z.array(signalSchema).min(1).describe('Each red flag as concepts that stand together; several signals may name one indicator.'),
    levels: z.array(levelRuleSchema).min(1).describe('How a set of red flags found in an ad makes a level. No flag at all is "low", which never means safe.'),
  })
  .strict();

export type AdCommonFile = z.infer<typeof adCommonFileSchema>;
export type AdLevelRule = AdCommonFile['levels'][number];
