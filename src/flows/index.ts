/** Flow definitions: schemas, loading with positions, checks. xstate is compiled from these in src/engine. */
export { loadContent, type Content, type ContentPaths, type Sources } from './load-content.js';
export { editorFlowSchema, refParts, type FlowDef, type StateDef, type Target, type ActionRef, type GuardRef, type ChoiceDef } from './flow-schema.js';
export { FlowError, formatProblem, didYouMean, type Problem } from './flow-error.js';
export { validateContent, lintContent, keysOf, targetsOf, type CheckRegistry } from './check-content.js';
export { parseYamlSource, readYamlSource, validateYaml, type YamlSource } from './yaml-source.js';
export { countryNames, type UnderstandingContent } from './load-understanding.js';
