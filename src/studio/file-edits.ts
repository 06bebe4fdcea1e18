/**
 * Edits to NGO files that keep what people wrote: YAML through the `yaml` Document API (comments,
 * key order and flow style such as `next: { flow: screening }` stay), JSON by parsing and writing
 * it back in its own key order (JSON has no comments). Plus the content hash each edit is checked
 * against, and a line diff to show what a save changes.
 */
import { createHash } from 'node:crypto';
import { isCollection, isScalar, parseDocument } from 'yaml';

/** One change: the value at `path` inside the file, or `undefined` to remove it. */
export interface FieldEdit {
  path: (string | number)[];
  value: unknown;
}

/** The hash every edit carries: a save whose base hash is not the file's current one was made on an older copy. */
export function contentHashOf(text: string | undefined): string {
  return text === undefined ? 'new' : createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Applies edits to YAML text and returns the new text; everything not edited is left as written. */
export function editYaml(text: string, edits: readonly FieldEdit[]): string {
  const doc = parseDocument(text, { keepSourceTokens: true });
  if (doc.errors.length) throw new Error(`the file is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  for (const { path, value } of edits) {
    if (value === undefined) {
      doc.deleteIn(path);
      continue;
    }
    const existing = doc.getIn(path, true);
    // A scalar replaced by a scalar keeps its node (and the comment on its line); anything else is a new node.
    if (isScalar(existing) && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) existing.value = value;
    else doc.setIn(path, doc.createNode(value));
  }
  return doc.toString({ lineWidth: 0 });
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

/** Edits a content file of either kind, chosen by its name. */
export function editFile(name: string, text: string | undefined, edits: readonly FieldEdit[]): string {
  if (name.endsWith('.json')) return editJson(text, edits);
  return editYaml(text ?? '', edits);
}

/** The YAML of one value at `path` (a flow step as people wrote it, comments included), or undefined. */
export function yamlAt(text: string, path: (string | number)[]): string | undefined {
  const doc = parseDocument(text);
  const node = doc.getIn(path, true);
  if (!isCollection(node) && !isScalar(node)) return undefined;
  const part = parseDocument('');
  part.contents = node as never;
  return part.toString({ lineWidth: 0 });
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
  for (let i = x.length - 1; i >= 0; i--) for (let j = y.length - 1; j >= 0; j--) table[i]![j] = x[i] === y[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
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
