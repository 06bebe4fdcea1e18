/** Loads every NGO-edited file (flows/ and locales/), validated once, with positioned problems. */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { z } from 'zod';
import { flowFileSchema, sayStateSchema, stateKinds, type FlowDef, type StateDef } from '../flows/index.js';
import type { LocaleBundle } from '../i18n/index.js';
import {
  adCommonFileSchema,
  adConceptFileSchema,
  adConceptProblems,
  compileAdConcepts,
  indicatorFileSchema,
  type AdConceptFile,
  type CompiledAdConcepts,
  type Indicator,
} from '../screening/index.js';
import { factFileSchema, type FactFile } from './fact-schema.js';
import { didYouMean, type Problem } from './flow-error.js';
import { hotlineFileSchema, type HotlineFile } from './hotline-schema.js';
import { loadLocales } from './load-locales.js';
import { loadUnderstanding, type UnderstandingContent } from './load-understanding.js';
import { readYamlSource, validateYaml, type YamlSource } from './yaml-source.js';

/** Everything the bot says and knows, as NGO staff wrote it. */
export interface Content {
  flows: Map<string, FlowDef>;
  hotlines: HotlineFile;
  facts: FactFile;
  /** Screening questions and red-flag indicators, in the order they are asked. */
  indicators: Indicator[];
  /** Job-ad red-flag concepts (flows/job-ad-concepts/), compiled once at load into plain data the content cache keeps. */
  adConcepts: CompiledAdConcepts;
  /** Word lists, emergency rules and country names: what createUnderstanding (src/understanding) is built from. */
  understanding: UnderstandingContent;
  locales: LocaleBundle;
}

/** The parsed files, kept so that later checks can point at lines. */
export type Sources = Map<string, YamlSource>;

/** Where content lives. */
export interface ContentPaths {
  flowsDir: string;
  localesDir: string;
}

/** Loads and schema-checks everything; `content` is undefined when a required file is unusable. */
export function loadContent(paths: ContentPaths, cwd = process.cwd()): { content?: Content; sources: Sources; problems: Problem[] } {
  const problems: Problem[] = [];
  const sources: Sources = new Map();
  const read = <S extends z.ZodType>(file: string, schema: S): z.infer<S> | undefined => {
    const path = join(paths.flowsDir, file);
    if (!existsSync(path)) {
      problems.push({
        file: relative(cwd, path),
        line: 1,
        column: 1,
        path: '',
        message: `missing file: create ${file} (see flows/README.md)`,
        severity: 'error',
      });
      return undefined;
    }
    const source = readYamlSource(path, cwd);
    sources.set(source.file, source);
    const result = validateYaml(source, schema);
    problems.push(...result.problems);
    return result.value;
  };

  const flows = new Map<string, FlowDef>();
  const flowFiles = existsSync(paths.flowsDir)
    ? readdirSync(paths.flowsDir)
        .filter((f) => f.endsWith('.flow.yaml'))
        .sort()
    : [];
  if (flowFiles.length === 0) {
    problems.push({
      file: relative(cwd, paths.flowsDir) || paths.flowsDir,
      line: 1,
      column: 1,
      path: '',
      message: 'no flows found: add at least flows/main.flow.yaml',
      severity: 'error',
    });
  }
  for (const file of flowFiles) {
    const { flow, source } = loadFlowFile(join(paths.flowsDir, file), cwd, problems);
    sources.set(source.file, source);
    if (flow) flows.set(flow.id, flow);
  }

  const hotlines = read('hotlines.yaml', hotlineFileSchema);
  const facts = read('facts.yaml', factFileSchema);
  const indicators = read('indicators.yaml', indicatorFileSchema);
  const adConcepts = indicators ? loadAdConcepts(paths.flowsDir, cwd, sources, indicators.indicators, problems) : undefined;
  const understanding = loadUnderstanding(paths.flowsDir, cwd, sources);
  problems.push(...understanding.problems);
  const { bundle: locales, problems: localeProblems, sources: localeSources } = loadLocales(paths.localesDir, cwd);
  problems.push(...localeProblems);
  for (const [file, source] of localeSources) sources.set(file, source);
  const content =
    hotlines && facts && indicators && adConcepts && understanding.value
      ? { flows, hotlines, facts, indicators: indicators.indicators, adConcepts, understanding: understanding.value, locales }
      : undefined;
  return { content, sources, problems };
}

/**
 * Reads and checks one `<id>.flow.yaml` as loadContent does; `flow` is undefined when the file is
 * broken or its id is not its name. Exported so tests can check one flow against content loaded once.
 */
export function loadFlowFile(path: string, cwd: string, problems: Problem[]): { flow?: FlowDef; source: YamlSource } {
  const source = readYamlSource(path, cwd);
  const flow = parseFlow(source, problems);
  if (!flow) return { source };
  const expected = basename(path, '.flow.yaml');
  if (flow.id !== expected) {
    problems.push(
      source.problemAt(['id'], `the flow id \`${flow.id}\` does not match its file name: rename the file to ${flow.id}.flow.yaml or set \`id: ${expected}\``),
    );
    return { source };
  }
  return { flow, source };
}

