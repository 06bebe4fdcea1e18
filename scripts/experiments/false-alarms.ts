/**
 * Fewer false alarms on unseen text (brief C9, issue 9): changes to the example classifier or to how its
 * score is used, judged by leave-one-round-out over every round with a first-run tree (b, c, d, e, f, h, i, j),
 * each held-out round read by the rules and word lists as they stood at its first run (dumps by veto-dump.ts),
 * the shipped ordinary veto applied, and the classifier trained without the held-out round. The selection
 * rule is in scripts/experiments/README.md ("Fewer false alarms on unseen text"), written before the run.
 *
 *   node bin/run-ts.js scripts/experiments/false-alarms.ts [--amended] [--second-stage [--no-concepts]] [--one-model] [--separability] [--feasible] [--list]
 *
 * Run 1 (as written) always runs; --amended, --second-stage and --one-model add the three amendments; --feasible prints
 * only the feasible candidates; the safety condition of the third amendment is false-alarms-check.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { trainClassifier, type ClassifierOptions } from '../../src/understanding/classifier.js';
import { exampleSettings, gateAllows, messageWords, trainingExamples } from '../../src/understanding/emergency-examples.js';
import type { EmergencyRule, ExampleFile } from '../../src/understanding/index.js';
import { loadShipped } from '../../test/helpers/content.js';
import { FIRST_RUNS, loadFirstRuns, normalised, pct, root, roundFolder, ruleHolds, short, type FirstRunItem } from './shared.js';

if (process.argv.includes('--help')) {
  console.log(
    'usage: node bin/run-ts.js scripts/experiments/false-alarms.ts [--amended] [--second-stage [--no-concepts]] [--one-model] [--separability] [--feasible] [--list]\n' +
      'Leave-one-round-out over the rounds with a first-run tree; run 1 always runs, the flags add the amendments (scripts/experiments/README.md).',
  );
  process.exit(0);
}

type Round = 'b' | 'c' | 'd' | 'e' | 'f' | 'h' | 'i' | 'j';
const ROUNDS: Round[] = ['b', 'c', 'd', 'e', 'f', 'h', 'i', 'j'];
/** Rounds that are not examples yet: candidates may learn from them (never from the held-out one). */
const NEW_ROUNDS: Round[] = ['h', 'i', 'j'];

// The shipped veto, as structural.ts replays it: today's weak rules and never sets, v < 0.3, < 0.05 with self, 6 words.
const today = parse(readFileSync(join(root, 'flows/understanding/rules.yaml'), 'utf8')) as { emergency: EmergencyRule[]; never_overruled: string[][] };
const WEAK = new Set(today.emergency.filter((r) => r.weak).map((r) => r.id));
const SELF = new Set(today.emergency.filter((r) => r.all?.includes('self')).map((r) => r.id));
const NEVER = today.never_overruled;
const { minWords, threshold } = exampleSettings;
const veto = exampleSettings.veto;

interface Item extends FirstRunItem<Round> {
  /** Rules of the first-run tree that hold on its concepts. */
  holding: EmergencyRule[];
  words: number;
  latin: boolean;
}

// ---- Scoring variants: which examples, which features (each trained leaving the held-out round out) ----

type Extra = 'none' | 'all' | 'emergency' | 'ordinary';
interface Scoring {
  name: string;
  extra: Extra;
  options: Partial<ClassifierOptions>;
}
const SCORINGS: Scoring[] = [];
for (const extra of ['none', 'all', 'emergency', 'ordinary'] as const)
  for (const across of [false, true])
    SCORINGS.push({
      name: `${extra === 'none' ? 'examples as shipped' : `+h,i,j ${extra === 'all' ? 'all' : extra === 'emergency' ? 'emergencies' : 'ordinary'}`}${across ? ', +pairs across one word' : ''}`,
      extra,
      options: { ...exampleSettings.classifier, ...(across ? { pairsAcross: true } : {}) },
    });

