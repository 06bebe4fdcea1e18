import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { adCommonFileSchema, adConceptFileSchema, indicatorFileSchema, questionsFor, scoreScreening } from '../../src/screening/index.js';
import type { Indicator, RiskLevel, ScreeningAnswers } from '../../src/screening/index.js';
import { loadIndicators, root } from './screening-data.js';

const indicators = loadIndicators();
const locale = JSON.parse(readFileSync(join(root, 'locales', 'en', 'screening.json'), 'utf8')) as Record<string, unknown>;
const RANK: Record<RiskLevel, number> = { low: 0, caution: 1, high: 2, urgent: 3 };

/** Resolves `screening.a.b` in locales/en/screening.json (the file name is the first part). */
function text(key: string): string | undefined {
  const [ns, ...path] = key.split('.');
  if (ns !== 'screening') return undefined;
  let node: unknown = locale;
  for (const part of path) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}

/** Every answer that raises no red flag: the "clean" run. */
const clean: Record<string, string> = Object.fromEntries(
  indicators.filter((i) => i.category !== 'context' && i.core).map((i) => [i.id, i.category !== 'context' && i.flagWhen.includes('yes') ? 'no' : 'yes']),
);

describe('flows/indicators.yaml', () => {
  const redFlags = indicators.filter((i) => i.category !== 'context');

  it('has at least 15 red flags covering all eight categories, and at most 12 questions per run', () => {
    expect(redFlags.length).toBeGreaterThanOrEqual(15);
    expect(new Set(redFlags.map((i) => i.category))).toEqual(
      new Set([
        'deception',
        'fees_and_debt',
        'documents',
        'coercion_and_control',
        'isolation_and_movement',
        'working_conditions',
        'recruiter_legitimacy',
        'pressure',
      ]),
    );
    const core = redFlags.filter((i) => i.core);
    expect(core.length).toBeLessThanOrEqual(11);
    expect(core.length + indicators.filter((i) => i.category === 'context').length).toBeLessThanOrEqual(12);
    expect(new Set(redFlags.map((i) => i.strength))).toEqual(new Set(['strong', 'medium', 'weak']));
  });

  it('starts with the yaml-language-server schema line', () => {
    expect(readFileSync(join(root, 'flows', 'indicators.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./schema/indicators.schema.json');
  });

  it('has an English text for every key it names', () => {
    const keys = indicators.flatMap((i) => (i.category === 'context' ? [i.question] : [i.question, i.explanation, i.advice]));
    expect(keys.filter((k) => text(k) === undefined)).toEqual([]);
  });

  it('uses every English screening text (no orphans)', () => {
    const used = new Set(indicators.flatMap((i) => (i.category === 'context' ? [i.question] : [i.question, i.explanation, i.advice])));
    for (const key of ['progress', 'answer.yes', 'answer.no', 'answer.unsure', 'next_steps_title', 'unsure_explanation']) used.add(`screening.${key}`);
    for (const level of ['low', 'caution', 'high', 'urgent']) for (const part of ['title', 'text']) used.add(`screening.level.${level}.${part}`);
    for (const key of scoreScreening(indicators, {}).nextSteps) used.add(key);
    const all: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (typeof node === 'string') all.push(path);
      else for (const [k, v] of Object.entries(node as Record<string, unknown>)) walk(v, `${path}.${k}`);
    };
    walk(locale, 'screening');
    expect(all.filter((k) => !used.has(k))).toEqual([]);
    expect([...used].filter((k) => text(k) === undefined)).toEqual([]);
  });

  it('keeps the progress placeholders and the answer labels', () => {
    expect(text('screening.progress')).toContain('{{current}}');
    expect(text('screening.progress')).toContain('{{total}}');
    expect([text('screening.answer.yes'), text('screening.answer.no'), text('screening.answer.unsure')]).toEqual(['Yes', 'No', 'Not sure']);
  });

  it('never calls a low result safe', () => {
    const low = `${text('screening.level.low.title')} ${text('screening.level.low.text')}`;
    expect(low).not.toMatch(/\bsafe(ly|ty)?\b/i);
    expect(low).toMatch(/no red flags in your answers/i);
    const result = scoreScreening(indicators, clean);
    expect(result.level).toBe('low');
    expect(JSON.stringify(result)).not.toMatch(/safe/i);
  });

  it('turns into a JSON Schema for editors', () => {
    const schema = z.toJSONSchema(indicatorFileSchema, { io: 'input' });
    expect(JSON.stringify(schema)).toContain('snake_case');
    expect(z.toJSONSchema(adConceptFileSchema, { io: 'input' })).toHaveProperty('properties.concepts');
    expect(z.toJSONSchema(adCommonFileSchema, { io: 'input' })).toHaveProperty('properties.signals');
  });
});

describe('indicatorFileSchema rejects editing mistakes', () => {
  const raw = () => structuredClone(indicatorFileSchema.parse({ indicators }).indicators) as Record<string, unknown>[];
  const issues = (list: unknown[]) => {
    const result = indicatorFileSchema.safeParse({ indicators: list });
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts the shipped file', () => {
    expect(issues(raw())).toEqual([]);
  });
  it.each<[string, (list: Record<string, unknown>[]) => void, RegExp]>([
    ['a duplicate id', (l) => void (l[2]!.id = l[1]!.id), /used twice/],
    ['a key without the screening. prefix', (l) => void (l[1]!.question = 'fee_upfront.question'), /screening\./],
    ['a red-flag answer not offered', (l) => void (l[1]!.flagWhen = ['maybe']), /indicators\.1\.flagWhen/],
    [
      'a flag answer that weighs less than another',
      (l) =>
        void (l[1]!.answers = [
          { id: 'yes', weight: 0 },
          { id: 'no', weight: 1 },
          { id: 'unsure', weight: 0 },
        ]),
      /must weigh more/,
    ],
    ['appliesWhen pointing forward', (l) => void (l[1]!.appliesWhen = { indicator: l[5]!.id, answer: 'yes' }), /listed before/],
    ['appliesWhen with an answer the question lacks', (l) => void (l[4]!.appliesWhen = { indicator: 'job_abroad', answer: 'maybe' }), /appliesWhen/],
    ['an unknown field', (l) => void (l[1]!.colour = 'red'), /colour/],
    ['an unknown category', (l) => void (l[1]!.category = 'fees'), /category/],
    [
      'a weight above 3',
      (l) =>
        void (l[1]!.answers = [
          { id: 'yes', weight: 4 },
          { id: 'no', weight: 0 },
        ]),
      /answers/,
    ],
    ['too many core questions', (l) => l.forEach((i) => i.category !== 'context' && (i.core = true)), /at most 12/],
    ['a source without a valid url', (l) => void (l[1]!.sources = [{ title: 'ILO', url: 'not a url' }]), /url/],
  ])('%s', (_name, breakIt, message) => {
    const list = raw();
    breakIt(list);
    expect(issues(list).join('\n')).toMatch(message);
  });
});

