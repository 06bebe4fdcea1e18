/** Test helper: reads the shipped screening data with the `yaml` package and parses it with the screening schemas. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { adCommonFileSchema, adConceptFileSchema, compileAdConcepts, indicatorFileSchema } from '../../src/screening/index.js';
import type { AdCommonFile, AdConceptFile, CompiledAdConcepts, Indicator } from '../../src/screening/index.js';

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

const conceptDir = join(root, 'flows', 'job-ad-concepts');

/** flows/job-ad-concepts/common.yaml, validated. */
export function loadAdCommon(): AdCommonFile {
  return parseWith(adCommonFileSchema, join(conceptDir, 'common.yaml'));
}

/** Every flows/job-ad-concepts/<lang>.yaml, validated, with the file name it came from. */
export function loadAdConceptFiles(): { file: string; data: AdConceptFile }[] {
  return readdirSync(conceptDir)
    .filter((f) => f.endsWith('.yaml') && f !== 'common.yaml')
    .sort()
    .map((f) => ({ file: f, data: parseWith(adConceptFileSchema, join(conceptDir, f)) }));
}

/** The shipped concepts, compiled as content loading does. */
export function loadAdConcepts(): CompiledAdConcepts {
  return compileAdConcepts(
    loadAdCommon(),
    loadAdConceptFiles().map((f) => f.data),
  );
}