/** An evaluation round's messages as example files (the kept set is never among them). */
function roundExamples(round: Round, extra: Extra): ExampleFile[] {
  const dir = roundFolder(round);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => {
      const set = parse(readFileSync(join(dir, f), 'utf8')) as { language: string } & Partial<Record<'emergency' | 'ordinary', { text: string }[]>>;
      const note = `${FIRST_RUNS[round].note}: eval`;
      return {
        language: set.language,
        emergency: extra === 'all' || extra === 'emergency' ? (set.emergency ?? []).map((e) => ({ text: e.text, note })) : [],
        ordinary: extra === 'all' || extra === 'ordinary' ? (set.ordinary ?? []).map((e) => ({ text: e.text, note })) : [],
      } as ExampleFile;
    });
}

function scoreWith(items: Item[], s: Scoring, examples: readonly ExampleFile[]): Float64Array {
  const scores = new Float64Array(items.length);
  for (const round of ROUNDS) {
    const held = new Set(items.filter((i) => i.round === round).map((i) => normalised(i.text)));
    const keep = (e: { text: string; note?: string }) => !(e.note ?? '').startsWith(FIRST_RUNS[round].note) && !held.has(normalised(e.text));
    const files: ExampleFile[] = [
      ...examples,
      ...(s.extra === 'none' ? [] : NEW_ROUNDS.filter((r) => r !== round).flatMap((r) => roundExamples(r, s.extra))),
    ].map((f) => ({ language: f.language, emergency: (f.emergency ?? []).filter(keep), ordinary: (f.ordinary ?? []).filter(keep) }));
    const model = trainClassifier(trainingExamples(files, [], false), s.options);
    items.forEach((i, k) => {
      if (i.round === round) scores[k] = model.scoreTokens(i.tokens);
    });
  }
  return scores;
}

// ---- How the score is used when no rule holds (the raise) ----

/** Concepts that name trouble (a margin's cue): the word lists' signs, not the cancellers or answers. */
const TROUBLE = [
  'danger',
  'fear',
  'threat',
  'violence',
  'confinement',
  'trafficked',
  'taken',
  'cannot',
  'watched',
  'debt',
  'unpaid',
  'deprived',
  'help',
  'help_plea',
  'sos',
  'minor',
  'age',
  'begging',
  'marriage',
  'unwilling',
  'document',
  'leave',
  'emergency_service',
];
interface Raise {
  name: string;
  raises: (i: Item, score: number) => boolean;
}
const RAISES: Raise[] = [{ name: `score ≥ ${threshold}`, raises: (_, s) => s >= threshold }];
for (const t of [0.95, 0.97, 0.98, 0.99]) RAISES.push({ name: `score ≥ ${t}`, raises: (_, s) => s >= t });
for (const words of [6, 8, 10])
  for (const t of [0.97, 0.99]) RAISES.push({ name: `under ${words} words: score ≥ ${t}`, raises: (i, s) => s >= (i.words < words ? t : threshold) });
for (const latin of [true, false])
  for (const t of [0.97, 0.99])
    RAISES.push({ name: `${latin ? 'Latin' : 'other'} script: score ≥ ${t}`, raises: (i, s) => s >= (i.latin === latin ? t : threshold) });
for (const self of [false, true])
  for (const high of [0.98, 0.99, 0.995, Infinity]) {
    const cue = new Set(self ? [...TROUBLE, 'self'] : TROUBLE);
    RAISES.push({
      name: `margin: a trouble concept${self ? ' or self' : ''}${high === Infinity ? '' : `, or score ≥ ${high}`}`,
      raises: (i, s) => s >= threshold && (s >= high || i.concepts.some((c) => cue.has(c))),
    });
  }

/** The amendment's grid: the raise threshold and the veto's v (vSelf stays 0.05: the brief's safety amendment). */
const AMENDED_T = [0.85, 0.88, 0.9, 0.92, 0.93, 0.95];
const AMENDED_V = [0.3, 0.4, 0.5];

// ---- The replayed verdict ----

