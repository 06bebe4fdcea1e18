import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonSchemas } from '../../src/cli/commands/schema.js';
import { root } from '../helpers/content.js';

describe('JSON Schemas for editors', () => {
  it('the committed schemas match the zod schemas (run `lantern schema` after changing one)', () => {
    for (const [file, schema] of Object.entries(jsonSchemas())) {
      expect(JSON.parse(readFileSync(join(root, 'flows/schema', file), 'utf8')), file).toEqual(schema);
    }
  });

  it('every shipped YAML file in flows/ points its editor at a schema that exists', () => {
    const files = readdirSync(join(root, 'flows'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const first = readFileSync(join(root, 'flows', file), 'utf8').split('\n')[0]!;
      const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
      expect(match, `${file} must start with a yaml-language-server $schema line`).not.toBeNull();
      expect(() => readFileSync(join(root, 'flows', file, '..', match![1]!))).not.toThrow();
    }
  });

  it('the flow schema offers every state kind to editors', () => {
    const schema = JSON.stringify(jsonSchemas()['flow.schema.json']);
    for (const kind of ['"say"', '"ask"', '"choices"', '"options"', '"input"', '"action"', '"branch"', '"screening"', '"goto"', '"end"']) expect(schema).toContain(kind);
  });
});
