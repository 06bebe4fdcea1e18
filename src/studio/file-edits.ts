/**
 * Edits to NGO files that keep what people wrote: YAML through the `yaml` Document API (comments,
 * key order and flow style such as `next: { flow: screening }` stay), JSON by parsing and writing
 * it back in its own key order (JSON has no comments). Plus the content hash each edit is checked
 * against, and a line diff to show what a save changes.
 */
import { createHash } from 'node:crypto';
import { Document, isCollection, isMap, isNode, parseDocument, stringify } from 'yaml';

/** One change: the value at `path` inside the file (`undefined` removes it from JSON), or YAML text to put there as written (`raw`). */
export interface FieldEdit {
  path: (string | number)[];
  value: unknown;
  raw?: string;
}

/** The hash every edit carries: a save whose base hash is not the file's current one was made on an older copy. */
export function contentHashOf(text: string | undefined): string {
  return text === undefined ? 'new' : createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * Applies edits to YAML text and returns the new text. Each edit replaces only the characters of
 * the value it changes (found through the parsed document's node ranges), so everything else,
 * comments, key order, quoting and spacing, stays exactly as written. A key that does not exist
 * yet is added at the end of its mapping.
 */
export function editYaml(text: string, edits: readonly FieldEdit[]): string {
  let out = text;
  for (const { path, value, raw } of edits) {
    if (value === undefined && raw === undefined) throw new Error('removing a value from a YAML file is not supported');
    const doc = parseDocument(out);
    if (doc.errors.length) throw new Error(`the file is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
    const node = doc.getIn(path, true);
    if (isNode(node) && node.range) {
      const [start, end] = node.range;
      const block = isCollection(node) && !node.flow;
      const indent = start - out.lastIndexOf('\n', start - 1) - 1;
      const written = block
        ? indentBlock(raw ?? blockText(value), indent).replace(/^ +/, '')
        : isBlockValue(value) || raw !== undefined
          ? `\n${indentBlock(raw ?? blockText(value), indent + 2).trimEnd()}`
          : inlineText(value);
      out = out.slice(0, start) + written + out.slice(end);
      continue;
    }
    const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
    if (!isMap(parent) || parent.flow || !parent.range || typeof path.at(-1) !== 'string')
      throw new Error(`cannot add \`${path.join('.')}\`: its parent is not a block mapping`);
    const first = parent.items[0]?.key;
    const at = parent.range[1];
    const indent = isNode(first) && first.range ? first.range[0] - out.lastIndexOf('\n', first.range[0] - 1) - 1 : 0;
    const key = inlineText(path.at(-1));
    const entry = raw !== undefined || isBlockValue(value) ? `${key}:\n${indentBlock(raw ?? blockText(value), 2)}` : `${key}: ${inlineText(value)}\n`;
    const lead = at > 0 && out[at - 1] !== '\n' ? '\n' : '';
    out = out.slice(0, at) + lead + indentBlock(entry, indent).replace(/^ */, ' '.repeat(indent)) + out.slice(at);
  }
  return out;
}

/** Objects and lists are written as blocks, except a target to another flow: `{ flow: facts }` stays one line. */
function isBlockValue(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  return Array.isArray(value) || !Object.keys(value).every((k) => k === 'flow' || k === 'state');
}

function blockText(value: unknown): string {
  return stringify(value, { lineWidth: 0 });
}

function inlineText(value: unknown): string {
  if (value !== null && typeof value === 'object') {
    const doc = new Document(value);
    if (isCollection(doc.contents)) doc.contents.flow = true;
    return doc.toString({ lineWidth: 0 }).trimEnd();
  }
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

/** Indents every line of a block by `indent` spaces; ends it with one newline. */
function indentBlock(block: string, indent: number): string {
  const pad = ' '.repeat(indent);
  return `${block
    .trimEnd()
    .split('\n')
    .map((line) => (line ? pad + line : line))
    .join('\n')}\n`;
}

/** Applies edits to JSON text (keys keep their order; new keys go last) and returns it as two-space JSON with a final newline. */
export function editJson(text: string | undefined, edits: readonly FieldEdit[]): string {
  const data = (text === undefined ? {} : JSON.parse(text)) as Record<string, unknown>;
  for (const { path, value } of edits) {
    let node = data as Record<string | number, unknown>;
    for (const part of path.slice(0, -1)) {
      const next = node[part];
      if (next === null || typeof next !== 'object') node[part] = {};
      node = node[part] as Record<string | number, unknown>;
    }
    const last = path.at(-1)!;
    if (value === undefined) delete node[last];
    else node[last] = value;
  }
  return `${JSON.stringify(data, null, 2)}\n`;
}

/** The YAML of one value at `path` exactly as people wrote it (comments included, indentation removed), or undefined. */
export function yamlAt(text: string, path: (string | number)[]): string | undefined {
  const node = parseDocument(text).getIn(path, true);
  if (!isNode(node) || !node.range) return undefined;
  const [start, end] = node.range;
  const indent = start - text.lastIndexOf('\n', start - 1) - 1;
  const lines = text.slice(start, end).trimEnd().split('\n');
  return `${lines.map((line, i) => (i === 0 ? line : line.slice(Math.min(indent, line.length - line.trimStart().length)))).join('\n')}\n`;
}

/** A line diff (`+`, `-` and two lines of context around each change), for showing what a save does. */
export function lineDiff(before: string, after: string, context = 2): string {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  // LCS over the changed middle only: an edit touches a few lines of a long file.
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  if (x.length * y.length > 4_000_000) return [...x.map((l) => `- ${l}`), ...y.map((l) => `+ ${l}`)].join('\n');
  const table = Array.from({ length: x.length + 1 }, () => new Uint32Array(y.length + 1));
  for (let i = x.length - 1; i >= 0; i--)
    for (let j = y.length - 1; j >= 0; j--) table[i]![j] = x[i] === y[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
  const middle: string[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      middle.push(`  ${x[i]}`);
      i++;
      j++;
    } else if (i < x.length && (j >= y.length || table[i + 1]![j]! >= table[i]![j + 1]!)) middle.push(`- ${x[i++]}`);
    else middle.push(`+ ${y[j++]}`);
  }
  const head = a.slice(Math.max(0, start - context), start).map((l) => `  ${l}`);
  const tail = a.slice(endA, endA + context).map((l) => `  ${l}`);
  const lineNo = Math.max(0, start - context) + 1;
  return [`@@ line ${lineNo} @@`, ...head, ...middle, ...tail].join('\n');
}