/**
 * A candidate: the scores (and raise) used when no rule holds, and the scores (and v) the veto of a weak hit
 * uses. Run 1 (as written) uses one scoring for both and the shipped v; the amendment may split them.
 */
interface Candidate {
  name: string;
  raiseScoring: number;
  raise: Raise;
  vetoScoring: number;
  v: number;
  /** Third amendment: the veto's bound for a weak hit whose rules need `self` (shipped 0.05). */
  vSelf?: number;
  /** Second amendment: a second-stage model (index into `stage2`) deciding non-self weak hits (v2) and raises (r2, 0 = off). */
  stage2?: { model: number; v2: number; r2: number };
}
/** What a message's verdict needs, computed once. */
interface Case {
  item: Item;
  emergency: boolean;
  round: Round;
  /** No rule holds and the gate lets the classifier judge. */
  judged: boolean;
  /** No rule holds. */
  none: boolean;
  /** Every rule that holds is weak, no never set, 6 words: the veto may overrule. */
  vetoable: boolean;
  self: boolean;
  why: string;
}

let scores: Float64Array[] = [];
let stage2: Float64Array[] = [];
function verdict(c: Case, k: number, x: Candidate): boolean {
  const second = x.stage2;
  if (c.none) {
    const raised = c.judged && x.raise.raises(c.item, scores[x.raiseScoring]![k]!);
    return raised && (second === undefined || second.r2 === 0 || stage2[second.model]![k]! >= second.r2);
  }
  if (!c.vetoable) return true;
  if (second && !c.self) return stage2[second.model]![k]! >= second.v2;
  return scores[x.vetoScoring]![k]! >= (c.self ? (x.vSelf ?? veto.belowSelf) : x.v);
}

/** A message with its first-run concepts as pseudo-words (one per concept), for the second stage. */
const withConcepts = (i: Item) => `${i.text} ${i.concepts.map((id) => `qqc${id.replace(/_/g, '')}`).join(' ')}`;

/**
 * The second stage's scores, leaving each round out: trained on the other rounds' confusable messages (a rule
 * holds on the first-run reading, or the shipped classifier raises), with or without the concepts.
 */
function secondStage(cases: Case[], concepts: boolean): Float64Array {
  const out = new Float64Array(cases.length);
  const text = (c: Case) => (concepts ? withConcepts(c.item) : c.item.text);
  const confusable = (c: Case, k: number) => !c.none || (c.judged && scores[0]![k]! >= threshold);
  for (const round of ROUNDS) {
    const train = cases.filter((c, k) => c.round !== round && confusable(c, k)).map((c) => ({ text: text(c), emergency: c.emergency }));
    const model = trainClassifier(train, exampleSettings.classifier);
    cases.forEach((c, k) => {
      if (c.round === round) out[k] = model.score(text(c));
    });
  }
  return out;
}

interface Figures {
  hit: number;
  em: number;
  fa: number;
  ord: number;
}
/** Counts one message's verdict into `f`. */
function count(f: Figures, emergency: boolean, verdictIsEmergency: boolean): void {
  if (emergency) {
    f.em++;
    if (verdictIsEmergency) f.hit++;
  } else {
    f.ord++;
    if (verdictIsEmergency) f.fa++;
  }
}
function figures(cases: Case[], x: Candidate, only?: (c: Case) => boolean): Figures {
  const f = { hit: 0, em: 0, fa: 0, ord: 0 };
  cases.forEach((c, k) => {
    if (only && !only(c)) return;
    count(f, c.emergency, verdict(c, k, x));
  });
  return f;
}

// ---- Run ----

