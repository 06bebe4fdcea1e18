/** What both classifier experiments share: old project trees, the normalised text, and the report tables. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { buildEngine } from '../../src/engine/index.js';
import { trainClassifier } from '../../src/understanding/classifier.js';
import { exampleSettings, trainingExamples } from '../../src/understanding/emergency-examples.js';
import { tokenize, type Token } from '../../src/understanding/normalise.js';
import type { EmergencyRule, ExampleFile, Reading } from '../../src/understanding/index.js';
import { loadShipped } from '../../test/helpers/content.js';
import { wilson } from '../../test/helpers/understanding-eval.js';
import type { Dumped } from './veto-dump.js';

export const root = resolve(import.meta.dirname, '../..');
export const evalDir = join(root, 'test/fixtures/understanding-eval');
export const scratch = join(root, 'tmp');

/** A read-only copy of the project at `commit` in tmp/, sharing node_modules. */
export function tree(commit: string): string {
  const dir = join(scratch, `rules-${commit}`);
  if (!existsSync(join(dir, 'package.json'))) {
    mkdirSync(dir, { recursive: true });
    const archive = execFileSync('git', ['archive', commit], { cwd: root, maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', dir], { input: archive });
  }
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(realpathSync(join(root, 'node_modules')), join(dir, 'node_modules'));
  return dir;
}

/** The text as the classifier sees it (tokens, normalised), to find a message that another round also holds. */
export const normalised = (text: string) =>
  tokenize(text)
    .tokens.map((t) => t.folded)
    .join(' ');

/** A rate with its count and 95 % Wilson interval. */
export const pct = (h: number, n: number) => {
  if (n === 0) return '—';
  const [lo, hi] = wilson(h, n);
  return `${(h / n).toFixed(2)} (${h}/${n}) [${lo.toFixed(2)}–${hi.toFixed(2)}]`;
};
/** A rate with its count. */
export const short = (h: number, n: number) => (n === 0 ? '—' : `${(h / n).toFixed(2)} (${h}/${n})`);

/** One message's verdicts: the rules', and the classifier's. */
export interface Row {
  item: { kind: 'emergency' | 'ordinary'; language: string };
  rules: boolean;
  clf: boolean;
}

export function tally(rows: Row[]) {
  const em = rows.filter((r) => r.item.kind === 'emergency');
  const ord = rows.filter((r) => r.item.kind === 'ordinary');
  const n = (rs: Row[], f: (r: Row) => boolean) => rs.filter(f).length;
  return {
    em: em.length,
    ord: ord.length,
    rules: n(em, (r) => r.rules),
    or: n(em, (r) => r.rules || r.clf),
    clf: n(em, (r) => r.clf),
    rulesFa: n(ord, (r) => r.rules),
    orFa: n(ord, (r) => r.rules || r.clf),
    clfFa: n(ord, (r) => r.clf),
  };
}

/** Pooled rules / rules OR classifier / classifier alone, one line per group; `model` names the classifier in the headings. */
export function pooledTable(title: string, groups: [string, Row[]][], model: string): string {
  const lines = [
    `#### ${title}`,
    `| | emergency: rules | emergency: rules OR ${model} | false alarms: rules | false alarms: rules OR ${model} | ${model} alone: emergency / false alarms |`,
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const [name, rows] of groups) {
    const t = tally(rows);
    lines.push(
      `| ${name} | ${pct(t.rules, t.em)} | ${pct(t.or, t.em)} | ${pct(t.rulesFa, t.ord)} | ${pct(t.orFa, t.ord)} | ${short(t.clf, t.em)} / ${short(t.clfFa, t.ord)} |`,
    );
  }
  return lines.join('\n');
}

/** The same per language, each cell written by `cell`, then the pooled line with intervals. */
export function languageTable(title: string, rows: Row[], model: string, cell: (h: number, n: number) => string): string {
  const languages = [...new Set(rows.map((r) => r.item.language))].sort();
  const lines = [
    `#### ${title}`,
    `| language | emergency: rules | rules OR ${model} | false alarms: rules | rules OR ${model} |`,
    '| --- | --- | --- | --- | --- |',
  ];
  for (const l of languages) {
    const t = tally(rows.filter((r) => r.item.language === l));
    lines.push(`| ${l} | ${cell(t.rules, t.em)} | ${cell(t.or, t.em)} | ${cell(t.rulesFa, t.ord)} | ${cell(t.orFa, t.ord)} |`);
  }
  const t = tally(rows);
  lines.push(`| **pooled** | ${pct(t.rules, t.em)} | ${pct(t.or, t.em)} | ${pct(t.rulesFa, t.ord)} | ${pct(t.orFa, t.ord)} |`);
  return lines.join('\n');
}

/** An engine built by a tree's own code (imported at run time, so typed loosely here). */
interface TreeEngine {
  translator: { negotiate: (language: string) => string | undefined };
  engine: { step: (session: unknown, input: object, now: number) => { session?: unknown } };
}

/**
 * Runs each emergency and ordinary message of an evaluation set as the first typed turn of a
 * fresh conversation (as `lantern chat --json --fresh` does) and hands over the engine's result.
 */
export function freshTurns<R>(
  built: TreeEngine,
  set: { language: string } & Partial<Record<'emergency' | 'ordinary', { text: string }[]>>,
  visit: (kind: 'emergency' | 'ordinary', index: number, text: string, result: R, language: string) => void,
): void {
  const language = built.translator.negotiate(set.language) ?? 'en';
  const base = { conversation: 'eval', channel: 'test', languageHint: language };
  for (const kind of ['emergency', 'ordinary'] as const)
    (set[kind] ?? []).forEach((m, index) => {
      const started = built.engine.step(undefined, { ...base, event: { type: 'start' } }, 0);
      const result = built.engine.step(started.session ?? undefined, { ...base, event: { type: 'text', text: m.text } }, 0);
      visit(kind, index, m.text, result as R, language);
    });
}

/** What the example classifier's gate reads of a message. */
export function gateOf(reading: Reading) {
  return {
    tokens: reading.tokens,
    places: reading.places,
    ...(reading.intent ? { intent: reading.intent } : {}),
    ...(reading.answer ? { answer: reading.answer } : {}),
  };
}

/** Leave one round out: each round's messages scored by a classifier trained on the examples without that round's (by note and by text). */
export function scoreLeavingRoundsOut<R extends string>(
  items: { round: R; text: string; tokens: Token[]; score: number }[],
  rounds: readonly R[],
  note: Record<R, string>,
  examples: readonly ExampleFile[],
): void {
  for (const round of rounds) {
    const held = items.filter((i) => i.round === round);
    const texts = new Set(held.map((i) => normalised(i.text)));
    const keep = (e: { text: string; note?: string }) => !(e.note ?? '').startsWith(note[round]) && !texts.has(normalised(e.text));
    const files: ExampleFile[] = examples.map((f) => ({
      language: f.language,
      emergency: (f.emergency ?? []).filter(keep),
      ordinary: (f.ordinary ?? []).filter(keep),
    }));
    const model = trainClassifier(trainingExamples(files, [], false), exampleSettings.classifier);
    for (const i of held) i.score = model.scoreTokens(i.tokens);
  }
}

/** The rounds whose first run is known: the commit whose rules were frozen then, the set's folder, and its examples' note. */
export const FIRST_RUNS = {
  b: { commit: '4ef1990', folder: 'regression-2026-12-02b', note: 'round 02b' },
  c: { commit: 'e6adca8', folder: 'regression-2026-12-02c', note: 'round 02c' },
  d: { commit: '4d440d0', folder: 'regression-2026-12-02d', note: 'round 02d' },
  e: { commit: 'dd3b06b', folder: 'regression-2026-12-02e', note: 'round 02e' },
  f: { commit: '50d1d37', folder: 'regression-2026-12-03f', note: 'round 03f' },
  h: { commit: '34a6b49', folder: 'regression-2026-12-03h', note: 'round 03h' },
  i: { commit: '7b24685', folder: 'regression-2026-12-03i', note: 'round 03i' },
  // Renamed regression-2026-12-03j once tuned on: either name is read (roundFolder).
  j: { commit: '5fbf49d', folder: 'fresh-2026-12-03j', note: 'round 03j' },
} as const;
export type Round = keyof typeof FIRST_RUNS;

/** A round's folder: its name in FIRST_RUNS, or the regression- name it gets once tuned on. */
export function roundFolder(round: Round): string {
  const named = join(evalDir, FIRST_RUNS[round].folder);
  const renamed = named.replace('/fresh-', '/regression-');
  return existsSync(named) || !existsSync(renamed) ? named : renamed;
}

/** The example classifier's concept: left out of a first run's concepts, so only the rules are read. */
export const EXAMPLES_ID = 'like_emergency_examples';

/** Whether an emergency rule holds on a set of concepts. */
export const ruleHolds = (rule: EmergencyRule, present: ReadonlySet<string>): boolean =>
  (!rule.all || rule.all.every((id) => present.has(id))) &&
  (!rule.any || rule.any.some((id) => present.has(id))) &&
  !rule.unless?.some((id) => present.has(id));

/** A message of a first run: what the frozen tree found, the gate and tokens of today's reading, the frozen rules, and its LORO score. */
export interface FirstRunItem<R extends Round> extends Dumped {
  round: R;
  tokens: Token[];
  gate: ReturnType<typeof gateOf>;
  /** The emergency rules of the first run's tree. */
  rules: EmergencyRule[];
  score: number;
}

/**
 * Every message of these rounds as its first run read it (dumped once per round by veto-dump.ts from the
 * frozen tree), with today's reading of it for the gate, and scored by the example classifier left one
 * round out.
 */
export function loadFirstRuns<R extends Round>(rounds: readonly R[]): FirstRunItem<R>[] {
  const { content } = loadShipped();
  const withoutExamples = { ...content, understanding: { ...content.understanding, examples: [], exampleModel: undefined } };
  const built = buildEngine(withoutExamples, { language: 'en' });
  const items: FirstRunItem<R>[] = [];
  for (const round of rounds) {
    const { commit } = FIRST_RUNS[round];
    const file = join(scratch, 'veto', `first-${round}.json`);
    if (!existsSync(file))
      execFileSync('node', ['bin/run-ts.js', 'scripts/experiments/veto-dump.ts', commit, roundFolder(round), file], { cwd: root, stdio: 'inherit' });
    const rules = (parse(readFileSync(join(tree(commit), 'flows/understanding/rules.yaml'), 'utf8')) as { emergency: EmergencyRule[] }).emergency;
    for (const d of JSON.parse(readFileSync(file, 'utf8')) as Dumped[]) {
      const reading = built.engine.read(d.text, built.translator.negotiate(d.language) ?? 'en');
      items.push({
        ...d,
        concepts: d.concepts.filter((c) => c !== EXAMPLES_ID),
        round,
        tokens: tokenize(d.text.slice(0, 3000)).tokens,
        gate: gateOf(reading),
        rules,
        score: 0,
      });
    }
  }
  const notes = Object.fromEntries(rounds.map((r) => [r, FIRST_RUNS[r].note])) as Record<R, string>;
  scoreLeavingRoundsOut(items, rounds, notes, content.understanding.examples);
  return items;
}
