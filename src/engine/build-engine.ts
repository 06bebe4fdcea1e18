/** Wires loaded content into a ready engine: translator, hotline directory, registry, compiled flows. */
import { createHotlineDirectory, type HotlineDirectory } from '../content/index.js';
import {
  lintContent,
  loadContent,
  validateContent,
  type CheckRegistry,
  type Content,
  type ContentPaths,
  type Problem,
  type Sources,
} from '../content/index.js';
import { createTranslator, type Translator } from '../i18n/index.js';
import type { Registry } from './action-registry.js';
import { createBuiltinRegistry } from './builtin-actions.js';
import { createEngine, type Engine, type EngineOptions } from './engine.js';
import { createHotlineReplies } from './hotline-replies.js';

/** Text keys the code renders itself (never "unused" for the linter). */
export const CODE_KEYS: readonly string[] = [
  'system.',
  'hotlines.',
  'emergency.',
  'facts.source',
  'facts.myth_label',
  'language.changed',
  'screening.',
  'commands.',
  'check.ad_found',
  'check.ad_none',
  'check.ad_level.',
  'check.ad_country_from_ad',
  'widget.',
];

/** An engine and the pieces it was built from (the CLI and checks reuse them). */
export interface BuiltEngine {
  engine: Engine;
  translator: Translator;
  directory: HotlineDirectory;
  registry: Registry;
}

/** The translator, directory and registry over content: shared by the engine and the checks. */
function parts(content: Content) {
  const translator = createTranslator(content.locales);
  const directory = createHotlineDirectory(content.hotlines);
  const hotlines = createHotlineReplies(directory, translator);
  const countries = directory.countries();
  const registry = createBuiltinRegistry({
    translator,
    hotlines,
    facts: content.facts,
    countries,
    indicators: content.indicators,
    adConcepts: content.adConcepts,
  });
  return { translator, directory, hotlines, countries, registry };
}

/**
 * Builds everything once; call again on reload, passing the engine it replaces so that conversations
 * in the middle of a flow keep their version of the flows until their next main menu.
 */
export function buildEngine(
  content: Content,
  defaults: { language: string; country?: string },
  previous?: Pick<BuiltEngine, 'engine'>,
  versions: Pick<EngineOptions, 'now' | 'keepVersionsFor'> = {},
): BuiltEngine {
  const { translator, directory, hotlines, countries, registry } = parts(content);
  const engine = createEngine({
    content,
    registry,
    translator,
    hotlines,
    countries,
    defaults,
    ...versions,
    ...(previous ? { previous: previous.engine } : {}),
  });
  return { engine, translator, directory, registry };
}

/** What the content checks need from the code: its actions, guards and the texts it renders itself. */
export function checkRegistryFor(content: Content): CheckRegistry & Registry {
  return { ...parts(content).registry, codeKeys: CODE_KEYS };
}

/**
 * Loads flows/ and locales/ and runs the reference checks (`lantern validate`); problems are
 * returned, not thrown. An engine can be built only from content without errors.
 */
export function loadChecked(paths: ContentPaths, cwd?: string): { content?: Content; sources: Sources; problems: Problem[] } {
  const loaded = loadContent(paths, cwd);
  if (!loaded.content || loaded.problems.some((p) => p.severity === 'error')) return loaded;
  return { ...loaded, problems: [...loaded.problems, ...validateContent(loaded.content, loaded.sources, checkRegistryFor(loaded.content))] };
}

/**
 * Loads flows/ and locales/ and runs every check `lantern lint` runs. The one publish gate: `lantern
 * lint`, `serve`, SIGHUP reload and `--watch` all use it, so what lint calls an error is never served.
 */
export function loadPublishable(paths: ContentPaths, cwd?: string): { content?: Content; sources: Sources; problems: Problem[] } {
  const loaded = loadContent(paths, cwd);
  if (!loaded.content || loaded.problems.some((p) => p.severity === 'error')) return loaded;
  return { ...loaded, problems: [...loaded.problems, ...lintContent(loaded.content, loaded.sources, checkRegistryFor(loaded.content))] };
}
