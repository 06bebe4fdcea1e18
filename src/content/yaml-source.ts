/** Parses YAML files keeping positions, so every problem can name its line and column. */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { formatPath, type Problem } from './flow-error.js';

/** A parsed YAML file that can turn a path inside it into a line and column. */
export interface YamlSource {
  file: string;
  text: string;
  /** The plain data (undefined when the YAML itself is broken). */
  data: unknown;
  /** Problems found while parsing the YAML syntax. */
  problems: Problem[];
  /** A problem pinned to the node at `path` (or the nearest parent that exists). */
  problemAt(path: readonly PropertyKey[], message: string, severity?: Problem['severity']): Problem;
}

/** Reads and parses one YAML file; `file` in problems is relative to `cwd`. */
export function readYamlSource(path: string, cwd = process.cwd()): YamlSource {
  return parseYamlSource(readFileSync(path, 'utf8'), relative(cwd, path) || path);
}

/** Parses YAML text that came from `file`. */
export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const problems: Problem[] = doc.errors.map((error) => ({
    file,
    ...position(error.pos[0]),
    path: '',
    message: `invalid YAML: ${firstLine(error.message)}. Check the indentation and that every \`key: value\` has a space after the colon.`,
    severity: 'error' as const,
  }));
  return {
    file,
    text,
    data: problems.length ? undefined : doc.toJS(),
    problems,
    problemAt(path, message, severity = 'error') {
      return { file, ...position(offsetOf(doc, path)), path: formatPath(path), message, severity };
    },
  };
}

/** Validates the data with a zod schema; issues become positioned problems. */
export function validateYaml<S extends z.ZodType>(source: YamlSource, schema: S): { value?: z.infer<S>; problems: Problem[] } {
  if (source.problems.length) return { problems: source.problems };
  const result = schema.safeParse(source.data);
  if (result.success) return { value: result.data, problems: [] };
  return { problems: result.error.issues.map((issue) => source.problemAt(issue.path, describeIssue(issue))) };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `\`${k}\``).join(', ')}: remove it or check its spelling`;
    case 'invalid_type':
      return issue.input === undefined ? `missing required field: add it (${issue.message})` : issue.message;
    default:
      return issue.message;
  }
}

function offsetOf(doc: Document, path: readonly PropertyKey[]): number {
  // Walk down as far as the path exists; point at the key for map entries, else the node.
  for (let depth = path.length; depth >= 0; depth--) {
    const parentPath = path.slice(0, depth - 1) as unknown[];
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth) as unknown[], true);
    if (depth > 0) {
      const parent = parentPath.length ? doc.getIn(parentPath, true) : doc.contents;
      const key = path[depth - 1];
      if (parent && isNode(parent) && 'items' in parent && typeof key === 'string') {
        const pair = (parent.items as { key: unknown }[]).find((item) => isNode(item.key) && (item.key as { value?: unknown }).value === key);
        if (pair && isNode(pair.key) && pair.key.range) return pair.key.range[0];
      }
    }
    if (node && isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
