/** Loads `locales/<lng>/*.json` into one bundle, with positioned problems for broken files. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { z } from 'zod';
import { join, relative } from 'node:path';
import { localeMetaSchema, SOURCE_LANGUAGE, type LocaleBundle, type LocaleValue } from '../i18n/index.js';
import type { Problem } from './flow-error.js';
import { readYamlSource, validateYaml, type YamlSource } from './yaml-source.js';

/** Reads every locale folder under `dir`. */
export function loadLocales(dir: string, cwd = process.cwd()): { bundle: LocaleBundle; problems: Problem[]; sources: Map<string, YamlSource> } {
  const problems: Problem[] = [];
  const sources = new Map<string, YamlSource>();
  const bundle: LocaleBundle = { languages: [], meta: {}, resources: {}, files: {} };
  if (!existsSync(dir)) {
    problems.push({
      file: relative(cwd, dir) || dir,
      line: 1,
      column: 1,
      path: '',
      message: 'the locales folder is missing: create locales/en/ with the English texts',
      severity: 'error',
    });
    return { bundle, problems, sources };
  }
  const languages = readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .sort((a, b) => (a === SOURCE_LANGUAGE ? -1 : b === SOURCE_LANGUAGE ? 1 : a.localeCompare(b)));
  for (const lng of languages) {
    const folder = join(dir, lng);
    const resources: Record<string, LocaleValue> = {};
    for (const name of readdirSync(folder)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const source = readYamlSource(join(folder, name), cwd);
      sources.set(source.file, source);
      if (name === '_meta.json') {
        const { value, problems: metaProblems } = validateYaml(source, localeMetaSchema);
        problems.push(...metaProblems);
        if (value) bundle.meta[lng] = value;
        continue;
      }
      const { value, problems: fileProblems } = validateYaml(source, localeFileSchema);
      problems.push(...fileProblems);
      const ns = name.slice(0, -'.json'.length);
      bundle.files[`${lng}/${ns}`] = source.file;
      if (value) resources[ns] = value;
    }
    if (!bundle.meta[lng] && !problems.some((p) => p.file.endsWith(`${lng}/_meta.json`))) {
      problems.push({
        file: relative(cwd, folder),
        line: 1,
        column: 1,
        path: '',
        message: `locale \`${lng}\` has no _meta.json: add one with name, nativeName, direction, translatedBy and reviewedByNativeSpeaker`,
        severity: 'error',
      });
    }
    bundle.languages.push(lng);
    bundle.resources[lng] = resources;
  }
  if (!bundle.languages.includes(SOURCE_LANGUAGE)) {
    problems.push({
      file: relative(cwd, dir) || dir,
      line: 1,
      column: 1,
      path: '',
      message: 'there is no English locale (locales/en/): it is the source for every other language',
      severity: 'error',
    });
  }
  return { bundle, problems, sources };
}

const localeValue: z.ZodType<LocaleValue> = z.lazy(() =>
  z.union([z.string(), z.array(z.string()), z.record(z.string(), localeValue)], {
    error: 'a locale value must be a text, a list of texts, or a group of keys',
  }),
);
const localeFileSchema = z.record(z.string(), localeValue);
