/** zod schema of `flows/hotlines.yaml`: the hotline directory NGO staff edit. */
import { z } from 'zod';

const SOURCE_NEEDED = 'Give at least one source: the address of the page where you read this number.';
const sourceUrl = z.url({ error: 'Write the full address of the page, starting with https://.' });
const isoDate = z.iso
  .date({ error: 'Write the day you checked this against its source as YYYY-MM-DD, e.g. 2026-12-03.' })
  .describe('The day this entry was last checked against its source, YYYY-MM-DD.');

/** How sure we are that a number is right, after the reference's own scale. */
export const confidenceSchema = z
  .enum(['verified-from-source', 'from-secondary-source', 'unverified'])
  .describe(
    'verified-from-source: seen on the operator or an official page; from-secondary-source: news or NGO directory; unverified: a single weak source (never shown to users).',
  );

const phoneNumberSchema = z
  .object({
    number: z.string().min(2).describe('As written for people, e.g. "0 800 77777" or "+373 22 23 33 09".'),
    from: z.enum(['inside', 'abroad', 'anywhere']).default('inside').describe('Where this number can be dialled from.'),
    tollFree: z.boolean().optional().describe('true only when the source says the call is free.'),
    shortCode: z.boolean().default(false).describe('A national short code (e.g. 112, 1343): libphonenumber-js checks it as a short number.'),
  })
  .strict();

const helplineSchema = z
  .object({
    id: z.string().regex(/^[a-z]{2}-[a-z0-9-]+$/, 'use the country code, a dash and a short name, e.g. md-lastrada'),
    organisation: z.string().min(2),
    name: z.string().min(2).describe('The service name as the operator publishes it.'),
    kind: z
      .enum(['trafficking', 'migrant-workers', 'labour', 'women', 'children', 'crime-victims', 'embassy', 'other', 'enforcement'])
      .describe(
        'What the line is for. enforcement: a police or immigration tip line that may act against the caller (never shown in an emergency answer, and listed last elsewhere).',
      ),
    purpose: z
      .string()
      .min(2)
      .optional()
      .describe('What the line is for, in plain English (translated as hotlines.lines.<id>.purpose); without it the kind says it.'),
    confidential: z.boolean().optional().describe('true when the operator says calls are confidential; the answer then says so.'),
    withoutPapers: z
      .boolean()
      .optional()
      .describe('true when the operator says it helps people without papers (no residence or work permit); the answer then says so.'),
    numbers: z.array(phoneNumberSchema).default([]),
    hours: z.string().optional(),
    languages: z.array(z.string()).optional().describe('Languages the operator answers in, as published.'),
    sms: z.string().optional().describe('A number that takes text messages, as written.'),
    whatsapp: z.string().optional().describe('A WhatsApp number in international form, e.g. "+62 812 1234 5678".'),
    telegram: z.string().optional().describe('A Telegram username (without @) or t.me link.'),
    web: z.url().optional().describe('A contact form, chat or report page.'),
    website: z.url().optional(),
    sources: z
      .array(z.url({ error: 'Write the full address of the page, starting with https://.' }))
      .min(1, { error: SOURCE_NEEDED })
      .describe('Where the number was read.'),
    checked: isoDate,
    confidence: confidenceSchema,
    note: z.string().optional(),
  })
  .strict();

const emergencySchema = z
  .object({
    number: z.string().min(2).describe('The main emergency number, e.g. "112".'),
    police: z.string().optional(),
    others: z.string().optional().describe('Other emergency numbers as text, e.g. "193 fire, 194 ambulance".'),
    sources: z.array(sourceUrl).min(1, { error: SOURCE_NEEDED }),
    checked: isoDate,
    confidence: confidenceSchema,
  })
  .strict();

const countrySchema = z
  .object({
    emergency: emergencySchema,
    helplines: z.array(helplineSchema).default([]),
    languages: z
      .array(z.string())
      .default([])
      .describe('Shipped locales mostly spoken in this country (BCP 47), used to suggest numbers before the country is known.'),
  })
  .strict();

/** The whole directory: countries keyed by ISO 3166-1 alpha-2 code. */
export const hotlineFileSchema = z
  .object({
    countries: z.record(z.string().regex(/^[A-Z]{2}$/, 'use the two-letter ISO country code in capitals, e.g. MD'), countrySchema),
  })
  .strict();

export type HotlineFile = z.infer<typeof hotlineFileSchema>;
export type CountryHotlines = z.infer<typeof countrySchema>;
export type Helpline = z.infer<typeof helplineSchema>;
export type HelplineNumber = z.infer<typeof phoneNumberSchema>;