/**
 * Reads flows/job-ad-concepts/ (common.yaml and one <language>.yaml per language), compiles it, then
 * runs the cross-checks and every example sentence; problems point at their file and line.
 */
function loadAdConcepts(
  flowsDir: string,
  cwd: string,
  sources: Sources,
  indicators: readonly Indicator[],
  problems: Problem[],
): CompiledAdConcepts | undefined {
  const dir = join(flowsDir, 'job-ad-concepts');
  const commonPath = join(dir, 'common.yaml');
  if (!existsSync(commonPath)) {
    problems.push({
      file: relative(cwd, commonPath),
      line: 1,
      column: 1,
      path: '',
      message: 'missing file: create job-ad-concepts/common.yaml (see flows/README.md)',
      severity: 'error',
    });
    return undefined;
  }
  const commonSource = readYamlSource(commonPath, cwd);
  sources.set(commonSource.file, commonSource);
  const common = validateYaml(commonSource, adCommonFileSchema);
  problems.push(...common.problems);
  const files: AdConceptFile[] = [];
  const fileSources = new Map<string, YamlSource>([['common', commonSource]]);
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'common.yaml')
    .sort()) {
    const source = readYamlSource(join(dir, name), cwd);
    sources.set(source.file, source);
    const { value, problems: fileProblems } = validateYaml(source, adConceptFileSchema);
    problems.push(...fileProblems);
    if (!value) continue;
    if (value.language !== basename(name, '.yaml')) {
      problems.push(
        source.problemAt(['language'], `the language \`${value.language}\` does not match the file name: rename the file to ${value.language}.yaml`),
      );
      continue;
    }
    files.push(value);
    fileSources.set(value.language, source);
  }
  if (!common.value) return undefined;
  const compiled = compileAdConcepts(common.value, files);
  const found = adConceptProblems(common.value, files, indicators, compiled);
  for (const p of found) problems.push(fileSources.get(p.file)!.problemAt(p.path, p.message));
  return found.length ? undefined : compiled;
}

/** Validates one flow file; each state is checked against the schema of its kind. */
function parseFlow(source: YamlSource, problems: Problem[]): FlowDef | undefined {
  const { value, problems: fileProblems } = validateYaml(source, flowFileSchema);
  problems.push(...fileProblems);
  if (!value) return undefined;
  const states: Record<string, StateDef> = {};
  let ok = true;
  for (const [name, raw] of Object.entries(value.states)) {
    const path = ['states', name];
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      problems.push(source.problemAt(path, `state \`${name}\` must be a map of fields such as \`say:\` and \`next:\``));
      ok = false;
      continue;
    }
    // A free-text question names the action that reads its text: `ask` + `input` + `action` is one kind.
    const kinds = (Object.keys(stateKinds) as (keyof typeof stateKinds)[]).filter((k) => k in raw && !(k === 'action' && 'ask' in raw && 'input' in raw));
    if (kinds.length > 1) {
      problems.push(source.problemAt(path, `state \`${name}\` mixes ${kinds.map((k) => `\`${k}\``).join(' and ')}: split it into one state per kind`));
      ok = false;
      continue;
    }
    const kind = kinds[0];
    const candidates = kind ? stateKinds[kind] : [sayStateSchema];
    if (!kind && !('say' in raw)) {
      problems.push(source.problemAt(path, `state \`${name}\` does nothing: give it one of say, ask, action, branch, screening, call, return, goto or end`));
      ok = false;
      continue;
    }
    // Several schemas share a kind (ask with choices, options or text): keep the closest one's issues.
    let best: { issues: z.core.$ZodIssue[]; fields: string[] } | undefined;
    for (const schema of candidates) {
      const result = (schema as z.ZodObject).safeParse(raw);
      if (result.success) {
        states[name] = result.data as StateDef;
        best = undefined;
        break;
      }
      if (!best || result.error.issues.length < best.issues.length) best = { issues: result.error.issues, fields: Object.keys((schema as z.ZodObject).shape) };
    }
    if (best) {
      ok = false;
      for (const issue of best.issues) {
        if (issue.code === 'unrecognized_keys') {
          for (const key of issue.keys) {
            problems.push(
              source.problemAt(
                [...path, ...issue.path, key],
                `unknown field \`${key}\` in a ${kind ?? 'say'} state${didYouMean(key, best.fields)}. Fields here: ${best.fields.join(', ')}`,
              ),
            );
          }
        } else if (issue.path.length === 1 && (raw as Record<string, unknown>)[String(issue.path[0])] === undefined) {
          problems.push(source.problemAt(path, `missing field \`${String(issue.path[0])}\` in state \`${name}\`: add it (see flows/README.md)`));
        } else {
          problems.push(source.problemAt([...path, ...issue.path], issue.message));
        }
      }
    }
  }
  if (!ok) return undefined;
  const version = createHash('sha256').update(source.text).digest('base64url').slice(0, 12);
  return {
    id: value.id,
    ...(value.description ? { description: value.description } : {}),
    start: value.start,
    ...(value.params ? { params: value.params } : {}),
    states,
    file: source.file,
    version,
  };
}
