/**
 * Chooses the ordinary veto (a weak rule hit overruled when the example classifier is confident the
 * message is ordinary) by leave-one-round-out over rounds b, c, d, e, f, each read by the rules as
 * they stood at its first run. The selection rule is in scripts/experiments/README.md ("Ordinary
 * veto"), written before the first run.
 *
 *   node bin/run-ts.js scripts/experiments/veto.ts [--plea-never] [--self-strong]
 */
import { exampleSettings, gateAllows } from '../../src/understanding/emergency-examples.js';
import { EXAMPLES_ID, FIRST_RUNS, loadFirstRuns, pct, ruleHolds, short, type FirstRunItem } from './shared.js';

type Round = 'b' | 'c' | 'd' | 'e' | 'f';
const ROUNDS: Round[] = ['b', 'c', 'd', 'e', 'f'];

const S1 = [
  'plea',
  'documents_taken',
  'documents_taken_self',
  'cannot_leave',
  'cannot_leave_other',
  'confined',
  'confined_self',
  'threat',
  'threat_self',
  'violence',
  'violence_self',
  'trafficked',
  'trafficked_self',
  'danger',
  'watched',
  'watched_and_afraid',
];
const S2 = [
  ...S1,
  'confined_and_control',
  'trafficked_and_control',
  'threat_and_control',
  'forced_and_hurt',
  'escape_watched',
  'escape_confined',
  'watched_and_cannot',
  'deprived_and_control',
  'debt_unpaid',
  'debt_bondage',
  'unpaid_controlled',
];
/**
 * `--self-strong` (an amendment made after the first run, for safety, not by the figures): a rule that
 * needs the writer themself (`self` in its `all`) is never weak, as the brief asks: "je suis
 * prisonniere chez mon employeur" and "мене продали іншому роботодавцю як річ" were overruled
 * on the regression sets without it.
 */
const SELF_RULES = new Set(['documents_taken_self', 'cannot_leave', 'confined_self', 'threat_self', 'violence_self', 'trafficked_self', 'watched']);
const strongSelf = (set: string[]) => (process.argv.includes('--self-strong') ? set.filter((r) => !SELF_RULES.has(r)) : set);
/** `--self-below`: the `self` rules stay weak, but only below the stricter vSelf (written before it was run). */
const V_SELF = process.argv.includes('--self-below') ? [0.001, 0.002, 0.005, 0.01, 0.02, 0.05] : [undefined];
const WEAK_SETS: [string, Set<string>][] = [
  ['S1', new Set(strongSelf(S1))],
  ['S2', new Set(strongSelf(S2))],
];
/**
 * Concept sets never overruled. `--plea-never` (an amendment made after the first run, for safety, not
 * by the figures): a plea for help is never overruled, with or without `self` ("khuda ke liye bachao 🙏😭").
 */
const NEVER: string[][] = [
  ['sos'],
  ['emergency_service'],
  process.argv.includes('--plea-never') ? ['help_plea'] : ['help_plea', 'self'],
  ['violence', 'now'],
  ['document', 'taken', 'cannot'],
  ['document', 'taken', 'confinement'],
  ['minor'],
];
const VETO_WORDS = [4, 6];
const V = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5];
const RECALL_LOSS = 0.01;
const ROUND_LOSS = 0.02;
const FA_TIE = 0.005;

interface Item extends FirstRunItem<Round> {
  /** Rules of the first-run tree that hold on its concepts (the classifier's concept left out). */
  holding: string[];
}

function load(): Item[] {
  return loadFirstRuns(ROUNDS).map((i) => {
    const holding = i.rules.filter((r) => ruleHolds(r, new Set(i.concepts))).map((r) => r.id);
    if ((i.rule !== undefined && i.rule !== EXAMPLES_ID) !== holding.length > 0) throw new Error(`rules recomputed differ: ${i.round} ${i.language} ${i.text}`);
    return { ...i, holding };
  });
}

interface Candidate {
  name: string;
  weak: Set<string>;
  weakName: string;
  vetoWords: number;
  v: number;
  vSelf?: number;
}

const never = (i: Item) => NEVER.some((set) => set.every((c) => i.concepts.includes(c)));
const byClassifier = (i: Item) => gateAllows(i.tokens, i.gate, exampleSettings.minWords) && i.score >= exampleSettings.threshold;
function vetoed(i: Item, c: Candidate | undefined): boolean {
  if (!c || i.holding.length === 0) return false;
  if (!i.holding.every((r) => c.weak.has(r)) || never(i)) return false;
  const below = c.vSelf !== undefined && i.holding.some((r) => SELF_RULES.has(r)) ? c.vSelf : c.v;
  return gateAllows(i.tokens, i.gate, c.vetoWords) && i.score < below;
}
const verdict = (i: Item, c: Candidate | undefined) => (i.holding.length > 0 ? !vetoed(i, c) : byClassifier(i));

function figures(items: Item[], c: Candidate | undefined) {
  const em = items.filter((i) => i.kind === 'emergency');
  const ord = items.filter((i) => i.kind === 'ordinary');
  const hit = em.filter((i) => verdict(i, c)).length;
  const fa = ord.filter((i) => verdict(i, c)).length;
  return { hit, em: em.length, fa, ord: ord.length, recall: hit / em.length, falseAlarms: fa / ord.length };
}

