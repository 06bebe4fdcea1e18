/**
 * Cross-checks of `flows/job-ad-concepts/` that a schema cannot see: indicator and concept names,
 * the level rules' promise that weak flags never make "high" alone, and every example sentence run
 * through the analyser. Each problem names the file (`common` or a language) and the path inside it.
 */
import { analyseAd } from './ad-analyser.js';
import type { AdCommonFile, AdConceptFile } from './ad-concept-schema.js';
import { COMPUTED_CONCEPTS } from './ad-concept-schema.js';
import { CODE_CONCEPTS, type CompiledAdConcepts } from './compile-ad-concepts.js';
import type { Indicator } from './indicator-schema.js';

/** One problem: `file` is "common" or a language tag; `path` leads to the value inside it. */
export interface AdConceptProblem {
  file: string;
  path: (string | number)[];
  message: string;
}

/** Everything wrong with the files, or an empty list. */
export function adConceptProblems(
  common: AdCommonFile,
  files: readonly AdConceptFile[],
  indicators: readonly Indicator[],
  compiled: CompiledAdConcepts,
): AdConceptProblem[] {
  const problems: AdConceptProblem[] = [];
  const flags = new Map(indicators.flatMap((i) => (i.category === 'context' ? [] : [[i.id, i] as const])));
  const listed = new Set([...COMPUTED_CONCEPTS, ...CODE_CONCEPTS, ...Object.keys(common.concepts), ...files.flatMap((f) => Object.keys(f.concepts))]);
  const used = new Set<string>([...CODE_CONCEPTS]);
  const signalled = new Set<string>();

  common.signals.forEach((signal, i) => {
    if (!flags.has(signal.indicator))
      problems.push({
        file: 'common',
        path: ['signals', i, 'indicator'],
        message: `"${signal.indicator}" is not a red-flag indicator in flows/indicators.yaml; fix the id or add the indicator there`,
      });
    signalled.add(signal.indicator);
    for (const key of ['all', 'unless', 'absent'] as const) {
      (signal[key] ?? []).forEach((concept, j) => {
        used.add(concept);
        if (!listed.has(concept))
          problems.push({
            file: 'common',
            path: ['signals', i, key, j],
            message: `no file lists words for the concept \`${concept}\`: add it under \`concepts:\` in the language files (or here), or fix the name`,
          });
      });
    }
  });
  for (const file of [{ name: 'common', concepts: common.concepts }, ...files.map((f) => ({ name: f.language, concepts: f.concepts }))]) {
    for (const concept of Object.keys(file.concepts)) {
      if ((COMPUTED_CONCEPTS as readonly string[]).includes(concept))
        problems.push({ file: file.name, path: ['concepts', concept], message: `\`${concept}\` is computed from the text itself: remove this list` });
      else if (!used.has(concept))
        problems.push({
          file: file.name,
          path: ['concepts', concept],
          message: `no signal in common.yaml uses the concept \`${concept}\`: fix the name or add a signal that uses it`,
        });
    }
  }

  common.levels.forEach((rule, i) => {
    const named = [...(rule.any ?? []), ...(rule.both?.flat() ?? [])];
    named.forEach((id) => {
      const indicator = flags.get(id);
      if (!indicator) problems.push({ file: 'common', path: ['levels', i], message: `"${id}" is not a red-flag indicator in flows/indicators.yaml` });
      else if (rule.level !== 'caution' && indicator.strength === 'weak')
        problems.push({
          file: 'common',
          path: ['levels', i],
          message: `"${id}" is a weak indicator: weak flags never make an ad ${rule.level} on their own; list it in a caution rule instead`,
        });
    });
    if (rule.level !== 'caution' && (rule.count !== undefined || rule.categories !== undefined) && rule.strength === 'weak' && rule.needs === undefined)
      problems.push({
        file: 'common',
        path: ['levels', i, 'strength'],
        message: `a ${rule.level} rule that counts flags must set \`strength\` or \`needs\` to medium or strong: weak flags never make an ad ${rule.level} on their own`,
      });
  });

  for (const file of files) {
    (file.alsoRead ?? []).forEach((tag, i) => {
      if (tag === file.language || !files.some((f) => f.language === tag))
        problems.push({
          file: file.language,
          path: ['alsoRead', i],
          message: `\`${tag}\` is not another language of flows/job-ad-concepts/: use the tag of one of its files`,
        });
    });
    for (const indicator of signalled) {
      if (!file.examples[indicator])
        problems.push({
          file: file.language,
          path: ['examples'],
          message: `no examples for \`${indicator}\`: add \`${indicator}:\` with 2+ sentences under \`flag:\` and 1+ under \`clean:\``,
        });
    }
    for (const [indicator, examples] of Object.entries(file.examples)) {
      if (!signalled.has(indicator)) {
        problems.push({ file: file.language, path: ['examples', indicator], message: `no signal in common.yaml raises \`${indicator}\`: fix the id` });
        continue;
      }
      const run = (text: string) => analyseAd(text, compiled, indicators, { lang: file.language }).flags.filter((f) => f.indicator === indicator);
      examples.flag.forEach((text, i) => {
        if (run(text).length === 0)
          problems.push({
            file: file.language,
            path: ['examples', indicator, 'flag', i],
            message: `this sentence does not raise \`${indicator}\`: add the missing words to the concepts that signal it in common.yaml`,
          });
      });
      examples.clean.forEach((text, i) => {
        const found = run(text)[0];
        if (found)
          problems.push({
            file: file.language,
            path: ['examples', indicator, 'clean', i],
            message: `this sentence raises \`${indicator}\` («${found.text}») but must not: add a canceller (\`unless\`) or a negation word, or narrow the concepts`,
          });
      });
    }
  }
  return problems;
}
