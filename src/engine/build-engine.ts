/** Wires loaded content into a ready engine: translator, hotline directory, registry, compiled flows. */
import { createHotlineDirectory, type HotlineDirectory } from '../content/index.js';
import type { Content } from '../flows/index.js';
import { createTranslator, type Translator } from '../i18n/index.js';
import type { Registry } from './action-registry.js';
import { createBuiltinRegistry } from './builtin-actions.js';
import { createEngine, type Engine } from './engine.js';
import { createHotlineReplies } from './hotline-replies.js';

/** An engine and the pieces it was built from (the CLI and checks reuse them). */
export interface BuiltEngine {
  engine: Engine;
  translator: Translator;
  directory: HotlineDirectory;
  registry: Registry;
}

/** Builds everything once; call again on reload. */
export function buildEngine(content: Content, defaults: { language: string; country?: string }): BuiltEngine {
  const translator = createTranslator(content.locales);
  const directory = createHotlineDirectory(content.hotlines);
  const hotlines = createHotlineReplies(directory, translator);
  const countries = directory.countries();
  const registry = createBuiltinRegistry({ translator, hotlines, facts: content.facts, countries, indicators: content.indicators, adPatterns: content.adPatterns });
  const engine = createEngine({ content, registry, translator, hotlines, countries, defaults });
  return { engine, translator, directory, registry };
}

/** The registry alone (for `lantern validate`, which checks action names before building an engine). */
export function registryFor(content: Content): Registry {
  const translator = createTranslator(content.locales);
  const directory = createHotlineDirectory(content.hotlines);
  return createBuiltinRegistry({ translator, hotlines: createHotlineReplies(directory, translator), facts: content.facts, countries: directory.countries(), indicators: content.indicators, adPatterns: content.adPatterns });
}