const { content } = loadShipped();
const items: Item[] = loadFirstRuns(ROUNDS).map((i) => ({
  ...i,
  holding: i.rules.filter((r) => ruleHolds(r, new Set(i.concepts))),
  words: messageWords(i.tokens),
  latin: i.tokens.filter((t) => t.script === 'latin').length * 2 > i.tokens.length,
}));
// The tree's own verdict agrees: the first rule that holds is the one it named (from h on, a tree with the veto
// names none when it overruled the hit, so only this direction is checked there).
for (const i of items) {
  const named = i.rule !== undefined && i.rule !== 'like_emergency_examples' ? i.rule : undefined;
  if (named !== undefined ? i.holding[0]?.id !== named : i.holding.length > 0 && !['h', 'i', 'j'].includes(i.round))
    throw new Error(`rules recomputed differ from the first run: ${i.round} ${i.language} #${i.index}`);
}
console.log(`rounds: ${ROUNDS.map((r) => `${r} (${FIRST_RUNS[r].commit}) ${items.filter((i) => i.round === r).length}`).join(', ')} messages`);

const cases: Case[] = items.map((item) => {
  const base = { item, emergency: item.kind === 'emergency', round: item.round, self: item.holding.some((r) => SELF.has(r.id)) };
  if (item.holding.length === 0) return { ...base, none: true, judged: gateAllows(item.tokens, item.gate, minWords), vetoable: false, why: 'classifier' };
  const weak = item.holding.every((r) => WEAK.has(r.id) || r.weak === true);
  const never = NEVER.some((set) => set.every((id) => item.concepts.includes(id)));
  const long = gateAllows(item.tokens, item.gate, veto.minWords);
  const why = !weak ? 'strong rule' : never ? 'never set' : !long ? 'too short for the veto' : 'weak hit, score over the veto';
  return { ...base, none: false, judged: false, vetoable: weak && !never && long, why };
});
scores = SCORINGS.map((s, k) => (k === 0 ? Float64Array.from(items.map((i) => i.score)) : scoreWith(items, s, content.understanding.examples)));

const baseline: Candidate = { name: 'shipped', raiseScoring: 0, raise: RAISES[0]!, vetoScoring: 0, v: veto.below };
const inRound = (r: Round) => (c: Case) => c.round === r;

// The rule (README): net emergencies lost ≤ 1 per 1,000 pooled and ≤ 5 per 1,000 of any held-out round;
// fewest pooled false alarms; within 0.005 of the fewest, fewer lost, then the earlier (simpler) candidate.
// Shipped only when pooled false alarms fall by at least 0.03.
const POOLED_LOSS = 0.001;
const ROUND_LOSS = 0.005;
const FA_TIE = 0.005;
const SHIP_DROP = 0.03;

interface Result extends Figures {
  x: Candidate;
  lost: number;
  feasible: boolean;
  order: number;
}
/** A candidate's figures per held-out round, counted in one pass (kept: the nested selection asks again). */
const perRoundCache = new WeakMap<Candidate, Map<Round, Figures>>();
function perRound(x: Candidate): Map<Round, Figures> {
  let m = perRoundCache.get(x);
  if (m) return m;
  m = new Map(ROUNDS.map((r) => [r, { hit: 0, em: 0, fa: 0, ord: 0 }]));
  cases.forEach((c, k) => {
    const f = m!.get(c.round)!;
    count(f, c.emergency, verdict(c, k, x));
  });
  perRoundCache.set(x, m);
  return m;
}
function pooled(x: Candidate, rounds: readonly Round[]): Figures {
  const f = { hit: 0, em: 0, fa: 0, ord: 0 };
  for (const r of rounds) {
    const g = perRound(x).get(r)!;
    f.hit += g.hit;
    f.em += g.em;
    f.fa += g.fa;
    f.ord += g.ord;
  }
  return f;
}

/** Steps 3-4 of the rule over the given rounds. */
function select(candidates: Candidate[], rounds: readonly Round[]): { results: Result[]; chosen: Result; base: Figures } {
  const base = pooled(baseline, rounds);
  const baseRounds = perRound(baseline);
  const results = candidates.map((x, order) => {
    const f = pooled(x, rounds);
    const lost = base.hit - f.hit;
    const feasible =
      lost <= Math.floor(POOLED_LOSS * base.em) &&
      rounds.every((r) => baseRounds.get(r)!.hit - perRound(x).get(r)!.hit <= Math.floor(ROUND_LOSS * baseRounds.get(r)!.em));
    return { ...f, x, lost, feasible, order };
  });
  const feasible = results.filter((c) => c.feasible);
  const fewest = Math.min(...feasible.map((c) => c.fa));
  const chosen = feasible.filter((c) => c.fa <= fewest + FA_TIE * base.ord).sort((a, b) => a.lost - b.lost || a.order - b.order)[0]!;
  return { results, chosen, base };
}

