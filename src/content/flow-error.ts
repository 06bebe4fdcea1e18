/** Errors about NGO-edited files, each pinned to a file, line and column with a fix. */

/** One problem in one file, as `file:line:column: message`. */
export interface Problem {
  file: string;
  line: number;
  column: number;
  /** Where inside the file, e.g. `states.q_fee.choices[1].next`. Empty for the whole file. */
  path: string;
  message: string;
  severity: 'error' | 'warning';
}

/** Formats a problem the way editors and CI logs link it. */
export function formatProblem(p: Problem): string {
  const where = p.path ? ` (at ${p.path})` : '';
  const tag = p.severity === 'warning' ? 'warning: ' : '';
  return `${p.file}:${p.line}:${p.column}: ${tag}${p.message}${where}`;
}

/** Thrown when content cannot be loaded; carries every problem found, not just the first. */
export class FlowError extends Error {
  override name = 'FlowError';
  constructor(
    readonly problems: Problem[],
    options?: { cause?: unknown },
  ) {
    super(`${problems.length} problem(s) in flows/ or locales/:\n` + problems.map(formatProblem).join('\n'), options);
  }
}

/** Formats a path array as `a.b[2].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** The closest candidate by edit distance, for "did you mean" hints; undefined when nothing is close. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** A did-you-mean suffix for messages, or an empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const hit = closest(word, candidates);
  return hit ? `; did you mean \`${hit}\`?` : '';
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = saved;
    }
  }
  return row[b.length]!;
}
