/** zod schema of `flows/facts.yaml`: awareness facts, each with its source and year. */
import { z } from 'zod';

const factSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/),
    topic: z.enum(['scale', 'who', 'recruitment', 'rights', 'myths']).describe('Facts are grouped by topic in the menu.'),
    text: z.string().regex(/^facts\.[a-z0-9_.]+$/, 'a key in locales/<language>/facts.json, e.g. `facts.f01`').describe('The i18n key of the fact text.'),
    myth: z.string().regex(/^facts\.[a-z0-9_.]+$/).optional().describe('For myth-vs-fact entries: the key of the myth being answered.'),
    source: z
      .object({
        title: z.string().min(3),
        url: z.url(),
        year: z.number().int().min(1900).max(2100).describe('The year the figure refers to (or was published, for laws).'),
      })
      .strict(),
  })
  .strict();

/** The facts file. */
export const factFileSchema = z.object({ facts: z.array(factSchema).min(1) }).strict();

export type FactFile = z.infer<typeof factFileSchema>;