function report(title: string, candidates: Candidate[], nested: boolean): void {
  console.log(`\n## ${title}`);
  const { results, chosen, base } = select(candidates, ROUNDS);
  console.log('\n| candidate | held-out emergencies | lost (net) | held-out false alarms | feasible |\n| --- | --- | --- | --- | --- |');
  for (const c of results)
    if (c.feasible || !process.argv.includes('--feasible'))
      console.log(`| ${c.x.name} | ${short(c.hit, c.em)} | ${c.lost} | ${short(c.fa, c.ord)} | ${c.feasible ? 'yes' : 'no'} |`);
  const drop = (base.fa - chosen.fa) / base.ord;
  // For information (never used to choose): the best candidate by the same rule when "lost" counts gross, every
  // emergency the baseline caught and the candidate misses.
  const grossOf = (x: Candidate) => cases.filter((c, k) => c.emergency && verdict(c, k, baseline) && !verdict(c, k, x)).length;
  const grossOk = results.filter((c) => c.feasible && grossOf(c.x) <= Math.floor(POOLED_LOSS * base.em));
  const grossBest = grossOk.sort((a, b) => a.fa - b.fa || a.order - b.order)[0];
  if (grossBest)
    console.log(
      `\nbest candidate losing ≤ 1 per 1,000 gross (information): ${grossBest.x.name}: emergency ${short(grossBest.hit, grossBest.em)}, lost gross ${grossOf(grossBest.x)}, false alarms ${short(grossBest.fa, grossBest.ord)}`,
    );
  console.log(
    `\nchosen: ${chosen.x.name}: emergency ${pct(chosen.hit, chosen.em)}, false alarms ${pct(chosen.fa, chosen.ord)}; false alarms fall by ${drop.toFixed(3)}: ${drop >= SHIP_DROP - 1e-12 ? 'passes step 5 (the third amendment also needs false-alarms-check.ts)' : 'do not ship (under 0.03)'}`,
  );
  const x = chosen.x;
  console.log(
    '\n| held out (first-run rules) | emergency: shipped | emergency: chosen | false alarms: shipped | false alarms: chosen |\n| --- | --- | --- | --- | --- |',
  );
  for (const r of ROUNDS) {
    const a = figures(cases, x, inRound(r));
    const b = figures(cases, baseline, inRound(r));
    console.log(`| ${r} (${FIRST_RUNS[r].commit}) | ${pct(b.hit, b.em)} | ${pct(a.hit, a.em)} | ${pct(b.fa, b.ord)} | ${pct(a.fa, a.ord)} |`);
  }
  console.log(`| pooled | ${pct(base.hit, base.em)} | ${pct(chosen.hit, chosen.em)} | ${pct(base.fa, base.ord)} | ${pct(chosen.fa, chosen.ord)} |`);
  console.log('\n| language | emergency: shipped | chosen | false alarms: shipped | chosen |\n| --- | --- | --- | --- | --- |');
  for (const l of [...new Set(items.map((i) => i.language))].sort()) {
    const b = figures(cases, baseline, (c) => c.item.language === l);
    const a = figures(cases, x, (c) => c.item.language === l);
    console.log(`| ${l} | ${short(b.hit, b.em)} | ${short(a.hit, a.em)} | ${short(b.fa, b.ord)} | ${short(a.fa, a.ord)} |`);
  }
  const changed = cases.map((c, k) => ({ c, k, was: verdict(c, k, baseline), now: verdict(c, k, x) })).filter((d) => d.was !== d.now);
  const count = (e: boolean, now: boolean) => changed.filter((d) => d.c.emergency === e && d.now === now).length;
  console.log(
    `\nchanged by the chosen candidate (${changed.length}): emergencies gained ${count(true, true)}, lost (gross) ${count(true, false)}; false alarms removed ${count(false, false)}, added ${count(false, true)}`,
  );
  for (const { c, k, now } of changed)
    console.log(
      `  ${c.emergency ? (now ? 'gained emergency' : 'LOST EMERGENCY') : now ? 'ADDED FALSE ALARM' : 'removed false alarm'} ${c.round}/${c.item.language} ${c.why} ${scores[0]![k]!.toFixed(3)} -> raise ${scores[x.raiseScoring]![k]!.toFixed(3)}, veto ${scores[x.vetoScoring]![k]!.toFixed(3)} ${JSON.stringify(c.item.text.slice(0, 100))}`,
    );
  if (!nested) return;
  // The whole procedure measured: the rule applied inside seven rounds, the chosen candidate scored on the eighth.
  // (The classifier's scores of the seven are still leave-one-round-out over all eight, so the eighth's messages
  // trained the scores the choice saw: a small leak, noted in the README.)
  console.log('\nnested (chosen inside seven rounds, scored on the eighth):');
  const sum = { hit: 0, em: 0, fa: 0, ord: 0, bhit: 0, bfa: 0 };
  for (const r of ROUNDS) {
    const inner = select(
      candidates,
      ROUNDS.filter((o) => o !== r),
    ).chosen.x;
    const a = figures(cases, inner, inRound(r));
    const b = figures(cases, baseline, inRound(r));
    sum.hit += a.hit;
    sum.em += a.em;
    sum.fa += a.fa;
    sum.ord += a.ord;
    sum.bhit += b.hit;
    sum.bfa += b.fa;
    console.log(`  held out ${r}: chosen inside the others: ${inner.name}; emergency ${b.hit} -> ${a.hit}/${a.em}, false alarms ${b.fa} -> ${a.fa}/${a.ord}`);
  }
  console.log(`  pooled: emergency ${pct(sum.bhit, sum.em)} -> ${pct(sum.hit, sum.em)}, false alarms ${pct(sum.bfa, sum.ord)} -> ${pct(sum.fa, sum.ord)}`);
}

