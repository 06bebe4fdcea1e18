/** zod schema of `locales/<lng>/_meta.json`: who translated a locale and how it is written. */
import { z } from 'zod';

/** Metadata of one locale. */
export const localeMetaSchema = z
  .object({
    name: z.string().min(1).describe('The language name in English, e.g. "Ukrainian".'),
    nativeName: z.string().min(1).describe('The language name in itself, e.g. "Українська" (used on the language buttons).'),
    direction: z.enum(['ltr', 'rtl']).default('ltr'),
    translatedBy: z.string().min(1).describe('Who wrote this translation.'),
    reviewedByNativeSpeaker: z.boolean().describe('true only after a native speaker has read every string.'),
    reviewNote: z.string().optional(),
    sameAsEnglish: z.array(z.string()).default([]).describe('Keys whose text may stay equal to the English one (names, numbers, "SOS").'),
    unreviewed: z
      .array(z.string())
      .default([])
      .describe('Keys written or changed since a native speaker last read them (or never read): a reviewer checks these first.'),
    sourceHashes: z
      .record(z.string(), z.string())
      .optional()
      .describe(
        'Written by `lantern studio` when a translation is saved: a short hash of the English text it was translated from, per key. When English changes, the studio marks the translation "changed since English".',
      ),
    neverSafe: z
      .object({
        words: z
          .array(z.string().min(1))
          .min(1)
          .describe('The word "safe" and its forms in this language (and phrases such as "no danger"); `*` stands for any letters, e.g. "безопасн*".'),
        allowed: z
          .array(z.string().min(1))
          .default([])
          .describe('Phrases with those words that do not call an offer safe, e.g. "does not mean the offer is safe".'),
      })
      .strict()
      .optional()
      .describe(
        'Lantern never calls an offer safe: lint refuses a result title, level line or explanation that uses one of these words outside an allowed phrase.',
      ),
  })
  .strict();

export type LocaleMeta = z.infer<typeof localeMetaSchema>;
