/** Test helper: reads the shipped screening data with the `yaml` package and parses it with the screening schemas. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { indicatorFileSchema, patternFileSchema } from '../../src/screening/index.js';
import type { Indicator, PatternFile } from '../../src/screening/index.js';

export const root = join(import.meta.dirname, '..', '..');

function parseWith<T>(schema: z.ZodType<T>, file: string): T {
  const result = schema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!result.success) throw new Error(`${file}:\n${z.prettifyError(result.error)}`);
  return result.data;
}

/** The indicators of flows/indicators.yaml, validated. */
export function loadIndicators(): Indicator[] {
  return parseWith(indicatorFileSchema, join(root, 'flows', 'indicators.yaml')).indicators;
}

/** Every flows/job-ad-patterns/<lang>.yaml, validated, with the file name it came from. */
export function loadPatternFiles(): { file: string; data: PatternFile }[] {
  const dir = join(root, 'flows', 'job-ad-patterns');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ file: f, data: parseWith(patternFileSchema, join(dir, f)) }));
}

const adSchema = z
  .object({
    id: z.string().min(1),
    lang: z.string().min(2),
    label: z.enum(['risky', 'legitimate']),
    text: z.string().min(20),
  })
  .strict();

/** Every ad of test/fixtures/job-ads-eval/regression-team/<lang>.yaml (one list per language). */
export function loadAds(): z.infer<typeof adSchema>[] {
  const dir = join(root, 'test', 'fixtures', 'job-ads-eval', 'regression-team');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseWith(z.array(adSchema), join(dir, f)));
}
