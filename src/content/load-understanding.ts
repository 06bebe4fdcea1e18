/** Loads `flows/understanding/` (word lists, rules and example messages) and the country names places are matched by. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import countries from 'i18n-iso-countries';
import type { z } from 'zod';
import {
  buildUnderstandingIndex,
  exampleFileSchema,
  rulesFileSchema,
  tokenize,
  trainExampleModel,
  wordListFileSchema,
  type CountryNames,
  type ExampleFile,
  type ExampleModel,
  type RulesFile,
  type UnderstandingIndex,
  type WordListFile,
} from '../understanding/index.js';
import type { Problem } from './flow-error.js';
import { readYamlSource, validateYaml, type YamlSource } from './yaml-source.js';

/** What createUnderstanding is built from. */
export interface UnderstandingContent {
  files: WordListFile[];
  rules: RulesFile;
  countries: CountryNames[];
  /** Example messages the emergency classifier learns from (none when `understanding/examples/` is missing). */
  examples: ExampleFile[];
  /** The classifier trained on them, as plain data: trained here, once per content version, so the content cache keeps it. */
  exampleModel?: ExampleModel;
  /** The index typed text is read with, built ahead (withUnderstandingIndex) where the content cache keeps it; else built at first use. */
  index?: UnderstandingIndex;
}

/** The content with its understanding index built: what a cache keeps, so a start reads it back instead of building it. */
export function withUnderstandingIndex(content: UnderstandingContent): UnderstandingContent {
  return content.index ? content : { ...content, index: buildUnderstandingIndex(content.files, content.rules, content.countries) };
}

/** Languages whose country names are matched besides the word-list languages (common ones people type). */
const extraNameLanguages = ['en', 'de', 'it', 'pl', 'tr'];

/** Reads every word list and rules.yaml; problems name file, line and column. */
export function loadUnderstanding(flowsDir: string, cwd: string, sources: Map<string, YamlSource>): { value?: UnderstandingContent; problems: Problem[] } {
  const problems: Problem[] = [];
  const dir = join(flowsDir, 'understanding');
  if (!existsSync(dir)) {
    return {
      problems: [
        {
          file: relative(cwd, dir) || dir,
          line: 1,
          column: 1,
          path: '',
          message: 'missing folder: create flows/understanding/ with rules.yaml and one <language>.yaml word list per language',
          severity: 'error',
        },
      ],
    };
  }
  const read = (file: string) => {
    const source = readYamlSource(join(dir, file), cwd);
    sources.set(source.file, source);
    return source;
  };
  let rules: RulesFile | undefined;
  if (!existsSync(join(dir, 'rules.yaml'))) {
    problems.push({
      file: relative(cwd, join(dir, 'rules.yaml')),
      line: 1,
      column: 1,
      path: '',
      message: 'missing file: create understanding/rules.yaml (the emergency rules)',
      severity: 'error',
    });
  } else {
    const result = validateYaml(read('rules.yaml'), rulesFileSchema);
    problems.push(...result.problems);
    rules = result.value;
  }
  const files: WordListFile[] = [];
  const wordLists = readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'rules.yaml');
  for (const { source, value } of languageFiles(wordLists, read, wordListFileSchema, problems)) {
    let ok = true;
    for (const code of Object.keys(value.places ?? {})) {
      if (!countries.isValid(code)) {
        problems.push(source.problemAt(['places', code], `unknown country code \`${code}\`: use an ISO 3166-1 alpha-2 code such as AE, MD or HK`));
        ok = false;
      }
    }
    if (ok) files.push(value);
  }
  const examples = loadExamples(join(dir, 'examples'), read, problems);
  if (!rules) return { problems };
  const languages = [...new Set([...files.map((f) => f.language), ...extraNameLanguages])];
  const exampleModel = trainExampleModel(examples, files);
  return { value: { files, rules, countries: countryNames(languages), examples, ...(exampleModel ? { exampleModel } : {}) }, problems };
}

/** Reads `understanding/examples/<language>.yaml`: one message may not be both an emergency and ordinary. */
function loadExamples(dir: string, read: (file: string) => YamlSource, problems: Problem[]): ExampleFile[] {
  if (!existsSync(dir)) return [];
  const examples: ExampleFile[] = [];
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join('examples', f));
  for (const { source, value } of languageFiles(files, read, exampleFileSchema, problems)) {
    let ok = true;
    const seen = new Map<string, { kind: string; index: number }>();
    for (const kind of ['emergency', 'ordinary'] as const) {
      (value[kind] ?? []).forEach((example, index) => {
        const tokens = tokenize(example.text).tokens;
        const path = [kind, index, 'text'];
        if (tokens.length === 0) {
          problems.push(source.problemAt(path, `\`${example.text}\` has no letters or digits: write the message as people type it, or remove it`));
          ok = false;
          return;
        }
        const key = tokens.map((t) => t.folded).join(' ');
        const other = seen.get(key);
        if (other && other.kind !== kind) {
          problems.push(
            source.problemAt(
              path,
              `\`${example.text}\` is also under \`${other.kind}\` (item ${other.index + 1}): a message is either an emergency or ordinary; remove one of them`,
            ),
          );
          ok = false;
        }
        if (!other) seen.set(key, { kind, index });
      });
    }
    if (ok) examples.push(value);
  }
  return examples;
}

/** Country names and aliases in each language: i18n-iso-countries, then Intl.DisplayNames where it has none. */
export function countryNames(languages: readonly string[]): CountryNames[] {
  const require = createRequire(import.meta.url);
  const langsDir = join(dirname(require.resolve('i18n-iso-countries/package.json')), 'langs');
  const byCode = new Map<string, CountryNames>();
  for (const [code, alpha3] of Object.entries(countries.getAlpha2Codes())) byCode.set(code, { code, alpha3, names: {} });
  for (const language of languages) {
    const base = language.split('-')[0]!;
    const file = join(langsDir, `${base}.json`);
    if (existsSync(file)) {
      const data = JSON.parse(readFileSync(file, 'utf8')) as { countries: Record<string, string | string[]> };
      for (const [code, names] of Object.entries(data.countries)) {
        const country = byCode.get(code);
        if (country) country.names[base] = Array.isArray(names) ? names : [names];
      }
      continue;
    }
    let display: Intl.DisplayNames;
    try {
      display = new Intl.DisplayNames([base], { type: 'region', fallback: 'none' });
    } catch {
      continue;
    }
    for (const country of byCode.values()) {
      const name = display.of(country.code);
      if (name && name !== country.code) country.names[base] = [name];
    }
  }
  return [...byCode.values()];
}

/**
 * The valid `<language>.yaml` files among `files`, in name order: schema problems and a `language:`
 * that is not the file's name (at that line) go to `problems`, and the file is skipped.
 */
function* languageFiles<S extends z.ZodType<{ language: string }>>(
  files: readonly string[],
  read: (file: string) => YamlSource,
  schema: S,
  problems: Problem[],
): Generator<{ source: YamlSource; value: z.infer<S> }> {
  for (const file of [...files].sort()) {
    const source = read(file);
    const { value, problems: fileProblems } = validateYaml(source, schema);
    problems.push(...fileProblems);
    if (!value) continue;
    const expected = basename(file, '.yaml');
    if (value.language !== expected) {
      problems.push(
        source.problemAt(
          ['language'],
          `the language \`${value.language}\` does not match the file name: rename the file to ${value.language}.yaml or set \`language: ${expected}\``,
        ),
      );
      continue;
    }
    yield { source, value };
  }
}
