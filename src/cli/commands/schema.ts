/** `lantern schema`: writes JSON Schemas so editors complete and check files in flows/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { factFileSchema } from '../../content/fact-schema.js';
import { hotlineFileSchema } from '../../content/index.js';
import { editorFlowSchema } from '../../flows/index.js';
import { adCommonFileSchema, adConceptFileSchema, indicatorFileSchema } from '../../screening/index.js';
import { exampleFileSchema, rulesFileSchema, wordListFileSchema } from '../../understanding/index.js';
import type { Command } from '../command.js';
import { contentPaths } from '../project.js';

/** Every schema file, by name, as JSON Schema objects. */
export function jsonSchemas(): Record<string, unknown> {
  const schemas: Record<string, z.ZodType> = {
    'flow.schema.json': editorFlowSchema,
    'hotlines.schema.json': hotlineFileSchema,
    'facts.schema.json': factFileSchema,
    'indicators.schema.json': indicatorFileSchema,
    'job-ad-concepts.schema.json': adConceptFileSchema,
    'job-ad-common.schema.json': adCommonFileSchema,
    'understanding.schema.json': wordListFileSchema,
    'understanding-rules.schema.json': rulesFileSchema,
    'understanding-examples.schema.json': exampleFileSchema,
  };
  return Object.fromEntries(Object.entries(schemas).map(([file, schema]) => [file, z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })]));
}

/** `lantern schema [--out dir]` */
export const schemaCommand: Command = {
  usage: 'lantern schema [--out flows/schema]',
  options: { out: { type: 'string', description: 'Folder to write to (default: flows/schema).' } },
  async run(values, _positionals, io) {
    const out = (values.out as string | undefined) ?? join(contentPaths().flowsDir, 'schema');
    mkdirSync(out, { recursive: true });
    for (const [file, schema] of Object.entries(jsonSchemas())) {
      writeFileSync(join(out, file), `${JSON.stringify(schema, null, 2)}\n`);
      io.stdout.write(`wrote ${join(out, file)}\n`);
    }
    return 0;
  },
};