const items = load();
const base = figures(items, undefined);
const baseRound = new Map(
  ROUNDS.map((r) => [
    r,
    figures(
      items.filter((i) => i.round === r),
      undefined,
    ),
  ]),
);
console.log(`rounds: ${ROUNDS.map((r) => `${r} ${items.filter((i) => i.round === r).length}`).join(', ')} messages`);
for (const r of ROUNDS) {
  const f = baseRound.get(r)!;
  const rulesOnly = items.filter((i) => i.round === r);
  const fr = (k: string, p: (i: Item) => boolean) => rulesOnly.filter((i) => i.kind === k && p(i)).length;
  console.log(
    `  ${r} (${FIRST_RUNS[r].commit}): first-run engine ${fr('emergency', (i) => i.emergency)}/${f.em}, ${fr('ordinary', (i) => i.emergency)}/${f.ord}; first-run rules OR LORO classifier (baseline) ${f.hit}/${f.em}, ${f.fa}/${f.ord}`,
  );
}
console.log(`baseline pooled: emergency ${pct(base.hit, base.em)}, false alarms ${pct(base.fa, base.ord)}`);

const candidates: (Candidate & ReturnType<typeof figures> & { feasible: boolean })[] = [];
for (const [weakName, weak] of WEAK_SETS)
  for (const vetoWords of VETO_WORDS)
    for (const v of V)
      for (const vSelf of V_SELF) {
        if (vSelf !== undefined && vSelf > v) continue;
        const c: Candidate = {
          name: `${weakName} words≥${vetoWords} v<${v}${vSelf === undefined ? '' : ` self<${vSelf}`}`,
          weak,
          weakName,
          vetoWords,
          v,
          ...(vSelf === undefined ? {} : { vSelf }),
        };
        const f = figures(items, c);
        const feasible =
          f.recall >= base.recall - RECALL_LOSS - 1e-12 &&
          ROUNDS.every(
            (r) =>
              figures(
                items.filter((i) => i.round === r),
                c,
              ).recall >=
              baseRound.get(r)!.recall - ROUND_LOSS - 1e-12,
          );
        candidates.push({ ...c, ...f, feasible });
      }
console.log('\n| candidate | emergency | false alarms | feasible |\n| --- | --- | --- | --- |');
for (const c of candidates) console.log(`| ${c.name} | ${short(c.hit, c.em)} | ${short(c.fa, c.ord)} | ${c.feasible ? 'yes' : 'no'} |`);
const feasible = candidates.filter((c) => c.feasible);
const fewest = Math.min(...feasible.map((c) => c.falseAlarms));
const chosen = feasible
  .filter((c) => c.falseAlarms <= fewest + FA_TIE + 1e-12)
  .sort(
    (x, y) =>
      y.recall - x.recall ||
      Number(x.weakName !== 'S1') - Number(y.weakName !== 'S1') ||
      y.vetoWords - x.vetoWords ||
      (x.vSelf ?? 0) - (y.vSelf ?? 0) ||
      x.v - y.v,
  )[0];
if (!chosen) {
  console.log('\nno feasible candidate');
  process.exit(0);
}
console.log(`\nchosen: ${chosen.name}: emergency ${pct(chosen.hit, chosen.em)}, false alarms ${pct(chosen.fa, chosen.ord)}`);

console.log(
  '\n| held out (first-run rules) | emergency: baseline | emergency: with veto | false alarms: baseline | false alarms: with veto |\n| --- | --- | --- | --- | --- |',
);
for (const r of ROUNDS) {
  const its = items.filter((i) => i.round === r);
  const b = figures(its, undefined);
  const a = figures(its, chosen);
  console.log(`| ${r} (${FIRST_RUNS[r].commit}) | ${pct(b.hit, b.em)} | ${pct(a.hit, a.em)} | ${pct(b.fa, b.ord)} | ${pct(a.fa, a.ord)} |`);
}
const a = figures(items, chosen);
console.log(`| all five | ${pct(base.hit, base.em)} | ${pct(a.hit, a.em)} | ${pct(base.fa, base.ord)} | ${pct(a.fa, a.ord)} |`);

console.log('\n| language | emergency: baseline | with veto | false alarms: baseline | with veto |\n| --- | --- | --- | --- | --- |');
for (const l of [...new Set(items.map((i) => i.language))].sort()) {
  const its = items.filter((i) => i.language === l);
  const b = figures(its, undefined);
  const x = figures(its, chosen);
  console.log(`| ${l} | ${short(b.hit, b.em)} | ${short(x.hit, x.em)} | ${short(b.fa, b.ord)} | ${short(x.fa, x.ord)} |`);
}
const lost = items.filter((i) => i.kind === 'emergency' && verdict(i, undefined) && !verdict(i, chosen));
console.log(`\nemergencies the veto lost (${lost.length}):`);
for (const i of lost) console.log(`  ${i.round}/${i.language} ${i.score.toFixed(4)} [${i.holding.join(',')}] ${JSON.stringify(i.text.slice(0, 110))}`);
const saved = items.filter((i) => i.kind === 'ordinary' && verdict(i, undefined) && !verdict(i, chosen));
console.log(
  `\nfalse alarms the veto removed: ${saved.length}; by the rule that decided: ${Object.entries(
    saved.reduce<Record<string, number>>((m, i) => ((m[i.holding[0]!] = (m[i.holding[0]!] ?? 0) + 1), m), {}),
  )
    .sort((x, y) => y[1] - x[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ')}`,
);
const left = items.filter((i) => i.kind === 'ordinary' && verdict(i, chosen));
const why = (i: Item) =>
  i.holding.length === 0
    ? 'classifier'
    : !i.holding.every((r) => chosen.weak.has(r))
      ? 'strong rule'
      : never(i)
        ? 'never set'
        : i.score >= chosen.v
          ? 'score'
          : 'gate';
console.log(
  `false alarms left: ${left.length}; why not vetoed: ${Object.entries(
    left.reduce<Record<string, number>>((m, i) => ((m[why(i)] = (m[why(i)] ?? 0) + 1), m), {}),
  )
    .map(([k, n]) => `${k} ${n}`)
    .join(', ')}`,
);
