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
  })
  .strict();

export type LocaleMeta = z.infer<typeof localeMetaSchema>;