console.log(
  `\nbaseline (shipped): emergency ${pct(figures(cases, baseline).hit, figures(cases, baseline).em)}, false alarms ${pct(figures(cases, baseline).fa, figures(cases, baseline).ord)}`,
);
for (const r of ROUNDS) {
  const b = figures(cases, baseline, inRound(r));
  const reasons = new Map<string, number>();
  cases.forEach((c, k) => {
    if (c.round === r && !c.emergency && verdict(c, k, baseline)) reasons.set(c.why, (reasons.get(c.why) ?? 0) + 1);
  });
  console.log(`  ${r}: ${pct(b.hit, b.em)} / ${pct(b.fa, b.ord)}; false alarms by reason: ${[...reasons].map(([w, n]) => `${w} ${n}`).join(', ')}`);
}

// Run 1, as written: one scoring for the raise and the veto, the shipped v.
const asWritten: Candidate[] = [];
SCORINGS.forEach((s, k) => {
  for (const raise of RAISES) asWritten.push({ name: `${s.name}; raise when ${raise.name}`, raiseScoring: k, raise, vetoScoring: k, v: veto.below });
});
report('Run 1, as written', asWritten, false);

if (process.argv.includes('--amended')) {
  // Amendment (README), written after run 1: the raise threshold and v re-chosen for each scoring, and the raise and
  // the veto may each use their own scoring (two models, each message scored by one of them).
  const amended: Candidate[] = [];
  SCORINGS.forEach((rs, rk) =>
    SCORINGS.forEach((vs, vk) => {
      for (const t of AMENDED_T)
        for (const v of AMENDED_V)
          amended.push({
            name: `raise: ${rs.name}, score ≥ ${t}; veto: ${vs.name}, v < ${v}`,
            raiseScoring: rk,
            raise: { name: `score ≥ ${t}`, raises: (_, s) => s >= t },
            vetoScoring: vk,
            v,
          });
    }),
  );
  report('Amendment: thresholds re-chosen, raise and veto scored apart', amended, true);
}