describe('questionsFor', () => {
  it('asks the context question first and only core questions, in file order', () => {
    const ids = questionsFor(indicators, {});
    expect(ids[0]).toBe('job_abroad');
    expect(ids.length).toBe(12);
    const order = indicators.map((i) => i.id);
    expect([...ids].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(ids);
    for (const id of ids) {
      const entry = indicators.find((i) => i.id === id);
      expect(entry?.category === 'context' || entry?.core).toBe(true);
    }
    expect(ids).not.toContain('threats');
  });

  it('skips visa questions when the job is not abroad, and keeps them when it is or the user is not sure', () => {
    expect(questionsFor(indicators, { job_abroad: 'no' })).not.toContain('no_work_visa');
    expect(questionsFor(indicators, { job_abroad: 'yes' })).toContain('no_work_visa');
    expect(questionsFor(indicators, { job_abroad: 'unsure' })).toContain('no_work_visa');
    expect(questionsFor(indicators, { job_abroad: 'no' })).toHaveLength(10);
  });

  it('drops answered questions and ignores answers that are not offered', () => {
    expect(questionsFor(indicators, { job_abroad: 'yes', fee_upfront: 'no' })).not.toContain('fee_upfront');
    expect(questionsFor(indicators, { job_abroad: 'yes', fee_upfront: 'maybe' })).toContain('fee_upfront');
    expect(questionsFor(indicators, { job_abroad: 'no', ...clean })).toEqual([]);
  });

  it('counts progress over the questions that apply', () => {
    expect(scoreScreening(indicators, {})).toMatchObject({ answered: 0, total: 12 });
    expect(scoreScreening(indicators, { job_abroad: 'no' })).toMatchObject({ answered: 1, total: 11 });
    expect(scoreScreening(indicators, { job_abroad: 'yes', fee_upfront: 'yes', threats: 'no' })).toMatchObject({ answered: 2, total: 12 });
    expect(scoreScreening(indicators, { job_abroad: 'no', ...clean })).toMatchObject({ answered: 11, total: 11 });
  });
});

describe('scoreScreening levels', () => {
  it.each<[string, ScreeningAnswers, RiskLevel, string[]]>([
    ['nothing answered', {}, 'low', []],
    ['every answer clean', { job_abroad: 'yes', ...clean }, 'low', []],
    ['one weak flag', { ...clean, too_good_pay: 'yes' }, 'low', ['too_good_pay']],
    ['two weak flags', { ...clean, too_good_pay: 'yes', rushed_departure: 'yes' }, 'caution', ['too_good_pay', 'rushed_departure']],
    ['one medium flag', { ...clean, fee_upfront: 'yes' }, 'caution', ['fee_upfront']],
    ['a "no" that is the red flag', { ...clean, no_written_contract: 'no' }, 'caution', ['no_written_contract']],
    ['two medium flags', { ...clean, fee_upfront: 'yes', employer_unknown: 'no' }, 'caution', ['fee_upfront', 'employer_unknown']],
    [
      'three medium flags',
      { ...clean, fee_upfront: 'yes', employer_unknown: 'no', agency_unverified: 'no' },
      'high',
      ['fee_upfront', 'employer_unknown', 'agency_unverified'],
    ],
    ['one strong flag', { ...clean, passport_kept: 'yes' }, 'high', ['passport_kept']],
    ['one strong flag with weak ones', { ...clean, debt_from_wages: 'yes', too_good_pay: 'yes' }, 'high', ['debt_from_wages', 'too_good_pay']],
    ['two strong flags, listed in file order', { ...clean, debt_from_wages: 'yes', passport_kept: 'yes' }, 'urgent', ['debt_from_wages', 'passport_kept']],
    ['documents held and movement restricted', { ...clean, passport_kept: 'yes', cannot_leave: 'yes' }, 'urgent', ['passport_kept', 'cannot_leave']],
    ['threats with employer housing (non-core answers still count)', { threats: 'yes', employer_housing: 'yes' }, 'urgent', ['threats', 'employer_housing']],
    [
      'a strong flag outside control with isolation that is weak',
      { debt_from_wages: 'yes', employer_housing: 'yes' },
      'high',
      ['debt_from_wages', 'employer_housing'],
    ],
    ['"not sure" on a strong question', { ...clean, passport_kept: 'unsure' }, 'caution', []],
    ['"not sure" on a medium question', { ...clean, fee_upfront: 'unsure' }, 'low', []],
    ['"not sure" everywhere', Object.fromEntries(Object.keys(clean).map((k) => [k, 'unsure'])), 'caution', []],
    ['a visa flag when the job is not abroad', { ...clean, job_abroad: 'no', no_work_visa: 'yes' }, 'low', []],
    ['a visa flag when the job is abroad', { ...clean, job_abroad: 'yes', no_work_visa: 'yes' }, 'caution', ['no_work_visa']],
    ['a visa flag when not sure the job is abroad', { ...clean, job_abroad: 'unsure', no_work_visa: 'yes' }, 'caution', ['no_work_visa']],
    ['an answer that is not offered', { ...clean, passport_kept: 'maybe' }, 'low', []],
    ['an unknown indicator id', { no_such_question: 'yes' }, 'low', []],
  ])('%s', (_name, answers, level, flags) => {
    const result = scoreScreening(indicators, answers);
    expect(result.level).toBe(level);
    expect(result.flags.map((f) => f.indicator)).toEqual(flags);
  });

  it('explains each flag with its own keys and category', () => {
    const [flag] = scoreScreening(indicators, { passport_kept: 'yes' }).flags;
    expect(flag).toEqual({
      indicator: 'passport_kept',
      category: 'documents',
      strength: 'strong',
      explanation: 'screening.passport_kept.explanation',
      advice: 'screening.passport_kept.advice',
    });
  });

  it('always gives all five next steps, the hotline first when the level is high or urgent', () => {
    const all = ['verify_licence', 'keep_passport', 'keep_copies', 'share_plans', 'call_hotline'].map((s) => `screening.next_steps.${s}`);
    const low = scoreScreening(indicators, clean).nextSteps;
    expect(low).toEqual(all);
    const high = scoreScreening(indicators, { passport_kept: 'yes' }).nextSteps;
    expect(high.slice(0, 2)).toEqual(['screening.next_steps.call_hotline', 'screening.next_steps.keep_passport']);
    expect([...high].sort()).toEqual([...all].sort());
    expect(scoreScreening(indicators, { fee_upfront: 'yes' }).nextSteps[0]).toBe('screening.next_steps.verify_licence');
  });
});

describe('scoreScreening is deterministic and monotonic', () => {
  const redFlags = indicators.filter((i): i is Extract<Indicator, { strength: string }> => i.category !== 'context');
  const answersArb = fc.dictionary(fc.constantFrom(...indicators.map((i) => i.id)), fc.constantFrom('yes', 'no', 'unsure'));

  it('gives the same result for the same answers, in any key order', () => {
    fc.assert(
      fc.property(answersArb, (answers) => {
        const reversed = Object.fromEntries(Object.entries(answers).reverse());
        expect(scoreScreening(indicators, reversed)).toEqual(scoreScreening(indicators, answers));
      }),
      { numRuns: 200 },
    );
  });

  it('never lowers the level when one more red flag is answered', () => {
    fc.assert(
      fc.property(answersArb, fc.constantFrom(...redFlags), (answers, extra) => {
        const before = { ...answers };
        delete before[extra.id];
        const after = { ...before, [extra.id]: extra.flagWhen[0] ?? 'yes' };
        expect(RANK[scoreScreening(indicators, after).level]).toBeGreaterThanOrEqual(RANK[scoreScreening(indicators, before).level]);
      }),
      { numRuns: 300 },
    );
  });
});
