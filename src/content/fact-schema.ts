/** zod schema of `flows/facts.yaml`: the fact topics, and awareness facts each with its source and year. */
import { z } from 'zod';

const idPattern = /^[a-z][a-z0-9_]*$/;

const factSchema = z
  .object({
    id: z.string().regex(idPattern),
    topic: z.string().regex(idPattern).describe('One of the `topics` listed at the top of this file; facts are grouped by topic in the menu.'),
    text: z
      .string()
      .regex(/^facts\.[a-z0-9_.]+$/, 'a key in locales/<language>/facts.json, e.g. `facts.f01`')
      .describe('The i18n key of the fact text.'),
    myth: z
      .string()
      .regex(/^facts\.[a-z0-9_.]+$/)
      .optional()
      .describe('For myth-vs-fact entries: the key of the myth being answered.'),
    source: z
      .object({
        title: z.string().min(3),
        url: z.url(),
        year: z.number().int().min(1900).max(2100).describe('The year the figure refers to (or was published, for laws).'),
      })
      .strict(),
  })
  .strict();

/** The facts file: its topics, then the facts, each under one of those topics. */
export const factFileSchema = z
  .object({
    topics: z
      .array(z.string().regex(idPattern, 'a topic id in lower case, e.g. `rights` or `fees_and_debt`'))
      .min(1)
      .describe('The topics facts are grouped by; `randomFact` in a flow may name one of them.'),
    primarySources: z
      .array(z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'a host name such as `ilo.org` (no https://, no path)'))
      .default([])
      .describe(
        'Hosts of primary sources (the ILO, UNODC, IOM, OHCHR, national law...); a subdomain counts too. `lantern lint` warns on a fact whose source is elsewhere (news, commercial pages), and government hosts (.gov, .gov.xx, .gouv.fr...) always count.',
      ),
    facts: z.array(factSchema).min(1),
  })
  .strict()
  .superRefine((file, ctx) => {
    const topics = new Set<string>();
    file.topics.forEach((topic, i) => {
      if (topics.has(topic)) ctx.addIssue({ code: 'custom', path: ['topics', i], message: `topic \`${topic}\` is listed twice: remove one` });
      topics.add(topic);
    });
    file.facts.forEach((fact, i) => {
      if (!topics.has(fact.topic)) {
        ctx.addIssue({
          code: 'custom',
          path: ['facts', i, 'topic'],
          message: `unknown topic \`${fact.topic}\`: use one of ${file.topics.join(', ')}, or add it to \`topics:\` at the top of facts.yaml`,
        });
      }
    });
    file.topics.forEach((topic, i) => {
      if (!file.facts.some((f) => f.topic === topic))
        ctx.addIssue({
          code: 'custom',
          path: ['topics', i],
          message: `topic \`${topic}\` has no facts: add facts with \`topic: ${topic}\` or remove the topic`,
        });
    });
  });

export type FactFile = z.infer<typeof factFileSchema>;