if (process.argv.includes('--one-model')) {
  // Third amendment (README): one model for the raise and the veto, and vSelf re-chosen too.
  const oneModel: Candidate[] = [];
  SCORINGS.forEach((sc, m) => {
    for (const vSelf of [0.05, 0.1, 0.2])
      for (const t of AMENDED_T)
        for (const v of AMENDED_V)
          oneModel.push({
            name: `${sc.name}: raise at score ≥ ${t}, veto v < ${v}, vSelf < ${vSelf}`,
            raiseScoring: m,
            raise: { name: `score ≥ ${t}`, raises: (_, s) => s >= t },
            vetoScoring: m,
            v,
            vSelf,
          });
  });
  report('Third amendment: one model, vSelf re-chosen', oneModel, true);
}

if (process.argv.includes('--second-stage')) {
  const kinds = process.argv.includes('--no-concepts') ? [true, false] : [true];
  stage2 = kinds.map((concepts) => secondStage(cases, concepts));
  const staged: Candidate[] = [];
  kinds.forEach((concepts, model) => {
    for (const v2 of [0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
      for (const r2 of [0, 0.1, 0.2, 0.3, 0.5])
        staged.push({
          name: `second stage${concepts ? ' with concepts' : ', text only'}: weak hit when ≥ ${v2}; raise ${r2 === 0 ? 'as shipped' : `kept when ≥ ${r2}`}`,
          raiseScoring: 0,
          raise: RAISES[0]!,
          vetoScoring: 0,
          v: veto.below,
          stage2: { model, v2, r2 },
        });
  });
  report('Second amendment: a second-stage model on the confusable set', staged, true);
}

if (process.argv.includes('--separability')) {
  // What the veto could reach at all: the weak hits it may judge (not `self`), emergencies and ordinary messages
  // overruled at each v, per scoring.
  const judged = cases.map((c, k) => ({ c, k })).filter(({ c }) => c.vetoable && !c.self);
  const em = judged.filter(({ c }) => c.emergency).length;
  console.log(`\nweak hits the veto may judge (no self rule): ${em} emergencies, ${judged.length - em} ordinary`);
  SCORINGS.forEach((sc, m) => {
    const at = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].map((v) => {
      const over = judged.filter(({ k }) => scores[m]![k]! < v);
      return `v<${v}: ${over.filter(({ c }) => c.emergency).length} em / ${over.filter(({ c }) => !c.emergency).length} ord`;
    });
    console.log(`  ${sc.name}: ${at.join('; ')}`);
  });
  const selfs = cases.map((c, k) => ({ c, k })).filter(({ c }) => c.vetoable && c.self);
  const selfEm = selfs.filter(({ c }) => c.emergency).length;
  console.log(`weak hits with a self rule: ${selfEm} emergencies, ${selfs.length - selfEm} ordinary (shipped scores)`);
  console.log(
    `  ${[0.05, 0.1, 0.2, 0.3, 0.4, 0.5]
      .map((v) => {
        const over = selfs.filter(({ k }) => scores[0]![k]! < v);
        return `v<${v}: ${over.filter(({ c }) => c.emergency).length} em / ${over.filter(({ c }) => !c.emergency).length} ord`;
      })
      .join('; ')}`,
  );
}

if (process.argv.includes('--list'))
  cases.forEach((c, k) => {
    if (!c.emergency && verdict(c, k, baseline))
      console.log(
        `  ${c.why} ${c.round}/${c.item.language} ${scores[0]![k]!.toFixed(3)} [${c.item.concepts.join(',')}] ${JSON.stringify(c.item.text.slice(0, 110))}`,
      );
  });
