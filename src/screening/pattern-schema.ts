/** zod schema of `flows/job-ad-patterns/<lang>.yaml`: red-flag phrases the job-ad analyser looks for. */
import { z } from 'zod';
import { toUnicodeRegExp } from './unicode-regexp.js';

function isScript(name: string): boolean {
  try {
    new RegExp(`\\p{Script=${name}}`, 'u');
    return true;
  } catch {
    return false;
  }
}

const regexSourceSchema = z
  .string()
  .min(2)
  .superRefine((source, ctx) => {
    let re: RegExp;
    try {
      // The analyser's flags, so that V8's regex cache can reuse this compilation.
      re = toUnicodeRegExp(source, 'g');
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `this is not a valid regular expression: ${(error as Error).message}` });
      return;
    }
    if (re.test('')) ctx.addIssue({ code: 'custom', message: 'this pattern matches empty text, so it would flag every ad; make at least one part required' });
  })
  .describe(
    'A regular expression, matched ignoring case. \\b works as a word edge in every alphabet. Write \\s+ between words so that line breaks and double spaces still match.',
  );

const patternSchema = z
  .object({
    indicator: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/)
      .describe('The id of the indicator in flows/indicators.yaml that this phrase is a sign of.'),
    match: z.array(regexSourceSchema).min(1).describe('One or more phrases (regular expressions); any one of them is a match.'),
    unless: z
      .array(regexSourceSchema)
      .optional()
      .describe('Phrases that cancel a match found in the same sentence, e.g. "we never charge fees" or "free of charge" for a fee pattern.'),
  })
  .strict();

const scriptSchema = z
  .string()
  .regex(/^[A-Z][A-Za-z_]+$/, 'a Unicode script name such as Latin, Cyrillic, Arabic, Devanagari or Khmer')
  .refine((name) => isScript(name), 'not a Unicode script name: use one such as Latin, Cyrillic, Arabic, Devanagari or Khmer')
  .describe('The Unicode script the language is written in (Latin, Cyrillic, Arabic, Devanagari, Khmer...).');

const lettersSchema = z
  .string()
  .min(3)
  .superRefine((source, ctx) => {
    try {
      new RegExp(source, 'gu');
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `this is not a valid regular expression: ${(error as Error).message}` });
    }
  })
  .describe('Letters only this language of its script uses, as a character class such as [ñ¿¡]; each one in an ad counts 2.');

const detectProfileSchema = z
  .object({
    script: scriptSchema,
    letters: lettersSchema.optional(),
    words: z
      .string()
      .min(1)
      .optional()
      .describe('Short, frequent words in lower case, separated by spaces, that other languages of the same script do not use; each one in an ad counts 1.'),
  })
  .strict();

/** One language's pattern file. */
export const patternFileSchema = z
  .object({
    language: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'use a BCP 47 language tag such as en, uk or pt-BR')
      .describe('The language of the ads these patterns read; the file name must be <language>.yaml.'),
    detect: z
      .array(detectProfileSchema)
      .min(1)
      .describe('How the analyser recognises this language when nobody names it: one entry per script the language is written in.'),
    patterns: z.array(patternSchema).min(1),
  })
  .strict();

export type PatternFile = z.infer<typeof patternFileSchema>;
