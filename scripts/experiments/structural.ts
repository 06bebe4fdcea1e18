/**
 * Structural cues against false alarms (brief `tune-h`), checked by leave-one-round-out on rounds b, c,
 * d, e, f and h, each read by the rules and word lists as they stood at its first run (dumps by
 * veto-dump.ts): the shipped ordinary veto, then each candidate cue replayed on the first-run concepts.
 *
 *   node bin/run-ts.js scripts/experiments/structural.ts [--list]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { exampleSettings, gateAllows } from '../../src/understanding/emergency-examples.js';
import type { EmergencyRule } from '../../src/understanding/index.js';
import { loadFirstRuns, pct, root, ruleHolds, short, type FirstRunItem } from './shared.js';

type Round = 'b' | 'c' | 'd' | 'e' | 'f' | 'h';
const ROUNDS: Round[] = ['b', 'c', 'd', 'e', 'f', 'h'];

const today = parse(readFileSync(join(root, 'flows/understanding/rules.yaml'), 'utf8')) as { emergency: EmergencyRule[]; never_overruled: string[][] };
const WEAK = new Set(today.emergency.filter((r) => r.weak).map((r) => r.id));
const SELF = new Set(today.emergency.filter((r) => r.all?.includes('self')).map((r) => r.id));
const NEVER = today.never_overruled;
const V = 0.3;
const V_SELF = 0.05;
const VETO_WORDS = 6;

type Item = FirstRunItem<Round>;
const load = (): Item[] => loadFirstRuns(ROUNDS);

/** A candidate: which rules count as weak, and concepts it adds to a message's reading (a cue). */
interface Candidate {
  name: string;
  weak?: (rule: EmergencyRule, i: Item) => boolean;
  /** A rule added after the tree's own (weak ones are weak). */
  extra?: EmergencyRule[];
  /** The example classifier may not raise this message when no rule holds. */
  silence?: (i: Item) => boolean;
}

function verdict(i: Item, c: Candidate): { emergency: boolean; why: string } {
  const present = new Set(i.concepts);
  const holding = [...i.rules, ...(c.extra ?? [])].filter((r) => ruleHolds(r, present));
  if (holding.length === 0)
    return {
      emergency: !(c.silence?.(i) ?? false) && gateAllows(i.tokens, i.gate, exampleSettings.minWords) && i.score >= exampleSettings.threshold,
      why: 'classifier',
    };
  const weak = (r: EmergencyRule) => WEAK.has(r.id) || r.weak === true || (c.weak?.(r, i) ?? false);
  if (!holding.every(weak))
    return {
      emergency: true,
      why: `strong ${holding
        .filter((r) => !weak(r))
        .map((r) => r.id)
        .join('+')}`,
    };
  if (NEVER.some((set) => set.every((id) => present.has(id)))) return { emergency: true, why: 'never' };
  const v = holding.some((r) => SELF.has(r.id)) ? V_SELF : V;
  if (!gateAllows(i.tokens, i.gate, VETO_WORDS)) return { emergency: true, why: 'gate' };
  return i.score < v ? { emergency: false, why: 'vetoed' } : { emergency: true, why: 'score' };
}

function figures(items: Item[], c: Candidate) {
  const em = items.filter((i) => i.kind === 'emergency');
  const ord = items.filter((i) => i.kind === 'ordinary');
  return { hit: em.filter((i) => verdict(i, c).emergency).length, em: em.length, fa: ord.filter((i) => verdict(i, c).emergency).length, ord: ord.length };
}

const has = (i: Item, ...ids: string[]) => ids.every((id) => i.concepts.includes(id));
const CANDIDATES: Candidate[] = [
  { name: 'shipped veto (baseline)' },
  // documents_taken_and_control is the one strong pair no never_overruled set already guards (papers taken
  // with being locked in or not let go stay never overruled).
  { name: 'documents_taken_and_control weak', weak: (r) => r.id === 'documents_taken_and_control' },
  {
    name: 'documents_taken_and_control weak when it asks (question, no now)',
    weak: (r, i) => r.id === 'documents_taken_and_control' && has(i, 'question') && !has(i, 'now'),
  },
  { name: 'forced_marriage / forced_begging weak', weak: (r) => r.id === 'forced_marriage' || r.id === 'forced_begging' },
  // An ordinary errand, a film or a past that is over, named in the message: the rules already let it
  // cancel them; the classifier (which reads no concepts) may not raise the message instead.
  { name: 'classifier silent on everyday', silence: (i) => has(i, 'everyday') },
  { name: 'classifier silent on everyday or resolved', silence: (i) => has(i, 'everyday') || has(i, 'resolved') },
  // Emergencies asked as questions: "she says I can go out only when I have paid the debt. How long is normal?"
  {
    name: 'rule debt_keeps_here (debt + cannot + leave; a question does not cancel it)',
    extra: [{ id: 'debt_keeps_here', all: ['debt', 'cannot', 'leave'], unless: ['hypothetical', 'resolved'], weak: true } as EmergencyRule],
  },
  {
    name: 'rule debt_keeps_here, strong (three signs; the veto may not overrule it)',
    extra: [{ id: 'debt_keeps_here', all: ['debt', 'cannot', 'leave'], unless: ['hypothetical', 'resolved'] } as EmergencyRule],
  },
];

const items = load();
console.log(`rounds: ${ROUNDS.map((r) => `${r} ${items.filter((i) => i.round === r).length}`).join(', ')} messages`);
console.log(
  '\n| candidate | held-out emergencies | held-out false alarms | without h: emergencies | without h: false alarms |\n| --- | --- | --- | --- | --- |',
);
for (const c of CANDIDATES) {
  const all = figures(items, c);
  const old = figures(
    items.filter((i) => i.round !== 'h'),
    c,
  );
  console.log(`| ${c.name} | ${pct(all.hit, all.em)} | ${pct(all.fa, all.ord)} | ${short(old.hit, old.em)} | ${short(old.fa, old.ord)} |`);
}
for (const c of CANDIDATES) {
  const by = new Map<string, number>();
  for (const i of items.filter((i) => i.kind === 'ordinary')) {
    const v = verdict(i, c);
    if (v.emergency) by.set(v.why, (by.get(v.why) ?? 0) + 1);
  }
  console.log(
    `\n${c.name}: false alarms left by reason: ${[...by]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
  );
  const base = CANDIDATES[0]!;
  if (c === base) continue;
  for (const i of items) {
    const a = verdict(i, base).emergency;
    const b = verdict(i, c).emergency;
    const change = i.kind === 'emergency' ? (a ? 'LOST EMERGENCY' : 'gained emergency') : a ? 'removed false alarm' : 'ADDED FALSE ALARM';
    if (a !== b) console.log(`  ${change} ${i.round}/${i.language} ${i.score.toFixed(3)} ${JSON.stringify(i.text.slice(0, 100))}`);
  }
}
if (process.argv.includes('--list'))
  for (const i of items.filter((i) => i.kind === 'ordinary' && verdict(i, CANDIDATES[0]!).why.startsWith('strong')))
    console.log(`  ${i.round}/${i.language} ${verdict(i, CANDIDATES[0]!).why} [${i.concepts.join(',')}] ${JSON.stringify(i.text.slice(0, 110))}`);
