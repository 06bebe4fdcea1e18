/** zod schema of `flows/job-ad-patterns/<lang>.yaml`: red-flag phrases the job-ad analyser looks for. */
import { z } from 'zod';
import { toUnicodeRegExp } from './unicode-regexp.js';

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
  .describe('A regular expression, matched ignoring case. \\b works as a word edge in every alphabet. Write \\s+ between words so that line breaks and double spaces still match.');

const patternSchema = z
  .object({
    indicator: z.string().regex(/^[a-z][a-z0-9_]*$/).describe('The id of the indicator in flows/indicators.yaml that this phrase is a sign of.'),
    match: z.array(regexSourceSchema).min(1).describe('One or more phrases (regular expressions); any one of them is a match.'),
    unless: z
      .array(regexSourceSchema)
      .optional()
      .describe('Phrases that cancel a match found in the same sentence, e.g. "we never charge fees" or "free of charge" for a fee pattern.'),
  })
  .strict();

/** One language's pattern file. */
export const patternFileSchema = z
  .object({
    language: z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'use a BCP 47 language tag such as en, uk or pt-BR').describe('The language of the ads these patterns read; the file name must be <language>.yaml.'),
    patterns: z.array(patternSchema).min(1),
  })
  .strict();

export type PatternFile = z.infer<typeof patternFileSchema>;
